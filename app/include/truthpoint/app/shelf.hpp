// The products this kiosk asks about: the catalog, narrowed to [kiosk] products when set.
#pragma once

#include <vector>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/product_catalog.hpp"

namespace truthpoint::app {

// Reads config.catalog_path. Errors name the file, or the sku of [kiosk] products not in it.
core::Decoded<std::vector<Product>> load_shelf(const KioskConfig& config);

}  // namespace truthpoint::app
