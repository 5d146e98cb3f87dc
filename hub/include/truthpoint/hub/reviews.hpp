// Review moderation (docs/hub.md, "Reviews and moderation"): the umot.review events shoppers shared wait
// in a queue until a manager approves or rejects each (a rejection with its reason); approved ones reach
// the kiosks showing that product with their configuration (kiosk_config.hpp). The storage role is written
// once over the SQL seam (hub/src/sql.hpp) for both engines; review_flags is what the moderator is warned
// of, computed as the queue is listed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/result.hpp"

namespace truthpoint::hub {

namespace sql {
class Database;
}

enum class ReviewState { Pending, Approved, Rejected };
std::string_view to_string(ReviewState state);  // pending, approved, rejected
std::optional<ReviewState> parse_review_state(std::string_view text);

// A rejection's reason, and an approval's optional note, in bytes.
inline constexpr std::size_t kMaxReviewReasonBytes = 2000;

// A shared review as the moderator sees it: its umot.review event and the decision on it, if any.
// `text` is the shopper's own (scrubbed) words: show it as text only.
struct ReviewRecord {
    std::string id;  // the umot.review event's id
    std::string store_id;
    std::string kiosk_id;
    std::string region;  // of the kiosk that sent it, as enrolled
    std::string sku;
    std::string locale;
    int rating = 0;  // 1-5
    std::string text;
    core::Timestamp occurred_at{};
    ReviewState state = ReviewState::Pending;
    std::string reason;      // a rejection's reason (an approval's note); empty while pending
    std::string decided_by;  // the user's name; empty while pending
    std::optional<core::Timestamp> decided_at;
};

// Every condition given must hold. Pending reviews come oldest first (a queue, worked from its head);
// decided ones most recently decided first.
struct ReviewFilter {
    ReviewState state = ReviewState::Pending;
    std::optional<std::string> region;
    std::optional<std::string> store_id;
    std::optional<std::string> sku;
    std::int64_t limit = 100;
};

// What a review's text may hold that a moderator should look at before approving: each flag names what
// was found, in English ("e-mail", "phone number", "card number", "link", "profanity (tr)"), once each.
// Digits may be Latin, Persian (۰-۹) or Arabic-Indic (٠-٩). Not a filter: a hint for a person.
std::vector<std::string> review_flags(std::string_view text);

// The storage role. Every method is one transaction; failures come back as values.
class Reviews {
public:
    explicit Reviews(sql::Database& database) : database_(database) {}

    Result<std::vector<ReviewRecord>> list(const ReviewFilter& filter);
    // The review of umot.review event `id`, decided or not; nullopt when no such event is held.
    Result<std::optional<ReviewRecord>> find(std::string_view id);
    // Approves or rejects review `id` for `user` at `now`: the first decision stands, on any number of hubs.
    // InvalidArgument for a rejection without a reason (blank), a reason over kMaxReviewReasonBytes or
    // `decision` Pending; NotFound when no umot.review event has that id; Conflict when it was decided
    // before (the message says how and by whom). Nothing is stored on any error.
    Result<ReviewRecord> decide(std::string_view id, ReviewState decision, std::string_view reason,
                                std::string_view user, core::Timestamp now);
    // The approved reviews with text of these products, for the kiosks' configuration: for each sku its
    // newest (by occurred_at) first, at most `per_product` of each; products in the order of `skus`.
    Result<std::vector<ReviewRecord>> approved_for(const std::vector<std::string>& skus, std::size_t per_product);

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
