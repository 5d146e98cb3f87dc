// Writing an enrolled kiosk's configuration file (see kiosk_provisioning.hpp).
#include "kiosk_provisioning.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "truthpoint/core/time.hpp"
#include "truthpoint/core/vocabulary.hpp"

namespace truthpoint::hub {
namespace {

// A TOML basic string: the values are ids, a URL and a hex token, but quotes and backslashes stay safe.
std::string quoted(const std::string& value) {
    std::string text = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\') text += '\\';
        text += c;
    }
    return text + "\"";
}

core::Error file_error(const std::string& path, const std::string& what) {
    return core::make_error(core::ErrorCode::Unavailable, "--write-config: " + path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

std::string kiosk_config_toml(const KioskConfigFile& file) {
    std::string text = "# kiosk.toml for kiosk " + file.kiosk_id + ", written by `truthpoint-hub kiosk add` at " +
                       core::format_rfc3339(core::now_utc()) +
                       ".\n# It holds the kiosk's token: keep it mode 0600, owned by the kiosk's user (truthpoint).\n"
                       "# Every key: docs/configuration.md. Check the kiosk with `truthpoint-kiosk check`.\n\n";
    text += "[kiosk]\nid = " + quoted(file.kiosk_id) + "\nstore = " + quoted(file.store_id) +
            "\ndb = \"/var/lib/truthpoint/kiosk.db\"\n";
    if (!file.languages.empty()) {
        text += "languages = [";
        for (std::size_t i = 0; i < file.languages.size(); ++i) text += (i ? ", " : "") + quoted(file.languages[i]);
        text += "]\n";
    }
    text += "\n[hub]\nurl = " + quoted(file.hub_url) + "\ntoken = " + quoted(file.token) + "\n";
    return text;
}

std::optional<std::string> provisioning_problem(const std::string& hub_url, const std::vector<std::string>& languages) {
    const bool http = hub_url.rfind("http://", 0) == 0 && hub_url.size() > 7;
    const bool https = hub_url.rfind("https://", 0) == 0 && hub_url.size() > 8;
    if (!http && !https) return "--hub-url: '" + hub_url + "' is not an http:// or https:// address of the hub";
    if (hub_url.find_first_of(" \t\"\\") != std::string::npos) return "--hub-url: '" + hub_url + "' holds a space or quote";
    for (const std::string& language : languages) {
        if (!core::is_kiosk_language(language)) {
            return "--languages: '" + language + "' is not a language the kiosk speaks (en, fa, ar, el, tr)";
        }
    }
    return std::nullopt;
}

core::Result<ReservedConfigFile> ReservedConfigFile::create(const std::string& path, bool replace) {
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL);
    const int fd = ::open(path.c_str(), flags, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            return core::make_error(core::ErrorCode::InvalidArgument,
                                    "--write-config: " + path + " exists already; --force replaces it");
        }
        return file_error(path, "cannot be created");
    }
    if (::fchmod(fd, 0600) != 0) {  // a replaced file keeps its old mode otherwise
        const core::Error error = file_error(path, "cannot be made private (mode 0600)");
        ::close(fd);
        return error;
    }
    return ReservedConfigFile(path, fd);
}

ReservedConfigFile::ReservedConfigFile(ReservedConfigFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), written_(other.written_) {
    other.fd_ = -1;
}

ReservedConfigFile::~ReservedConfigFile() {
    if (fd_ < 0) return;
    ::close(fd_);
    if (!written_) ::unlink(path_.c_str());
}

core::Status ReservedConfigFile::write(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t wrote = ::write(fd_, text.data() + done, text.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote < 0) return file_error(path_, "cannot be written");
        done += static_cast<std::size_t>(wrote);
    }
    if (::fsync(fd_) != 0) return file_error(path_, "cannot be written to disk");
    written_ = true;
    return core::Ok{};
}

}  // namespace truthpoint::hub
