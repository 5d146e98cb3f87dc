// Decodes product pictures with stb_image into SDL textures (see product_pictures.hpp).
#include "product_pictures.hpp"

#include <cstdio>

#include <stb_image.h>

namespace truthpoint::kiosk_ui {

ProductPictures::~ProductPictures() {
    for (auto& [sku, picture] : pictures_) SDL_DestroyTexture(picture.texture);
}

void ProductPictures::load(SDL_Renderer* renderer, const std::vector<app::Product>& products) {
    for (const app::Product& product : products) {
        if (product.image_path.empty() || pictures_.count(product.sku)) continue;
        int width = 0, height = 0, channels = 0;
        stbi_uc* pixels = stbi_load(product.image_path.c_str(), &width, &height, &channels, 4);
        if (pixels == nullptr) {
            std::fprintf(stderr, "truthpoint-kiosk: cannot read the picture of %s (%s): %s; showing a placeholder\n",
                         product.sku.c_str(), product.image_path.c_str(), stbi_failure_reason());
            continue;
        }
        // RGBA bytes in memory: SDL's ABGR8888 on a little-endian machine, RGBA32 names it portably.
        SDL_Texture* texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, width, height);
        if (texture != nullptr) {
            SDL_UpdateTexture(texture, nullptr, pixels, width * 4);
            SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
            SDL_SetTextureScaleMode(texture, SDL_ScaleModeLinear);
            pictures_[product.sku] = ProductPicture{texture, width, height};
        } else {
            std::fprintf(stderr, "truthpoint-kiosk: cannot make a texture for %s: %s\n", product.sku.c_str(),
                         SDL_GetError());
        }
        stbi_image_free(pixels);
    }
}

const ProductPicture* ProductPictures::find(const std::string& sku) const {
    const auto found = pictures_.find(sku);
    return found == pictures_.end() ? nullptr : &found->second;
}

}  // namespace truthpoint::kiosk_ui
