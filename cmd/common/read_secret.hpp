// Asking for a PIN or password on the command line: shared by both executables.
#pragma once

#include <string>

namespace truthpoint::cli {

// Reads one line from the terminal without echoing it (after writing `prompt` to stderr), or from a
// pipe as it comes, so that scripts can pipe the answers in.
std::string read_secret(const char* prompt);

}  // namespace truthpoint::cli
