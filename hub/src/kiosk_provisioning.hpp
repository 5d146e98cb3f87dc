// `kiosk add --write-config FILE --hub-url URL`: the enrolled kiosk's ready kiosk.toml, token inside, so a
// chain's 500 kiosks are a loop in a script. The file is reserved (created empty, mode 0600) before the
// kiosk is enrolled, so a path that cannot be written never costs a token printed to nobody.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "truthpoint/core/result.hpp"

namespace truthpoint::hub {

struct KioskConfigFile {
    std::string kiosk_id;
    std::string store_id;
    std::string hub_url;
    std::string token;
    std::vector<std::string> languages;  // empty: the kiosk's default
};

// The TOML text, with a header saying who wrote it and that it holds a secret.
std::string kiosk_config_toml(const KioskConfigFile& file);

// What is wrong with --hub-url or --languages, if anything (the kiosk would refuse them at start).
std::optional<std::string> provisioning_problem(const std::string& hub_url, const std::vector<std::string>& languages);

// A file created for the kiosk's configuration: mode 0600 from its first byte, refused if it exists
// unless `replace`. Removed again if destroyed before write() succeeded.
class ReservedConfigFile {
public:
    static core::Result<ReservedConfigFile> create(const std::string& path, bool replace);
    ReservedConfigFile(ReservedConfigFile&& other) noexcept;
    ReservedConfigFile& operator=(ReservedConfigFile&&) = delete;
    ~ReservedConfigFile();

    core::Status write(const std::string& text);

private:
    ReservedConfigFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
    std::string path_;
    int fd_ = -1;
    bool written_ = false;
};

}  // namespace truthpoint::hub
