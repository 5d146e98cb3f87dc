// The kiosk's TOML configuration (DESIGN.md, "Kiosk configuration"). Every error names the key and the file.
#pragma once

#include <string>
#include <vector>

#include "truthpoint/core/wire.hpp"

namespace truthpoint::app {

inline constexpr const char* kDefaultConfigPath = "/etc/truthpoint/kiosk.toml";

struct KioskConfig {
    std::string path;  // the file this was read from

    std::string kiosk_id;
    std::string store_id;
    std::string db_path;
    std::vector<std::string> languages{"en"};
    int idle_reset_seconds = 45;
    std::string assets_dir;                // translations and catalog ([kiosk] assets; default: installed)
    std::string catalog_path;              // [kiosk] catalog; default: <assets>/catalog/catalog.json
    std::vector<std::string> shelf_skus;   // [kiosk] products: this shelf's skus; empty = the whole catalog
    double dpi = 96.0;         // the screen's dots per inch, for touch target sizes ([kiosk] dpi)

    std::string hub_url;
    std::string hub_token;  // from [hub] token, or read from [hub] token_file
    std::string hub_token_file;  // [hub] token_file, resolved; empty when the token is in this file
    int sync_interval_seconds = 30;
    std::string hub_ca_file;            // [hub] ca_file: a CA bundle for a private hub certificate
    std::string hub_pinned_public_key;  // [hub] pinned_public_key: "sha256//BASE64" (libcurl's form)
    int keep_delivered_days = 30;       // [kiosk] keep_delivered_days: then delivered events are purged
    long long backlog_warning = 50000;  // [kiosk] backlog_warning: pending events that call for staff
    // [kiosk] receipt_pattern: an ECMAScript regular expression matching a whole receipt code as the
    // scanner types it (and as typed on the keypad), e.g. "R?[0-9]{12}"; a scanned code matching it starts
    // the post-purchase flow instead of being looked up as a product. Empty: no scan is a receipt.
    std::string receipt_pattern;

    std::string staff_pin_hash;
};

// Reads and checks the file. A relative [kiosk] db or [hub] token_file is taken relative to the file.
core::Result<KioskConfig> load_config(const std::string& path);

// Every key load_config accepts, as "table.key" ("hub.url"), sorted: the same list that refuses an
// unknown key, so docs/configuration.md can be checked against it.
std::vector<std::string> known_config_keys();

}  // namespace truthpoint::app
