// The hub's request limits, kept in one place so the server, the docs and the tests agree.
#pragma once

#include <cstddef>

namespace truthpoint::hub {

// A batch body may be at most this large, both on the wire and once decompressed: a gzip bomb is
// cut off when its inflated output crosses this line, not after it has filled memory.
inline constexpr std::size_t kMaxBatchBodyBytes = 8 * 1024 * 1024;

// The request line and header fields together, their number, and the target alone. Larger heads are
// refused (431, 414) before any handler runs; a kiosk's head is a few hundred bytes.
inline constexpr std::size_t kMaxRequestHeadBytes = 16 * 1024;
inline constexpr std::size_t kMaxHeaderFields = 100;
inline constexpr std::size_t kMaxRequestTargetBytes = 8 * 1024;

// Bodies of the sign-in and sign-out routes and of a till's sorry-card code (a form or a small JSON
// object). Every GET and DELETE route
// takes no body at all; only batches and receipts take kMaxBatchBodyBytes.
inline constexpr std::size_t kMaxFormBodyBytes = 16 * 1024;

}  // namespace truthpoint::hub
