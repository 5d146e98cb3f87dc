// The kiosk's TOML configuration (DESIGN.md, "Kiosk configuration"). Every error names the key and the file.
#pragma once

#include <string>
#include <vector>

#include "truthpoint/core/wire.hpp"

namespace truthpoint::app {

inline constexpr const char* kDefaultConfigPath = "/etc/truthpoint/kiosk.toml";

struct KioskConfig {
    std::string path;  // the file this was read from

    std::string kiosk_id;
    std::string store_id;
    std::string db_path;
    std::vector<std::string> languages{"en"};
    int idle_reset_seconds = 45;
    std::string product_sku;   // the shelf product this kiosk asks about ([kiosk] sku, optional)
    std::string product_name;  // ([kiosk] product_name, optional)
    double dpi = 96.0;         // the screen's dots per inch, for touch target sizes ([kiosk] dpi)

    std::string hub_url;
    std::string hub_token;  // from [hub] token, or read from [hub] token_file
    int sync_interval_seconds = 30;

    std::string staff_pin_hash;
};

// Reads and checks the file. A relative [kiosk] db or [hub] token_file is taken relative to the file.
core::Decoded<KioskConfig> load_config(const std::string& path);

}  // namespace truthpoint::app
