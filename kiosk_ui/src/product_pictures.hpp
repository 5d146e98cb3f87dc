// The shelf's product pictures as SDL textures. Files are read and decoded (stb_image) off the frame:
// at start before the window loop, and for a shelf from the hub on ShelfLoader's thread; the UI thread
// only uploads decoded pixels to textures and frees them.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <SDL.h>

#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/app/product_catalog.hpp"
#include "truthpoint/core/worker.hpp"

namespace truthpoint::kiosk_ui {

struct ProductPicture {
    SDL_Texture* texture = nullptr;  // ImGui's SDL_Renderer backend takes it as an ImTextureID
    int width = 0;
    int height = 0;
};

// One product's picture, decoded to RGBA bytes, or why it could not be.
struct DecodedPicture {
    std::string sku;
    std::string path;
    int width = 0;
    int height = 0;
    std::vector<unsigned char> rgba;
    std::string error;  // set when the file could not be read or decoded
};

// Reads and decodes the pictures of `products` that have one. Any thread; blocks on the disk.
std::vector<DecodedPicture> decode_pictures(const std::vector<app::Product>& products);

class ProductPictures {
public:
    ProductPictures() = default;
    ~ProductPictures();
    ProductPictures(const ProductPictures&) = delete;
    ProductPictures& operator=(const ProductPictures&) = delete;

    // A picture that cannot be read is reported on stderr and drawn as a placeholder: a missing
    // picture must not keep the kiosk from asking about the product.
    void load(SDL_Renderer* renderer, const std::vector<app::Product>& products) {
        install(renderer, decode_pictures(products));
    }
    // Uploads decoded pictures (replacing a product's earlier one); the pixels are freed here.
    void install(SDL_Renderer* renderer, std::vector<DecodedPicture> pictures);
    // Frees the textures of products on neither shelf (the one shown, and one waiting to be applied).
    void retain_only(const std::vector<app::Product>& shelf, const std::vector<app::Product>& other = {});
    const ProductPicture* find(const std::string& sku) const;

private:
    std::map<std::string, ProductPicture> pictures_;
};

// A shelf from the hub with its pictures decoded on this loader's own thread. `load` replaces a shelf
// not yet started; `take` (UI thread, start of a frame) hands over a finished one. `wake` is called
// from the loader's thread when one is ready. Destruction finishes the shelf being decoded, then joins.
class ShelfLoader {
public:
    struct Loaded {
        app::HubConfig config;
        std::vector<DecodedPicture> pictures;
    };

    explicit ShelfLoader(std::function<void()> wake);
    void load(app::HubConfig config) { worker_.post(std::move(config)); }
    std::optional<Loaded> take();

private:
    core::Worker<app::HubConfig, Loaded> worker_;
};

}  // namespace truthpoint::kiosk_ui
