// The kiosk's copy of the hub's configuration (GET /api/v1/config): catalog, enabled questions, approved
// reviews and offers, and the store's open alerts. Kept in one file next to the ledger, replaced atomically and only by a document
// that decodes, so the kiosk always starts on the last good configuration, with or without the hub.
//
// Pictures: the hub names a product's picture by file name only. The kiosk shows it when that file is
// in its own images directory (beside the local catalog: <assets>/catalog/images/ by default) and is a
// PNG or JPEG; otherwise the product has no picture. Pictures over the network are future work.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/fmot_flow.hpp"
#include "truthpoint/app/product_catalog.hpp"
#include "truthpoint/core/config_document.hpp"
#include "truthpoint/core/receipt.hpp"

namespace truthpoint::app {

struct HubConfig {
    std::vector<Product> products;  // image_path set only for pictures found locally (see above)
    std::vector<Driver> drivers;    // enabled, in the order shown
    std::vector<WhyNot> why_not;    // enabled, in the order shown
    std::vector<core::ConfigReview> reviews;
    std::vector<core::ConfigOffer> offers;
    core::SorryCardRule sorry_card;
    std::optional<core::ReceiptKey> receipt_key;  // the chain's, when the hub has handed one out
    std::optional<core::ReceiptKey> earlier_receipt_key;  // the one before its last rotation, for a grace period
    std::vector<core::ConfigAlert> alerts;        // the store's cases not closed, newest first
    std::string etag;                         // sent as If-None-Match by the next pull
    std::vector<std::string> missing_images;  // picture names of the document not found locally
    std::vector<std::string> skipped_fields;  // top-level fields of a newer hub's document, not understood here
};

// "<[kiosk] db>.hub-config.json"
std::string hub_config_path(const KioskConfig& config);
// The "images" directory beside [kiosk] catalog, where the document's picture names are looked up.
std::string hub_config_images_dir(const KioskConfig& config);

// Decodes and checks a document as served by the hub. Errors name the field.
core::Result<HubConfig> parse_hub_config(std::string_view document, const std::string& etag,
                                         const std::string& images_dir);

// Checks `document`, then replaces the file at `path` atomically (temp file in the same directory,
// fsync, rename, fsync of the directory). A document that does not decode, or a failed write, leaves
// the file as it was. Returns the configuration now in force.
core::Result<HubConfig> save_hub_config(const std::string& path, std::string_view document, const std::string& etag,
                                        const std::string& images_dir);

// The saved configuration; nullopt when there is no file yet (the hub was never reached, or has no
// document for this store). A file that cannot be read or decoded is a failure whose reason names it.
core::Result<std::optional<HubConfig>> load_hub_config(const std::string& path, const std::string& images_dir);

// What the kiosk starts with: the hub's configuration when a good one is saved, else the local catalog.
struct ShelfChoice {
    std::vector<Product> products;  // narrowed to [kiosk] products when set, in that order
    std::optional<HubConfig> hub;   // set when the products (and questions) come from the hub
    std::string warning;            // why the saved hub configuration was not used; empty when it was, or none exists
};

// load_hub_config, then [kiosk] products applied to it; on any problem with it (corrupt file, a listed
// sku missing from the hub's catalog) the local catalog through load_shelf, with `warning` saying why.
// Fails only when the local catalog fails too.
core::Result<ShelfChoice> choose_shelf(const KioskConfig& config);

}  // namespace truthpoint::app
