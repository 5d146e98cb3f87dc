// The hub's request limits, kept in one place so the server, the docs and the tests agree.
#pragma once

#include <cstddef>

namespace truthpoint::hub {

// A batch body may be at most this large, both on the wire and once decompressed: a gzip bomb is
// cut off when its inflated output crosses this line, not after it has filled memory.
inline constexpr std::size_t kMaxBatchBodyBytes = 8 * 1024 * 1024;

}  // namespace truthpoint::hub
