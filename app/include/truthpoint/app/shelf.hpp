// The products this kiosk asks about: the catalog, narrowed to [kiosk] products when set.
#pragma once

#include <vector>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/product_catalog.hpp"

namespace truthpoint::app {

// The one narrowing policy, wherever a catalog comes from (the local file at start, the hub's saved
// configuration at start, a configuration the hub sends while the kiosk runs): with [kiosk] products
// set, exactly those skus in that order; a listed sku the catalog lacks refuses the whole catalog, with
// the sku and `catalog_name` in the reason, so a kiosk never shows a shelf its operator did not choose.
// Without [kiosk] products, the whole catalog. An empty result is refused too.
core::Result<std::vector<Product>> narrow_shelf(const std::vector<Product>& catalog, const KioskConfig& config,
                                                const std::string& catalog_name);

// Reads config.catalog_path and narrows it. Errors name the file, or the sku of [kiosk] products not in it.
core::Result<std::vector<Product>> load_shelf(const KioskConfig& config);

}  // namespace truthpoint::app
