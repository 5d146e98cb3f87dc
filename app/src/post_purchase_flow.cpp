// The post-purchase state machine: one session per shopper, each answer recorded when given, the
// receipt code reduced to its keyed hash the moment it is complete, and an ending that fits the answers.
#include "truthpoint/app/post_purchase_flow.hpp"

#include <algorithm>

#include "truthpoint/core/scrub.hpp"

namespace truthpoint::app {

using core::EventType;
using core::Timestamp;
using std::chrono::milliseconds;

namespace {

bool is_topic(const std::string& topic) { return core::find_answer(core::kPostPurchaseTopics, topic) != nullptr; }

void toggle(std::vector<std::string>& chosen, const std::string& topic) {
    const auto found = std::find(chosen.begin(), chosen.end(), topic);
    if (found == chosen.end()) {
        chosen.push_back(topic);
    } else {
        chosen.erase(found);
    }
}

// The first `limit` code points of UTF-8 `text` (a cut inside a character drops that character).
std::string first_code_points(const std::string& text, std::size_t limit) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            if (count == limit) return text.substr(0, i);
            ++count;
        }
    }
    return text;
}

nlohmann::json names(const std::vector<std::string>& list) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& name : list) array.push_back(name);
    return array;
}

}  // namespace

PostPurchaseFlow::PostPurchaseFlow(EventSink& sink, core::UuidV7Generator& ids, std::vector<Product> shelf,
                                   PostPurchaseSettings settings, PostPurchaseTimings timings)
    : sink_(sink), ids_(ids), shelf_(std::move(shelf)), settings_(std::move(settings)), timings_(timings) {}

bool PostPurchaseFlow::is_receipt_code(const std::string& code) const {
    return core::receipt_code_matches(settings_.receipt_pattern, code);
}

void PostPurchaseFlow::replace(std::vector<Product> shelf, PostPurchaseSettings settings) {
    if (shelf.empty()) shelf = shelf_;
    pending_ = Pending{std::move(shelf), std::move(settings)};
    if (!active()) {
        shelf_ = std::move(pending_->shelf);
        settings_ = std::move(pending_->settings);
        pending_.reset();
    }
}

int PostPurchaseFlow::progress_position() const {
    switch (step_) {
        case PostPurchaseStep::Rating: return 1;
        case PostPurchaseStep::Expectations: return 2;
        case PostPurchaseStep::Recommend: return 3;
        case PostPurchaseStep::Topics: return 4;
        case PostPurchaseStep::Comment: return 5;
        case PostPurchaseStep::Consent: return 6;
        default: return 0;
    }
}

bool PostPurchaseFlow::back_allowed() const {
    return step_ == PostPurchaseStep::Receipt || step_ == PostPurchaseStep::ProductPick ||
           step_ == PostPurchaseStep::Rating;
}

bool PostPurchaseFlow::skip_allowed() const {
    switch (step_) {
        case PostPurchaseStep::Receipt:
        case PostPurchaseStep::Expectations:
        case PostPurchaseStep::Recommend:
        case PostPurchaseStep::Topics:
        case PostPurchaseStep::Comment:
        case PostPurchaseStep::Consent:
            return true;
        default:
            return false;
    }
}

core::Event PostPurchaseFlow::make_event(EventType type, Timestamp at, nlohmann::json data) {
    core::Event event;
    event.id = ids_.next_at(at);
    event.type = type;
    event.occurred_at = at;
    event.session_id = session_.session_id;
    event.locale = session_.locale;
    if (core::requires_sku(type) && session_.product) event.sku = session_.product->sku;
    event.data = std::move(data);
    return event;
}

void PostPurchaseFlow::record(core::Event event) { session_.answers.record(sink_, std::move(event)); }

nlohmann::json PostPurchaseFlow::with_receipt(nlohmann::json data) const {
    if (!session_.receipt_hash.empty()) data["receipt_hash"] = session_.receipt_hash;
    if (!session_.earlier_receipt_hash.empty()) data["earlier_receipt_hash"] = session_.earlier_receipt_hash;
    return data;
}

void PostPurchaseFlow::touch(Timestamp now) { session_.last_activity = now; }

void PostPurchaseFlow::begin(const std::string& locale, const char* entry, Timestamp now) {
    session_ = PostPurchaseSession{};
    session_.locale = locale;
    session_.session_id = ids_.next_at(now);
    session_.first_touch = now;
    touch(now);
    record(make_event(EventType::SessionStart, now, {{"flow", "post_purchase"}, {"entry", entry}}));
}

void PostPurchaseFlow::start(const std::string& locale, Timestamp now) {
    if (active()) return;
    begin(locale, "call_to_action", now);
    if (has_receipt_key()) {
        step_ = PostPurchaseStep::Receipt;
    } else {
        session_.receipt = ReceiptEntry::NoKey;  // no key yet: nothing to hash with, so no receipt is asked
        after_receipt(now);
    }
}

void PostPurchaseFlow::start_with_scanned_receipt(const std::string& code, const std::string& locale, Timestamp now) {
    if (active()) return;
    begin(locale, "receipt_scan", now);
    if (has_receipt_key()) {
        take_receipt(code, ReceiptEntry::Scanner);
    } else {
        session_.receipt = ReceiptEntry::NoKey;  // the code is dropped unread; the answers are unverified
    }
    after_receipt(now);
}

void PostPurchaseFlow::take_receipt(const std::string& code, ReceiptEntry entry) {
    session_.receipt_hash = core::receipt_hash(*settings_.receipt_key, code);
    if (settings_.earlier_receipt_key) session_.earlier_receipt_hash = core::receipt_hash(*settings_.earlier_receipt_key, code);
    session_.receipt = entry;
    session_.keypad.clear();
    session_.keypad_refused = false;
}

void PostPurchaseFlow::after_receipt(Timestamp now) {
    if (shelf_.size() == 1) {
        go_to_product(shelf_.front(), now);
    } else {
        step_ = PostPurchaseStep::ProductPick;
    }
}

void PostPurchaseFlow::go_to_product(const Product& product, Timestamp now) {
    session_.product = product;
    touch(now);
    step_ = PostPurchaseStep::Rating;
}

void PostPurchaseFlow::press_digit(char digit, Timestamp now) {
    if (step_ != PostPurchaseStep::Receipt || digit < '0' || digit > '9') return;
    touch(now);
    session_.keypad_refused = false;
    if (session_.keypad.size() < kMaxReceiptDigits) session_.keypad += digit;
}

void PostPurchaseFlow::delete_digit(Timestamp now) {
    if (step_ != PostPurchaseStep::Receipt) return;
    touch(now);
    session_.keypad_refused = false;
    if (!session_.keypad.empty()) session_.keypad.pop_back();
}

void PostPurchaseFlow::receipt_done(Timestamp now) {
    if (step_ != PostPurchaseStep::Receipt || session_.keypad.empty()) return;
    touch(now);
    // The same pattern as for scans ([kiosk] receipt_pattern must accept the printed digits too): a
    // mistyped code is refused on screen, and left there to be corrected.
    if (!settings_.receipt_pattern.empty() && !is_receipt_code(session_.keypad)) {
        session_.keypad_refused = true;
        return;
    }
    take_receipt(session_.keypad, ReceiptEntry::Keypad);
    after_receipt(now);
}

bool PostPurchaseFlow::scan(const std::string& code, Timestamp now) {
    if (step_ == PostPurchaseStep::Receipt && is_receipt_code(code)) {
        touch(now);
        take_receipt(code, ReceiptEntry::Scanner);
        after_receipt(now);
        return true;
    }
    if (step_ == PostPurchaseStep::ProductPick || step_ == PostPurchaseStep::Rating) {
        const auto product = std::find_if(shelf_.begin(), shelf_.end(), [&](const Product& p) { return p.sku == code; });
        if (product == shelf_.end()) return false;
        go_to_product(*product, now);
        return true;
    }
    return false;
}

void PostPurchaseFlow::pick_product(const std::string& sku, Timestamp now) {
    if (step_ != PostPurchaseStep::ProductPick) return;
    const auto product = std::find_if(shelf_.begin(), shelf_.end(), [&](const Product& p) { return p.sku == sku; });
    if (product != shelf_.end()) go_to_product(*product, now);
}

void PostPurchaseFlow::report_pain(const char* reason, Timestamp now) {
    nlohmann::json data{{"moment", "smot"}, {"reason", reason}};
    if (session_.rating) data["rating"] = *session_.rating;
    if (!session_.pain.empty()) data["topics"] = names(session_.pain);
    record(make_event(EventType::PainReported, now, std::move(data)));
}

void PostPurchaseFlow::rate(int stars, Timestamp now) {
    if (step_ != PostPurchaseStep::Rating || stars < 1 || stars > 5) return;
    touch(now);
    session_.rating = stars;
    nlohmann::json data{{"rating", stars},
                        {"receipt", to_string(session_.receipt.value_or(ReceiptEntry::Skipped))},
                        {"ms_to_rate", std::max<std::int64_t>(0, std::chrono::duration_cast<milliseconds>(
                                                                     now - session_.first_touch)
                                                                     .count())}};
    record(make_event(EventType::SmotFeedback, now, with_receipt(std::move(data))));
    if (stars <= settings_.sorry_card.rating_at_most) {
        session_.sorry_reason = "low_rating";
        report_pain("low_rating", now);
    }
    step_ = PostPurchaseStep::Expectations;
}

void PostPurchaseFlow::choose_expectations(Expectations expectations, Timestamp now) {
    if (step_ != PostPurchaseStep::Expectations) return;
    touch(now);
    record(make_event(EventType::SmotExpectations, now, with_receipt({{"expectations", to_string(expectations)}})));
    step_ = PostPurchaseStep::Recommend;
}

void PostPurchaseFlow::choose_recommend(int score, Timestamp now) {
    if (step_ != PostPurchaseStep::Recommend || score < 0 || score > 10) return;
    touch(now);
    record(make_event(EventType::SmotRecommend, now, with_receipt({{"score", score}})));
    step_ = PostPurchaseStep::Topics;
}

void PostPurchaseFlow::toggle_glory(const std::string& topic, Timestamp now) {
    if (step_ != PostPurchaseStep::Topics || !is_topic(topic)) return;
    touch(now);
    toggle(session_.glory, topic);
}

void PostPurchaseFlow::toggle_pain(const std::string& topic, Timestamp now) {
    if (step_ != PostPurchaseStep::Topics || !is_topic(topic)) return;
    touch(now);
    toggle(session_.pain, topic);
}

void PostPurchaseFlow::topics_done(Timestamp now) {
    if (step_ != PostPurchaseStep::Topics) return;
    touch(now);
    if (!session_.glory.empty() || !session_.pain.empty()) {
        nlohmann::json data = nlohmann::json::object();
        if (!session_.glory.empty()) data["glory"] = names(session_.glory);
        if (!session_.pain.empty()) data["pain"] = names(session_.pain);
        record(make_event(EventType::SmotTopics, now, with_receipt(std::move(data))));
    }
    if (!session_.pain.empty()) {
        report_pain("pain_topics", now);
        if (settings_.sorry_card.on_pain && !session_.sorry_reason) session_.sorry_reason = "pain";
    }
    step_ = PostPurchaseStep::Comment;
}

void PostPurchaseFlow::edit_comment(std::string text, Timestamp now) {
    if (step_ != PostPurchaseStep::Comment) return;
    touch(now);
    session_.comment = first_code_points(text, kMaxCommentCharacters);
}

void PostPurchaseFlow::comment_done(Timestamp now) {
    if (step_ != PostPurchaseStep::Comment) return;
    touch(now);
    const core::ScrubbedText scrubbed = core::scrub_comment(session_.comment);
    session_.comment.clear();  // only the scrubbed form outlives this tap
    if (!scrubbed.text.empty()) {
        nlohmann::json data{{"comment", scrubbed.text}};
        if (!scrubbed.removed.empty()) data["removed"] = names(scrubbed.removed);
        record(make_event(EventType::SmotComment, now, with_receipt(std::move(data))));
        session_.comment_recorded = scrubbed.text;
    }
    step_ = PostPurchaseStep::Consent;
}

void PostPurchaseFlow::choose_consent(bool share, Timestamp now) {
    if (step_ != PostPurchaseStep::Consent) return;
    touch(now);
    record(make_event(EventType::UmotConsent, now, with_receipt({{"consent", share}})));
    if (share && session_.rating) {
        record(make_event(EventType::UmotReview, now,
                          with_receipt({{"rating", *session_.rating},
                                        {"text", session_.comment_recorded.value_or("")},
                                        {"consent", true}})));
    }
    finish(now);
}

void PostPurchaseFlow::skip(Timestamp now) {
    if (!skip_allowed()) return;
    touch(now);
    switch (step_) {
        case PostPurchaseStep::Receipt:
            session_.keypad.clear();
            session_.receipt = ReceiptEntry::Skipped;
            after_receipt(now);
            return;
        case PostPurchaseStep::Expectations: step_ = PostPurchaseStep::Recommend; return;
        case PostPurchaseStep::Recommend: step_ = PostPurchaseStep::Topics; return;
        case PostPurchaseStep::Topics:
            session_.glory.clear();
            session_.pain.clear();
            step_ = PostPurchaseStep::Comment;
            return;
        case PostPurchaseStep::Comment:
            session_.comment.clear();
            step_ = PostPurchaseStep::Consent;
            return;
        case PostPurchaseStep::Consent: finish(now); return;  // no answer: neither yes nor no is recorded
        default: return;
    }
}

void PostPurchaseFlow::back(Timestamp now) {
    switch (step_) {
        case PostPurchaseStep::Receipt:
            end_session("abandoned", now);
            return;
        case PostPurchaseStep::ProductPick:
            if (has_receipt_key()) {
                touch(now);
                session_.receipt.reset();
                session_.receipt_hash.clear();
                session_.earlier_receipt_hash.clear();
                step_ = PostPurchaseStep::Receipt;
            } else {
                end_session("abandoned", now);
            }
            return;
        case PostPurchaseStep::Rating:
            touch(now);
            session_.product.reset();
            if (shelf_.size() > 1) {
                step_ = PostPurchaseStep::ProductPick;
            } else if (has_receipt_key()) {
                session_.receipt.reset();
                session_.receipt_hash.clear();
                session_.earlier_receipt_hash.clear();
                step_ = PostPurchaseStep::Receipt;
            } else {
                end_session("abandoned", now);
            }
            return;
        default:
            return;
    }
}

const core::ConfigOffer* PostPurchaseFlow::offer_for_session() const {
    if (!session_.product) return nullptr;
    const core::ConfigOffer* any = nullptr;
    for (const core::ConfigOffer& offer : settings_.offers) {
        if (offer.sku != session_.product->sku) continue;
        if (offer.locale == session_.locale) return &offer;
        if (!any || offer.locale == "en") any = &offer;
    }
    return any;
}

void PostPurchaseFlow::finish(Timestamp now) {
    if (session_.sorry_reason) {
        SorryCardShown card;
        card.reason = *session_.sorry_reason;
        nlohmann::json data{{"reason", card.reason}};
        const core::ConfigOffer* offer = offer_for_session();
        if (offer && settings_.receipt_key) {
            const std::string card_id = ids_.next_at(now);
            card.offer_text = offer->text;
            card.code = core::sorry_card_code(*settings_.receipt_key, card_id);
            data["offer"] = true;
            data["card_id"] = card_id;
            data["code"] = card.code;
            data["offer_text"] = card.offer_text;
        } else {
            // A code nobody can check is no offer: without the key the apology stands alone.
            data["offer"] = false;
            data["no_offer_because"] = offer ? "no_receipt_key" : "no_offer";
        }
        record(make_event(EventType::SorryCard, now, std::move(data)));
        session_.sorry_card = std::move(card);
    }
    if (session_.answers.all_committed()) {
        show_end(now);
    } else {
        step_ = PostPurchaseStep::Saving;
    }
}

void PostPurchaseFlow::show_end(Timestamp now) {
    session_.done_since = now;
    step_ = session_.sorry_card ? PostPurchaseStep::Sorry : PostPurchaseStep::ThankYou;
}

void PostPurchaseFlow::done(Timestamp now) {
    if (step_ == PostPurchaseStep::ThankYou || step_ == PostPurchaseStep::Sorry) end_session("completed", now);
}

void PostPurchaseFlow::choose_language(const std::string& locale, Timestamp now) {
    if (!active() || step_ == PostPurchaseStep::Saving) return;
    touch(now);
    session_.locale = locale;
}

void PostPurchaseFlow::note_touch(Timestamp now) {
    if (active()) touch(now);
}

void PostPurchaseFlow::event_committed(const std::string& event_id, Timestamp now) {
    session_.answers.committed(event_id);
    if (step_ == PostPurchaseStep::Saving && session_.answers.settled()) show_end(now);
}

void PostPurchaseFlow::event_failed(const std::string& event_id, const std::string& error, Timestamp) {
    if (!session_.answers.failed(event_id, error)) return;  // an earlier shopper's event; the recorder logged it
    step_ = PostPurchaseStep::Saving;
}

void PostPurchaseFlow::retry_save(Timestamp now) {
    if (step_ != PostPurchaseStep::Saving || session_.answers.error().empty()) return;
    touch(now);
    session_.answers.retry(sink_);
}

void PostPurchaseFlow::end_session(const char* outcome, Timestamp now) {
    sink_.record(make_event(EventType::SessionEnd, now,
                            {{"outcome", outcome}, {"last_step", to_string(step_)}, {"flow", "post_purchase"}}));
    session_ = PostPurchaseSession{};  // nothing of this shopper survives the reset
    step_ = PostPurchaseStep::Inactive;
    if (pending_) {
        shelf_ = std::move(pending_->shelf);
        settings_ = std::move(pending_->settings);
        pending_.reset();
    }
}

bool PostPurchaseFlow::tick(Timestamp now) {
    switch (step_) {
        case PostPurchaseStep::Inactive:
            return false;
        case PostPurchaseStep::ThankYou:
            if (now - session_.done_since >= timings_.thank_you) {
                end_session("completed", now);
                return true;
            }
            return false;
        case PostPurchaseStep::Sorry: {
            const auto shown = session_.sorry_card && !session_.sorry_card->code.empty() ? timings_.sorry_with_offer
                                                                                          : timings_.sorry;
            if (now - session_.done_since >= shown) {
                end_session("completed", now);
                return true;
            }
            return false;
        }
        case PostPurchaseStep::Saving:
            if (session_.answers.error().empty()) return false;
            [[fallthrough]];
        default:
            if (now - session_.last_activity >= timings_.idle_reset) {
                end_session("abandoned", now);
                return true;
            }
            return false;
    }
}

std::optional<Timestamp> PostPurchaseFlow::next_deadline(Timestamp now) const {
    switch (step_) {
        case PostPurchaseStep::Inactive:
            return std::nullopt;
        case PostPurchaseStep::ThankYou:
            return std::max(now + milliseconds(1), session_.done_since + timings_.thank_you);
        case PostPurchaseStep::Sorry: {
            const auto shown = session_.sorry_card && !session_.sorry_card->code.empty() ? timings_.sorry_with_offer
                                                                                          : timings_.sorry;
            return std::max(now + milliseconds(1), session_.done_since + shown);
        }
        case PostPurchaseStep::Saving:
            if (session_.answers.error().empty()) return std::nullopt;
            [[fallthrough]];
        default: {
            const Timestamp reset = session_.last_activity + timings_.idle_reset;
            const Timestamp warning = reset - timings_.idle_warning;
            if (now < warning) return warning;
            if (now >= reset) return now + milliseconds(1);
            const auto whole_seconds_left = std::chrono::duration_cast<std::chrono::seconds>(reset - now);
            const Timestamp next = reset - whole_seconds_left;
            return next > now ? next : next + std::chrono::seconds(1);
        }
    }
}

std::optional<int> PostPurchaseFlow::idle_countdown(Timestamp now) const {
    if (step_ == PostPurchaseStep::Inactive || step_ == PostPurchaseStep::ThankYou || step_ == PostPurchaseStep::Sorry) {
        return std::nullopt;
    }
    if (step_ == PostPurchaseStep::Saving && session_.answers.error().empty()) return std::nullopt;
    const auto left = session_.last_activity + timings_.idle_reset - now;
    if (left > timings_.idle_warning || left <= milliseconds(0)) return std::nullopt;
    return static_cast<int>((left.count() + 999) / 1000);
}

const char* to_string(PostPurchaseStep step) {
    switch (step) {
        case PostPurchaseStep::Inactive: return "inactive";
        case PostPurchaseStep::Receipt: return "receipt";
        case PostPurchaseStep::ProductPick: return "product_pick";
        case PostPurchaseStep::Rating: return "rating";
        case PostPurchaseStep::Expectations: return "expectations";
        case PostPurchaseStep::Recommend: return "recommend";
        case PostPurchaseStep::Topics: return "topics";
        case PostPurchaseStep::Comment: return "comment";
        case PostPurchaseStep::Consent: return "consent";
        case PostPurchaseStep::Saving: return "saving";
        case PostPurchaseStep::ThankYou: return "thank_you";
        case PostPurchaseStep::Sorry: return "sorry";
    }
    return "unknown";
}

const char* to_string(Expectations expectations) {
    return core::kExpectations[static_cast<std::size_t>(expectations)].wire.data();
}

const char* to_string(ReceiptEntry entry) {
    switch (entry) {
        case ReceiptEntry::Keypad: return "keypad";
        case ReceiptEntry::Scanner: return "scanner";
        case ReceiptEntry::Skipped: return "skipped";
        case ReceiptEntry::NoKey: return "no_key";
    }
    return "unknown";
}

}  // namespace truthpoint::app
