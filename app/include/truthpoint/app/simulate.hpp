// `truthpoint-kiosk simulate`: realistic shopper and staff events written through the FMOT and
// post-purchase flows and the ledger, exactly as taps are — for demos, load tests and soak tests.
#pragma once

#include <cstdint>
#include <string>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/app/post_purchase_flow.hpp"
#include "truthpoint/app/product_catalog.hpp"

namespace truthpoint::app {

struct SimulationOptions {
    std::int64_t events = 0;
    std::uint64_t seed = 1;  // the same seed gives the same shoppers (ids stay unique)
    // The hub's receipt key, sorry-card rule and offers, when the kiosk holds its configuration: with a key,
    // simulated shoppers give receipt codes (hashed as real ones); without, their answers are unverified.
    PostPurchaseSettings post_purchase;
};

// Writes exactly `options.events` events into `ledger`, spread over the hours before now: shoppers
// in the configured languages going through the FMOT flow for products of `shelf`, shoppers back after
// a purchase (ratings, recommendation scores, glory and pain, comments in their language, consent,
// sorry cards), and staff logs.
void simulate_shoppers(const KioskConfig& config, const std::vector<Product>& shelf, Ledger& ledger,
                       const SimulationOptions& options);

}  // namespace truthpoint::app
