// Reading the project's gettext catalogs in tests: a file's bytes, and a .po file parsed or the test stopped
// with the parser's message (file and line).
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "truthpoint/core/translations.hpp"

namespace truthpoint::testing {

inline std::string read_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

inline std::vector<core::PoEntry> parse_po_file(const std::string& path) {
    auto parsed = core::parse_po(read_file(path), path);
    INFO((parsed ? std::string() : parsed.error().message));
    REQUIRE(parsed);
    return parsed.value();
}

}  // namespace truthpoint::testing
