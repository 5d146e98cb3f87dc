// replace_file_atomically: mkstemp beside the target, write, fchmod/fchown to the original's, fsync, rename.
#include "truthpoint/app/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace truthpoint::app {
namespace {

core::Error system_error(const std::string& what, const std::string& path) {
    return core::make_error(core::ErrorCode::Unavailable, what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

core::Status replace_file_atomically(const std::string& path, std::string_view text, mode_t new_file_mode) {
    namespace fs = std::filesystem;
    const fs::path target = fs::absolute(fs::path(path));
    const std::string directory = target.parent_path().string();

    struct stat original {};
    const bool exists = ::stat(target.c_str(), &original) == 0;
    if (!exists && errno != ENOENT) return system_error("cannot read the mode of", target.string());

    std::string temp = target.string() + ".tmp-XXXXXX";
    const int fd = mkstemp(temp.data());  // 0600 until the fchmod below
    if (fd < 0) return system_error("cannot create a temporary file in", directory);
    bool ok = ::fchmod(fd, exists ? (original.st_mode & 07777) : new_file_mode) == 0;
    // Root rewriting a file the kiosk's user owns must hand it back, or the kiosk can no longer read it.
    if (ok && exists && (original.st_uid != ::geteuid() || original.st_gid != ::getegid())) {
        ok = ::fchown(fd, original.st_uid, original.st_gid) == 0;
    }
    for (std::size_t written = 0; ok && written < text.size();) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) written += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    std::optional<core::Error> problem;
    if (!ok) problem = system_error("cannot write", temp);
    if (::close(fd) != 0 && !problem) problem = system_error("cannot write", temp);
    if (!problem && std::rename(temp.c_str(), target.c_str()) != 0) problem = system_error("cannot replace", target.string());
    if (problem) {
        ::unlink(temp.c_str());
        return *problem;
    }
    if (const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);  // the rename itself survives a power cut
        ::close(dir);
    }
    return core::Ok{};
}

}  // namespace truthpoint::app
