// Sorry cards at the till (see offers_route.hpp).
#include "offers_route.hpp"

#include "truthpoint/core/receipt.hpp"
#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/kiosk_config.hpp"

namespace truthpoint::hub {
namespace {

nlohmann::json card_json(const SorryCardRecord& card) {
    nlohmann::json json{{"code", card.code},
                        {"store", card.store_id},
                        {"sku", card.sku},
                        {"offer_text", card.offer_text},
                        {"locale", card.locale},
                        {"issued_at", core::format_rfc3339(card.issued_at)},
                        {"redeemed_at", nullptr},
                        {"redeemed_by", nullptr}};
    if (card.redeemed_at) {
        json["redeemed_at"] = core::format_rfc3339(*card.redeemed_at);
        json["redeemed_by"] = card.redeemed_by;
    }
    return json;
}

OfferAnswer refused(int status, const std::string& message) { return {status, {{"error", message}}}; }

// A card the chain's key made: its code is the one the key derives from its card id. A kiosk's event
// naming a code of its own making is no card a till may pay out on.
// Under the current key or one rotated out: a card handed out before `receipt-key rotate` is still good.
Result<bool> made_by_chain_key(Store& store, const SorryCardRecord& card) {
    auto keys = chain_receipt_keys_held(store);
    if (!keys) return keys.error();
    for (const core::ReceiptKey& key : *keys) {
        if (core::sorry_card_code(key, card.card_id) == card.code) return true;
    }
    return false;
}

}  // namespace

Result<std::string> decode_offer_code(std::string_view body) {
    const auto invalid = [](const std::string& message) { return make_error(ErrorCode::InvalidArgument, message); };
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return invalid("the body must be a JSON object: {\"code\": \"...\"}");
    const auto code = json.find("code");
    if (code == json.end() || !code->is_string()) return invalid("the body must hold the card's \"code\" as a string");
    const std::string typed = code->get<std::string>();
    auto normalised = core::normalise_sorry_code(typed);
    if (!normalised) {
        return invalid("code: '" + typed.substr(0, 64) + "' is not a sorry card's code (" +
                       std::to_string(core::kSorryCodeLength) + " letters and digits, as printed on the card)");
    }
    return *normalised;
}

Result<OfferAnswer> answer_offer(Store& store, const PosRecord& till, const std::string& code, OfferAction action,
                                 core::Timestamp now) {
    auto found = store.find_sorry_card(code);
    if (!found) return found.error();
    const std::string never_issued = "no sorry card of this chain has the code " + code + ": check it was typed as printed";
    if (!found->has_value()) return refused(404, never_issued);
    SorryCardRecord card = std::move(**found);
    auto genuine = made_by_chain_key(store, card);
    if (!genuine) return genuine.error();
    if (!*genuine) return refused(404, never_issued);
    if (card.store_id != till.store_id) {
        return refused(403, "this card was issued by store " + card.store_id + "; it is redeemed at that store's tills, "
                            "and this till is at store " + till.store_id);
    }
    if (action == OfferAction::Check) {
        nlohmann::json body = card_json(card);
        body["redeemable"] = !card.redeemed_at;
        return OfferAnswer{200, std::move(body)};
    }
    auto redemption = store.redeem_sorry_card(code, till.pos_id, now);
    if (!redemption) return redemption.error();
    card = std::move(redemption->card);
    if (!redemption->redeemed_now) {
        OfferAnswer answer = refused(409, "this card was already redeemed, at " + core::format_rfc3339(*card.redeemed_at) +
                                              " by till " + card.redeemed_by);
        answer.body.update(card_json(card));
        return answer;
    }
    nlohmann::json body = card_json(card);
    body["redeemed"] = true;
    return OfferAnswer{200, std::move(body)};
}

}  // namespace truthpoint::hub
