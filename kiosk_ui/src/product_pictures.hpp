// The shelf's product pictures as SDL textures, decoded with stb_image once at start, before the window
// loop: no file is read and no image decoded in a frame.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <SDL.h>

#include "truthpoint/app/product_catalog.hpp"

namespace truthpoint::kiosk_ui {

struct ProductPicture {
    SDL_Texture* texture = nullptr;  // ImGui's SDL_Renderer backend takes it as an ImTextureID
    int width = 0;
    int height = 0;
};

class ProductPictures {
public:
    ProductPictures() = default;
    ~ProductPictures();
    ProductPictures(const ProductPictures&) = delete;
    ProductPictures& operator=(const ProductPictures&) = delete;

    // A picture that cannot be read is reported on stderr and drawn as a placeholder: a missing
    // picture must not keep the kiosk from asking about the product.
    void load(SDL_Renderer* renderer, const std::vector<app::Product>& products);
    const ProductPicture* find(const std::string& sku) const;

private:
    std::map<std::string, ProductPicture> pictures_;
};

}  // namespace truthpoint::kiosk_ui
