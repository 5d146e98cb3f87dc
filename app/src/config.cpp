// Reads kiosk.toml with toml++; every error says which key of which file is wrong and what it wants.
#include "truthpoint/app/config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "truthpoint/core/vocabulary.hpp"

namespace truthpoint::app {
namespace {


const std::map<std::string, std::set<std::string>> kKnownKeys{
    {"kiosk", {"id", "store", "db", "languages", "idle_reset_seconds", "assets", "catalog", "products", "dpi",
               "keep_delivered_days", "backlog_warning", "receipt_pattern"}},
    {"hub", {"url", "token", "token_file", "sync_interval_seconds", "ca_file", "pinned_public_key"}},
    {"staff", {"pin_hash"}},
};

class Reader {
public:
    Reader(const toml::table& root, std::string path) : root_(root), path_(std::move(path)) {}

    std::optional<std::string> error;

    void fail(const std::string& key, const std::string& what) {
        if (!error) error = path_ + ": " + key + " " + what;
    }

    std::string text(const char* table, const char* key, bool required) {
        const std::string name = std::string(table) + "." + key;
        const auto node = root_[table][key];
        if (!node) {
            if (required) fail(name, "is missing");
            return {};
        }
        const auto value = node.value<std::string>();
        if (!value) {
            fail(name, "must be a string");
            return {};
        }
        if (required && value->empty()) fail(name, "must not be empty");
        return *value;
    }

    std::int64_t integer(const char* table, const char* key, std::int64_t fallback, std::int64_t low,
                         std::int64_t high) {
        const std::string name = std::string(table) + "." + key;
        const auto node = root_[table][key];
        if (!node) return fallback;
        const auto value = node.value_exact<std::int64_t>();
        if (!value) {
            fail(name, "must be a whole number");
            return fallback;
        }
        if (*value < low || *value > high) {
            fail(name, "must be between " + std::to_string(low) + " and " + std::to_string(high));
            return fallback;
        }
        return *value;
    }

    double real(const char* table, const char* key, double fallback, double low, double high) {
        const std::string name = std::string(table) + "." + key;
        const auto node = root_[table][key];
        if (!node) return fallback;
        const auto value = node.value<double>();
        if (!value || *value < low || *value > high) {
            std::ostringstream range;
            range << "must be a number between " << low << " and " << high;
            fail(name, range.str());
            return fallback;
        }
        return *value;
    }

    void check_unknown_keys() {
        for (const auto& [table_name, table_node] : root_) {
            const std::string table(table_name.str());
            const auto known = kKnownKeys.find(table);
            if (known == kKnownKeys.end()) {
                fail("[" + table + "]", "is not a known table (expected [kiosk], [hub] or [staff])");
                return;
            }
            if (!table_node.is_table()) {
                fail(table, "must be a table");
                return;
            }
            for (const auto& [key, value] : *table_node.as_table()) {
                if (table == "kiosk" && (key.str() == "sku" || key.str() == "product_name")) {
                    fail("kiosk." + std::string(key.str()),
                         "was replaced by kiosk.products = [\"SKU\", ...]: the shelf's products, named in the catalog");
                } else if (!known->second.count(std::string(key.str()))) {
                    fail(table + "." + std::string(key.str()), "is not a known key (misspelt?)");
                }
            }
        }
    }

private:
    const toml::table& root_;
    std::string path_;
};

std::string default_assets_dir() {
    if (const char* from_env = std::getenv("TRUTHPOINT_ASSETS_DIR")) return from_env;
    if (std::filesystem::exists(TRUTHPOINT_INSTALLED_ASSETS "/i18n")) return TRUTHPOINT_INSTALLED_ASSETS;
    return TRUTHPOINT_SOURCE_ASSETS;
}

// What is wrong with the hub's address, if anything: a scheme, a host and at most a port and a path.
// Caught here, a typo is named with its key instead of surfacing later as a network error.
std::optional<std::string> url_problem(const std::string& url) {
    std::string rest;
    if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else if (url.rfind("https://", 0) == 0) {
        rest = url.substr(8);
    } else {
        return "must start with http:// or https:// (got \"" + url + "\")";
    }
    const auto bad = std::find_if(url.begin(), url.end(), [](unsigned char c) { return c <= ' ' || c >= 0x7f; });
    if (bad != url.end()) return "holds a space or a character a URL cannot hold (got \"" + url + "\")";
    const std::string authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.find('@') != std::string::npos) {
        return "must not hold a user or password: the kiosk's token goes in [hub] token or token_file";
    }
    std::string host = authority;
    std::string port;
    if (!host.empty() && host.front() == '[') {  // [::1]:8080
        const auto close = host.find(']');
        if (close == std::string::npos) return "has an IPv6 address without its closing ']'";
        if (close + 1 < host.size()) {
            if (host[close + 1] != ':') return "has something after the IPv6 address that is not :PORT";
            port = host.substr(close + 2);
        }
        host = host.substr(0, close + 1);
    } else if (const auto colon = host.rfind(':'); colon != std::string::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    if (host.empty() || host == "[]") return "names no host, such as https://hub.example.com (got \"" + url + "\")";
    const auto plain_host = std::all_of(host.begin(), host.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '.' || c == '[' || c == ']' || c == ':';
    });
    if (!plain_host) return "has a host name with characters a host name cannot hold: \"" + host + "\"";
    if (authority.back() == ':' && port.empty()) return "ends its host with ':' but gives no port";
    if (!port.empty()) {
        const bool digits = std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); });
        if (!digits || port.size() > 5 || std::stoi(port) < 1 || std::stoi(port) > 65535) {
            return "has the port \"" + port + "\"; a port is a number from 1 to 65535";
        }
    }
    return std::nullopt;
}

// The PHC string libsodium's crypto_pwhash_str writes for argon2id: $argon2id$v=19$m=..,t=..,p=..$salt$hash.
bool looks_like_argon2id(const std::string& hash) {
    static const std::regex kArgon2id(R"(^\$argon2id\$v=19\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$)");
    return std::regex_match(hash, kArgon2id);
}

std::string resolve(const std::filesystem::path& config_path, const std::string& value) {
    if (value.empty() || std::filesystem::path(value).is_absolute()) return value;
    return (config_path.parent_path() / value).lexically_normal().string();
}

}  // namespace

std::vector<std::string> known_config_keys() {
    std::vector<std::string> keys;
    for (const auto& [table, names] : kKnownKeys) {
        for (const auto& name : names) keys.push_back(table + "." + name);
    }
    return keys;  // sorted: the map's tables and each set's keys are in order
}

core::Result<KioskConfig> load_config(const std::string& path) {
    std::ifstream file(path);
    if (!file) {
        return core::make_error(core::ErrorCode::Unavailable,
                                path + ": cannot read the kiosk configuration (does the file exist?)");
    }

    toml::table root;
    try {
        root = toml::parse(file, path);
    } catch (const toml::parse_error& error) {
        std::ostringstream message;
        message << path << ":" << error.source().begin.line << ": " << error.description();
        return core::make_error(core::ErrorCode::InvalidArgument, message.str());
    }

    Reader read(root, path);
    read.check_unknown_keys();
    const std::filesystem::path config_path = std::filesystem::absolute(path);

    KioskConfig config;
    config.path = path;
    config.kiosk_id = read.text("kiosk", "id", true);
    config.store_id = read.text("kiosk", "store", true);
    config.db_path = resolve(config_path, read.text("kiosk", "db", true));
    config.idle_reset_seconds = static_cast<int>(read.integer("kiosk", "idle_reset_seconds", 45, 5, 3600));
    config.assets_dir = resolve(config_path, read.text("kiosk", "assets", false));
    if (config.assets_dir.empty()) config.assets_dir = default_assets_dir();
    config.catalog_path = resolve(config_path, read.text("kiosk", "catalog", false));
    if (config.catalog_path.empty()) config.catalog_path = config.assets_dir + "/catalog/catalog.json";
    if (const auto products = root["kiosk"]["products"]) {
        const auto* array = products.as_array();
        if (!array) read.fail("kiosk.products", "must be a list of skus such as [\"8710398500103\"]");
        for (std::size_t i = 0; array && i < array->size(); ++i) {
            const auto sku = (*array)[i].value<std::string>();
            if (!sku || sku->empty()) {
                read.fail("kiosk.products", "must hold skus as strings");
                break;
            }
            config.shelf_skus.push_back(*sku);
        }
    }
    config.dpi = read.real("kiosk", "dpi", 96.0, 40.0, 1000.0);
    config.receipt_pattern = read.text("kiosk", "receipt_pattern", false);
    if (!config.receipt_pattern.empty()) {
        try {
            const std::regex compiled(config.receipt_pattern, std::regex::ECMAScript);
            (void)compiled;
        } catch (const std::regex_error& error) {
            read.fail("kiosk.receipt_pattern", "is not a regular expression (" + std::string(error.what()) +
                                                   "); write one such as \"R?[0-9]{12}\"");
        }
    }

    if (const auto languages = root["kiosk"]["languages"]) {
        const auto* array = languages.as_array();
        if (!array || array->empty()) {
            read.fail("kiosk.languages", "must be a non-empty list such as [\"en\", \"fa\"]");
        } else {
            config.languages.clear();
            for (const auto& element : *array) {
                const auto code = element.value<std::string>();
                if (!code || !core::is_kiosk_language(*code)) {
                    const std::string named = code ? "'" + *code + "'" : "a value that is not a string";
                    read.fail("kiosk.languages", "holds " + named + ", which is not a language this kiosk speaks "
                                                 "(supported: en, fa, ar, el, tr)");
                    break;
                }
                config.languages.push_back(*code);
            }
        }
    }

    config.hub_url = read.text("hub", "url", true);
    if (!config.hub_url.empty()) {
        if (const auto problem = url_problem(config.hub_url)) read.fail("hub.url", *problem);
    }
    while (!config.hub_url.empty() && config.hub_url.back() == '/') config.hub_url.pop_back();
    config.sync_interval_seconds = static_cast<int>(read.integer("hub", "sync_interval_seconds", 30, 1, 86400));
    const std::string token = read.text("hub", "token", false);
    const std::string token_file = resolve(config_path, read.text("hub", "token_file", false));
    if (!token.empty() && !token_file.empty()) {
        read.fail("hub.token", "and hub.token_file are both set; keep one");
    } else if (!token.empty()) {
        config.hub_token = token;
    } else if (!token_file.empty()) {
        config.hub_token_file = token_file;
        std::ifstream token_stream(token_file);
        if (!token_stream) {
            read.fail("hub.token_file", "names " + token_file + ", which cannot be read");
        } else {
            std::getline(token_stream, config.hub_token);
            while (!config.hub_token.empty() && std::isspace(static_cast<unsigned char>(config.hub_token.back()))) {
                config.hub_token.pop_back();
            }
            if (config.hub_token.empty()) read.fail("hub.token_file", "names an empty file: " + token_file);
        }
    } else {
        read.fail("hub.token", "is missing (set hub.token or hub.token_file; `truthpoint-hub kiosk add` prints it)");
    }
    config.hub_ca_file = resolve(config_path, read.text("hub", "ca_file", false));
    if (!config.hub_ca_file.empty() && !std::filesystem::exists(config.hub_ca_file)) {
        read.fail("hub.ca_file", "names " + config.hub_ca_file + ", which does not exist");
    }
    config.hub_pinned_public_key = read.text("hub", "pinned_public_key", false);
    if (!config.hub_pinned_public_key.empty() && config.hub_pinned_public_key.rfind("sha256//", 0) != 0) {
        read.fail("hub.pinned_public_key", "must look like \"sha256//BASE64\" (docs/hub.md, \"TLS with nginx\", shows how to compute it)");
    }
    config.keep_delivered_days = static_cast<int>(read.integer("kiosk", "keep_delivered_days", 30, 1, 3650));
    config.backlog_warning = read.integer("kiosk", "backlog_warning", 50000, 100, 100000000);
    config.staff_pin_hash = read.text("staff", "pin_hash", false);
    if (!config.staff_pin_hash.empty() && !looks_like_argon2id(config.staff_pin_hash)) {
        read.fail("staff.pin_hash", "is not an argon2id hash (\"$argon2id$v=19$...\"): write it with "
                                    "`truthpoint-kiosk set-pin`, never by hand");
    }

    if (read.error) return core::make_error(core::ErrorCode::InvalidArgument, *read.error);
    return config;
}

}  // namespace truthpoint::app
