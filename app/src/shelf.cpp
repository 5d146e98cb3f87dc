// load_shelf: the catalog filtered by the configured skus, in the configured order.
#include "truthpoint/app/shelf.hpp"

#include <algorithm>

namespace truthpoint::app {

core::Decoded<std::vector<Product>> load_shelf(const KioskConfig& config) {
    using Result = core::Decoded<std::vector<Product>>;
    auto catalog = load_product_catalog(config.catalog_path);
    if (!catalog) return Result::failure(catalog.reason());
    if (config.shelf_skus.empty()) {
        if (catalog.value().empty()) return Result::failure(config.catalog_path + ": the catalog has no products");
        return catalog;
    }
    std::vector<Product> shelf;
    for (const auto& sku : config.shelf_skus) {
        const auto& products = catalog.value();
        const auto found = std::find_if(products.begin(), products.end(), [&](const Product& p) { return p.sku == sku; });
        if (found == products.end()) {
            return Result::failure(config.path + ": kiosk.products names " + sku + ", which is not in " +
                                   config.catalog_path);
        }
        shelf.push_back(*found);
    }
    return shelf;
}

}  // namespace truthpoint::app
