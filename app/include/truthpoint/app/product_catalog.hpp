// The shelf's products: sku (the barcode), a name per language, and a picture.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "truthpoint/core/wire.hpp"

namespace truthpoint::app {

struct Product {
    std::string sku;                            // EAN/UPC digits, as a scanner types them
    std::map<std::string, std::string> names;   // locale → name; "en" is the fallback
    std::string image_path;                     // absolute path of a PNG/JPEG, or empty

    // The name in `locale`, else in English, else the sku.
    const std::string& name(const std::string& locale) const;
};

// Reads a catalog JSON file: {"products": [{"sku": "...", "names": {"en": "...", "fa": "..."},
// "image": "relative/or/absolute.png"}]}. Image paths are taken relative to the file.
// Errors name the file and the product.
core::Result<std::vector<Product>> load_product_catalog(const std::string& path);

// True when the last digit of a GTIN-8/12/13/14 (EAN-8, UPC-A, EAN-13, ITF-14) is its GS1 check digit.
bool has_valid_gtin_check_digit(std::string_view digits);

// The product a scanner's digits name, or null. GTINs compare as numbers of 14 digits, so a UPC-A
// "012345678905" finds the EAN-13 "0012345678905" whichever way the scanner is set up.
const Product* find_product(const std::vector<Product>& products, std::string_view scanned);

}  // namespace truthpoint::app
