// The shelf: a catalog narrowed to [kiosk] products, one policy for every source.
#include "truthpoint/app/shelf.hpp"

namespace truthpoint::app {

core::Decoded<std::vector<Product>> narrow_shelf(const std::vector<Product>& catalog, const KioskConfig& config,
                                                 const std::string& catalog_name) {
    using Result = core::Decoded<std::vector<Product>>;
    if (config.shelf_skus.empty()) {
        if (catalog.empty()) return Result::failure(catalog_name + ": the catalog has no products");
        return catalog;
    }
    std::vector<Product> shelf;
    for (const std::string& sku : config.shelf_skus) {
        const Product* product = find_product(catalog, sku);
        if (!product) return Result::failure(config.path + ": kiosk.products names " + sku + ", which is not in " + catalog_name);
        shelf.push_back(*product);
    }
    return shelf;
}

core::Decoded<std::vector<Product>> load_shelf(const KioskConfig& config) {
    auto catalog = load_product_catalog(config.catalog_path);
    if (!catalog) return core::Decoded<std::vector<Product>>::failure(catalog.reason());
    return narrow_shelf(catalog.value(), config, config.catalog_path);
}

}  // namespace truthpoint::app
