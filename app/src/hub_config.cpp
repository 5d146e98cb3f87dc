// The kiosk's saved copy of the hub's configuration: decode, resolve pictures locally, save atomically,
// load at start, and fall back to the local catalog when it is missing or unusable.
#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/app/shelf.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "truthpoint/app/atomic_file.hpp"
#include "truthpoint/app/shelf.hpp"

namespace truthpoint::app {
namespace {

namespace fs = std::filesystem;
using Parsed = core::Result<HubConfig>;

// Whether the file starts like a PNG or a JPEG.
bool is_picture(const fs::path& file) {
    std::error_code error;
    if (!fs::is_regular_file(file, error)) return false;
    std::ifstream in(file, std::ios::binary);
    std::array<unsigned char, 8> head{};
    in.read(reinterpret_cast<char*>(head.data()), head.size());
    constexpr std::array<unsigned char, 8> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    const bool is_png = in.gcount() == 8 && head == png;
    const bool is_jpeg = in.gcount() >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;
    return is_png || is_jpeg;
}

template <typename Choice, std::size_t N>
std::optional<Choice> choice_named(const std::array<Choice, N>& all, const std::string& name) {
    for (Choice choice : all) {
        if (name == to_string(choice)) return choice;
    }
    return std::nullopt;
}

Parsed from_document(core::ConfigDocument document, const std::string& etag, const std::string& images_dir) {
    HubConfig config;
    config.etag = etag;
    for (core::ConfigProduct& item : document.products) {
        Product product;
        product.sku = std::move(item.sku);
        product.names = std::move(item.names);
        if (!item.image.empty()) {
            const fs::path picture = fs::absolute(fs::path(images_dir) / item.image).lexically_normal();
            if (is_picture(picture)) {
                product.image_path = picture.string();
            } else {
                config.missing_images.push_back(item.image);
            }
        }
        config.products.push_back(std::move(product));
    }
    // core and the flow list the same wire names; a mismatch is a build of two different versions.
    for (const std::string& name : document.drivers) {
        const auto driver = choice_named(kAllDrivers, name);
        if (!driver) {
            return core::make_error(core::ErrorCode::InvalidArgument,
                                    "questions.drivers: \"" + name + "\" is not known to this kiosk");
        }
        config.drivers.push_back(*driver);
    }
    for (const std::string& name : document.why_not) {
        const auto why_not = choice_named(kAllWhyNots, name);
        if (!why_not) {
            return core::make_error(core::ErrorCode::InvalidArgument,
                                    "questions.why_not: \"" + name + "\" is not known to this kiosk");
        }
        config.why_not.push_back(*why_not);
    }
    config.reviews = std::move(document.reviews);
    config.skipped_fields = std::move(document.skipped_fields);
    config.offers = std::move(document.offers);
    config.sorry_card = document.sorry_card;
    config.alerts = std::move(document.alerts);
    if (!document.receipt_key.empty()) {
        auto key = core::ReceiptKey::from_hex(document.receipt_key);
        if (!key) return core::make_error(core::ErrorCode::InvalidArgument, "receipt_key: " + key.error().message);
        config.receipt_key = key.value();
    }
    if (!document.earlier_receipt_key.empty()) {
        auto key = core::ReceiptKey::from_hex(document.earlier_receipt_key);
        if (!key) return core::make_error(core::ErrorCode::InvalidArgument, "earlier_receipt_key: " + key.error().message);
        config.earlier_receipt_key = key.value();
    }
    return config;
}

}  // namespace

std::string hub_config_path(const KioskConfig& config) { return config.db_path + ".hub-config.json"; }

std::string hub_config_images_dir(const KioskConfig& config) {
    return (fs::path(config.catalog_path).parent_path() / "images").string();
}

core::Result<HubConfig> parse_hub_config(std::string_view document, const std::string& etag,
                                         const std::string& images_dir) {
    auto decoded = core::decode_config_document(document, core::UnknownFields::Skip);
    if (!decoded) return decoded.error();
    return from_document(std::move(decoded.value()), etag, images_dir);
}

core::Result<HubConfig> save_hub_config(const std::string& path, std::string_view document, const std::string& etag,
                                        const std::string& images_dir) {
    auto parsed = parse_hub_config(document, etag, images_dir);
    if (!parsed) {
        return core::make_error(core::ErrorCode::InvalidArgument,
                                "the hub's kiosk configuration was not saved (" + path +
                                    " keeps the last good one): " + parsed.error().message);
    }
    // The etag and the document in one file, so that one rename replaces both together.
    const nlohmann::json saved{{"etag", etag},
                               {"document", nlohmann::json::parse(document, nullptr, /*allow_exceptions=*/false)}};
    const auto written =
        replace_file_atomically(path, saved.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!written) {
        return core::make_error(core::ErrorCode::Unavailable,
                                "the hub's kiosk configuration was not saved: " + written.error().message);
    }
    return parsed;
}

core::Result<std::optional<HubConfig>> load_hub_config(const std::string& path, const std::string& images_dir) {
    std::error_code missing;
    if (!fs::exists(path, missing) && !missing) return std::optional<HubConfig>{};
    std::ifstream file(path, std::ios::binary);
    std::ostringstream content;
    if (!file || !(content << file.rdbuf())) {
        return core::make_error(core::ErrorCode::Unavailable,
                                "cannot read the saved hub configuration " + path + ": check its permissions");
    }
    const std::string advice = " (it is replaced at the next pull from the hub; deleting it is safe)";
    const auto saved = nlohmann::json::parse(content.str(), nullptr, /*allow_exceptions=*/false);
    if (saved.is_discarded() || !saved.is_object() || !saved.contains("document") || !saved.contains("etag") ||
        !saved["etag"].is_string()) {
        return core::make_error(core::ErrorCode::InvalidArgument,
                                path + ": not a saved hub configuration, or a damaged one" + advice);
    }
    auto decoded = core::decode_config_json(saved["document"], core::UnknownFields::Skip);
    if (!decoded) {
        return core::make_error(core::ErrorCode::InvalidArgument, path + ": " + decoded.error().message + advice);
    }
    auto config = from_document(std::move(decoded.value()), saved["etag"].get<std::string>(), images_dir);
    if (!config) {
        return core::make_error(core::ErrorCode::InvalidArgument, path + ": " + config.error().message + advice);
    }
    return std::optional<HubConfig>(std::move(config.value()));
}

core::Result<ShelfChoice> choose_shelf(const KioskConfig& config) {
    ShelfChoice choice;
    const std::string path = hub_config_path(config);
    auto saved = load_hub_config(path, hub_config_images_dir(config));
    if (!saved) {
        choice.warning = saved.error().message;
    } else if (saved.value()) {
        HubConfig& hub = *saved.value();
        auto shelf = narrow_shelf(hub.products, config, "the hub's catalog (" + path + ")");
        if (shelf) {
            choice.products = std::move(shelf.value());
            choice.hub = std::move(hub);
            return choice;
        }
        choice.warning = shelf.error().message;
    }
    if (!choice.warning.empty()) choice.warning += "; using the local catalog " + config.catalog_path;
    auto local = load_shelf(config);
    if (!local) {
        return core::make_error(
            core::ErrorCode::InvalidArgument,
            choice.warning.empty() ? local.error().message : local.error().message + " (and " + choice.warning + ")");
    }
    choice.products = std::move(local.value());
    return choice;
}

}  // namespace truthpoint::app
