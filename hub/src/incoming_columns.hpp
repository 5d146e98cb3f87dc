// The columns of an IncomingEvent as both stores write them, using what prepare_batch worked out on the
// request's thread (IncomingEvent::occurred_at, data_size) so that the single writer only binds.
#pragma once

#include <string>
#include <string_view>

#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// occurred_at as RFC 3339 text: the precomputed one, else formatted here.
inline std::string occurred_at_text(const IncomingEvent& incoming) {
    return incoming.occurred_at.empty() ? core::format_rfc3339(incoming.event.occurred_at) : incoming.occurred_at;
}

// `data` as JSON text: the slice of the canonical text that holds it, else dumped into `scratch`.
inline std::string_view data_text(const IncomingEvent& incoming, std::string& scratch) {
    constexpr std::string_view kOpening = "{\"data\":";
    const std::string_view canonical = incoming.canonical;
    if (incoming.data_size == 0 || canonical.substr(0, kOpening.size()) != kOpening ||
        canonical.size() < kOpening.size() + incoming.data_size) {
        scratch = incoming.event.data.dump();
        return scratch;
    }
    return canonical.substr(kOpening.size(), incoming.data_size);
}

}  // namespace truthpoint::hub
