// What the fuzz targets share: a check that stops the run with a message (libFuzzer saves the input).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#define FUZZ_CHECK(condition)                                                                   \
    do {                                                                                        \
        if (!(condition)) {                                                                     \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                       \
        }                                                                                       \
    } while (0)

// For code that reads a path: `data` written to a scratch file of this process (under $TMPDIR), its path.
// One name per process: the path is fixed at the first call.
inline const std::string& write_scratch_file(const char* name, const std::uint8_t* data, std::size_t size) {
    static const std::string path = [name] {
        const char* dir = std::getenv("TMPDIR");
        return std::string(dir ? dir : "/tmp") + "/truthpoint-fuzz-" + std::to_string(getpid()) + "-" + name;
    }();
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path;
}
