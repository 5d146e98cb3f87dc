// The shelf's products from a catalog JSON file (assets/catalog/catalog.json or the hub's copy), checked
// once at start so that the pick screen never meets a product without a name or a picture.
#include "truthpoint/app/product_catalog.hpp"

#include "truthpoint/core/config_document.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace truthpoint::app {

namespace {

namespace fs = std::filesystem;

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "" when the file starts like a PNG or a JPEG, else why not.
std::string picture_problem(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return "not found";
    std::array<unsigned char, 8> head{};
    in.read(reinterpret_cast<char*>(head.data()), head.size());
    constexpr std::array<unsigned char, 8> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    const bool is_png = in.gcount() == 8 && head == png;
    const bool is_jpeg = in.gcount() >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;
    return is_png || is_jpeg ? "" : "not a PNG or JPEG picture";
}

std::string padded_gtin(std::string_view digits) {
    return std::string(digits.size() < 14 ? 14 - digits.size() : 0, '0') + std::string(digits);
}

}  // namespace

const std::string& Product::name(const std::string& locale) const {
    if (auto found = names.find(locale); found != names.end() && !found->second.empty()) return found->second;
    if (auto found = names.find("en"); found != names.end() && !found->second.empty()) return found->second;
    return sku;
}

bool has_valid_gtin_check_digit(std::string_view digits) { return core::has_valid_gtin_check_digit(digits); }

const Product* find_product(const std::vector<Product>& products, std::string_view scanned) {
    if (!all_digits(scanned)) return nullptr;
    const std::string wanted = padded_gtin(scanned);
    for (const Product& product : products) {
        if (padded_gtin(product.sku) == wanted) return &product;
    }
    return nullptr;
}

core::Result<std::vector<Product>> load_product_catalog(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream content;
    if (!file || !(content << file.rdbuf())) {
        return core::make_error(core::ErrorCode::Unavailable,
                                "cannot read the product catalog " + path + ": check the path and its permissions");
    }
    const nlohmann::json json = nlohmann::json::parse(content.str(), nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return core::make_error(core::ErrorCode::InvalidArgument, path + ": not valid JSON");
    if (!json.is_object() || !json.contains("products") || !json["products"].is_array()) {
        return core::make_error(core::ErrorCode::InvalidArgument, path + ": expected {\"products\": [...]} at the top");
    }
    if (json["products"].empty()) {
        return core::make_error(core::ErrorCode::InvalidArgument,
                                path + ": \"products\" is empty: list the shelf's products");
    }

    const fs::path base = fs::absolute(fs::path(path)).parent_path();
    std::vector<Product> products;
    std::set<std::string> skus;
    for (std::size_t index = 0; index < json["products"].size(); ++index) {
        const nlohmann::json& item = json["products"][index];
        std::string where = path + ": products[" + std::to_string(index) + "]";
        const auto fail = [&](const std::string& what) {
            return core::make_error(core::ErrorCode::InvalidArgument, where + ": " + what);
        };
        if (!item.is_object()) return fail("expected an object with sku, names and image");

        Product product;
        if (!item.contains("sku") || !item["sku"].is_string()) {
            return fail("no \"sku\": give the barcode's digits as a string, e.g. \"5201234567891\"");
        }
        product.sku = item["sku"].get<std::string>();
        where += " (sku " + product.sku + ")";
        if (!all_digits(product.sku) || product.sku.size() < 8 || product.sku.size() > 14) {
            return fail("the sku must be the 8 to 14 digits a scanner types");
        }
        const std::size_t length = product.sku.size();
        if ((length == 12 || length == 13 || length == 14) && !has_valid_gtin_check_digit(product.sku)) {
            // 8 digits may be UPC-E, whose check digit is not computed this way: those are not checked.
            return fail("the last digit is not the barcode's check digit: a scanner could never read this sku");
        }
        if (!skus.insert(padded_gtin(product.sku)).second) return fail("the same sku is listed twice");

        if (!item.contains("names") || !item["names"].is_object()) {
            return fail("no \"names\": give {\"en\": \"...\"} and a name per language");
        }
        for (const auto& [locale, name] : item["names"].items()) {
            if (!name.is_string() || name.get<std::string>().empty()) {
                return fail("the \"" + locale + "\" name must be a non-empty string");
            }
            product.names.emplace(locale, name.get<std::string>());
        }
        if (!product.names.contains("en")) return fail("no \"en\" name: English is shown when a name is missing");

        if (item.contains("image")) {
            if (!item["image"].is_string() || item["image"].get<std::string>().empty()) {
                return fail("\"image\" must be the path of a PNG or JPEG file, relative to the catalog");
            }
            const fs::path image = (base / fs::path(item["image"].get<std::string>())).lexically_normal();
            if (const std::string problem = picture_problem(image); !problem.empty()) {
                return fail("image " + image.string() + ": " + problem);
            }
            product.image_path = image.string();
        }
        products.push_back(std::move(product));
    }
    return products;
}

}  // namespace truthpoint::app
