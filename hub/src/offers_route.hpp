// POST /api/v1/offers/check and /api/v1/offers/redeem: a till checks a sorry card's code, and redeems it
// once. Private to hub/; server.cpp registers the routes after the till's token is checked.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// The body's code, {"code": "7K3M-9X2P-Q8RT"}, as core::normalise_sorry_code writes it; InvalidArgument
// saying what is wrong otherwise.
Result<std::string> decode_offer_code(std::string_view body);

struct OfferAnswer {
    int status = 200;
    nlohmann::json body;
};

enum class OfferAction { Check, Redeem };

// What the till `till` is told about `code` (docs/hub.md, "Sorry cards at the till"): 200 with the card,
// whether it is still redeemable (Check) or redeemed now (Redeem); 404 for a code no card of this chain holds
// (or one the chain's receipt key did not make); 403 for another store's card; 409 for redeeming a card
// redeemed before, with when and by which till. A store that cannot answer is an error value (the caller
// answers 503).
Result<OfferAnswer> answer_offer(Store& store, const PosRecord& till, const std::string& code, OfferAction action,
                                 core::Timestamp now);

}  // namespace truthpoint::hub
