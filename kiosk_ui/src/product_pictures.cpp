// Decodes product pictures with stb_image and keeps them as SDL textures (see product_pictures.hpp).
#include "product_pictures.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include <stb_image.h>

namespace truthpoint::kiosk_ui {

std::vector<DecodedPicture> decode_pictures(const std::vector<app::Product>& products) {
    std::vector<DecodedPicture> decoded;
    for (const app::Product& product : products) {
        if (product.image_path.empty()) continue;
        DecodedPicture picture;
        picture.sku = product.sku;
        picture.path = product.image_path;
        int channels = 0;
        stbi_uc* pixels = stbi_load(product.image_path.c_str(), &picture.width, &picture.height, &channels, 4);
        if (pixels == nullptr) {
            picture.error = stbi_failure_reason();
        } else {
            const std::size_t bytes = static_cast<std::size_t>(picture.width) * static_cast<std::size_t>(picture.height) * 4;
            picture.rgba.assign(pixels, pixels + bytes);
            stbi_image_free(pixels);
        }
        decoded.push_back(std::move(picture));
    }
    return decoded;
}

ProductPictures::~ProductPictures() {
    for (auto& [sku, picture] : pictures_) SDL_DestroyTexture(picture.texture);
}

void ProductPictures::install(SDL_Renderer* renderer, std::vector<DecodedPicture> pictures) {
    for (DecodedPicture& picture : pictures) {
        if (!picture.error.empty()) {
            std::fprintf(stderr, "truthpoint-kiosk: cannot read the picture of %s (%s): %s; showing a placeholder\n",
                         picture.sku.c_str(), picture.path.c_str(), picture.error.c_str());
            continue;
        }
        // RGBA bytes in memory: SDL's ABGR8888 on a little-endian machine, RGBA32 names it portably.
        SDL_Texture* texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC,
                                                 picture.width, picture.height);
        if (texture == nullptr) {
            std::fprintf(stderr, "truthpoint-kiosk: cannot make a texture for %s: %s\n", picture.sku.c_str(),
                         SDL_GetError());
            continue;
        }
        SDL_UpdateTexture(texture, nullptr, picture.rgba.data(), picture.width * 4);
        SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
        SDL_SetTextureScaleMode(texture, SDL_ScaleModeLinear);
        std::vector<unsigned char>().swap(picture.rgba);  // the texture holds the pixels now
        auto [slot, added] = pictures_.try_emplace(picture.sku);
        if (!added) SDL_DestroyTexture(slot->second.texture);
        slot->second = ProductPicture{texture, picture.width, picture.height};
    }
}

void ProductPictures::retain_only(const std::vector<app::Product>& shelf, const std::vector<app::Product>& other) {
    const auto on = [](const std::vector<app::Product>& products, const std::string& sku) {
        return std::any_of(products.begin(), products.end(), [&](const app::Product& p) { return p.sku == sku; });
    };
    for (auto it = pictures_.begin(); it != pictures_.end();) {
        if (on(shelf, it->first) || on(other, it->first)) {
            ++it;
        } else {
            SDL_DestroyTexture(it->second.texture);
            it = pictures_.erase(it);
        }
    }
}

const ProductPicture* ProductPictures::find(const std::string& sku) const {
    const auto found = pictures_.find(sku);
    return found == pictures_.end() ? nullptr : &found->second;
}

ShelfLoader::ShelfLoader(std::function<void()> wake)
    : worker_("tp-shelf-load", core::Keep::Latest,
              [](app::HubConfig& config) {
                  std::vector<DecodedPicture> pictures = decode_pictures(config.products);  // the disk, off the UI thread
                  return Loaded{std::move(config), std::move(pictures)};
              },
              std::move(wake)) {}

std::optional<ShelfLoader::Loaded> ShelfLoader::take() {
    auto loaded = worker_.take_results();
    if (loaded.empty()) return std::nullopt;
    return std::move(loaded.back());  // a newer shelf replaces one not taken
}

}  // namespace truthpoint::kiosk_ui
