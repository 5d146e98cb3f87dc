// The shelf: a catalog narrowed to [kiosk] products, one policy for every source.
#include "truthpoint/app/shelf.hpp"

namespace truthpoint::app {

core::Result<std::vector<Product>> narrow_shelf(const std::vector<Product>& catalog, const KioskConfig& config,
                                                const std::string& catalog_name) {
    if (config.shelf_skus.empty()) {
        if (catalog.empty()) {
            return core::make_error(core::ErrorCode::InvalidArgument, catalog_name + ": the catalog has no products");
        }
        return catalog;
    }
    std::vector<Product> shelf;
    for (const std::string& sku : config.shelf_skus) {
        const Product* product = find_product(catalog, sku);
        if (!product) {
            return core::make_error(core::ErrorCode::InvalidArgument, config.path + ": kiosk.products names " + sku +
                                                                          ", which is not in " + catalog_name);
        }
        shelf.push_back(*product);
    }
    return shelf;
}

core::Result<std::vector<Product>> load_shelf(const KioskConfig& config) {
    auto catalog = load_product_catalog(config.catalog_path);
    if (!catalog) return catalog.error();
    return narrow_shelf(catalog.value(), config, config.catalog_path);
}

}  // namespace truthpoint::app
