// The one way the kiosk replaces a file: a reader, a crash or a power cut sees the old file or the new one,
// never half of either, and the file keeps who may read it.
#pragma once

#include <string>
#include <string_view>

#include <sys/types.h>

#include "truthpoint/core/result.hpp"

namespace truthpoint::app {

// Writes `text` to a temporary file in `path`'s directory, fsyncs it, renames it over `path` and fsyncs
// the directory. An existing file keeps its mode and owner (kiosk.toml at 0600 holds the hub token);
// a new one gets `new_file_mode`. Unavailable, with the path and the system's reason, when it fails:
// `path` is then untouched.
core::Status replace_file_atomically(const std::string& path, std::string_view text, mode_t new_file_mode = 0644);

}  // namespace truthpoint::app
