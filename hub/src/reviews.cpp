// Review moderation's storage, once for both engines (see reviews.hpp): a review is its umot.review event,
// its decision the row that event's id keys.
#include "truthpoint/hub/reviews.hpp"

#include <algorithm>

#include "sql.hpp"

namespace truthpoint::hub {
namespace {

// The review's event, its kiosk's region and its decision. The type condition is that of the partial index
// events_reviews_by_time.
std::string review_select(sql::Connection& db) {
    return "SELECT e.id, e.store_id, e.kiosk_id, coalesce(k.region, ''), coalesce(e.sku, ''), e.locale, "
           "CAST((e.data ->> 'rating') AS INTEGER), coalesce((e.data ->> 'text'), ''), " +
           db.time_column("e.occurred_at") + ", d.decision, coalesce(d.reason, ''), coalesce(d.decided_by, ''), " +
           db.time_column("d.decided_at") +
           " FROM events e LEFT JOIN kiosks k ON k.id = e.kiosk_id "
           "LEFT JOIN review_decisions d ON d.event_id = e.id WHERE e.type = 'umot.review'";
}

ReviewRecord read_review(const sql::Rows& rows) {
    ReviewRecord review;
    review.id = rows.text(0);
    review.store_id = rows.text(1);
    review.kiosk_id = rows.text(2);
    review.region = rows.text(3);
    review.sku = rows.text(4);
    review.locale = rows.text(5);
    review.rating = rows.is_null(6) ? 0 : static_cast<int>(rows.integer(6));
    review.text = rows.text(7);
    review.occurred_at = rows.time(8);
    if (!rows.is_null(9)) {
        review.state = rows.text(9) == "approved" ? ReviewState::Approved : ReviewState::Rejected;
        review.reason = rows.text(10);
        review.decided_by = rows.text(11);
        review.decided_at = rows.time(12);
    }
    return review;
}

std::optional<ReviewRecord> review_in(sql::Connection& db, std::string_view id) {
    auto rows = db.query(review_select(db) + " AND e.id = ?1", {id});
    if (!rows->next()) return std::nullopt;
    ReviewRecord review = read_review(*rows);
    while (rows->next()) {
    }  // SQLite: a statement must be done before the next one writes
    return review;
}

bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

}  // namespace

std::string_view to_string(ReviewState state) {
    switch (state) {
        case ReviewState::Pending: return "pending";
        case ReviewState::Approved: return "approved";
        case ReviewState::Rejected: return "rejected";
    }
    return "pending";
}

std::optional<ReviewState> parse_review_state(std::string_view text) {
    for (const ReviewState state : {ReviewState::Pending, ReviewState::Approved, ReviewState::Rejected}) {
        if (text == to_string(state)) return state;
    }
    return std::nullopt;
}

Result<std::vector<ReviewRecord>> Reviews::list(const ReviewFilter& filter) {
    return sql::guarded<std::vector<ReviewRecord>>("listing reviews", [&]() -> Result<std::vector<ReviewRecord>> {
        auto db = database_.lend(sql::Access::Read);
        sql::QueryBuilder query(review_select(*db));
        if (filter.state == ReviewState::Pending) {
            query << " AND d.event_id IS NULL";
        } else {
            query << " AND d.decision = " << query.bind(std::string(to_string(filter.state)));
        }
        if (filter.region) query << " AND k.region = " << query.bind(*filter.region);
        if (filter.store_id) query << " AND e.store_id = " << query.bind(*filter.store_id);
        if (filter.sku) query << " AND e.sku = " << query.bind(*filter.sku);
        // The queue is worked from its oldest; what was decided is looked back on from the latest.
        query << (filter.state == ReviewState::Pending ? " ORDER BY e.occurred_at, e.id" + db->byte_order()
                                                       : " ORDER BY d.decided_at DESC, e.id" + db->byte_order() + " DESC")
              << " LIMIT " << query.bind(filter.limit);
        auto rows = query.query(*db);
        std::vector<ReviewRecord> reviews;
        while (rows->next()) reviews.push_back(read_review(*rows));
        return reviews;
    });
}

Result<std::optional<ReviewRecord>> Reviews::find(std::string_view id) {
    return sql::guarded<std::optional<ReviewRecord>>("reading a review", [&]() -> Result<std::optional<ReviewRecord>> {
        auto db = database_.lend(sql::Access::Read);
        return review_in(*db, id);
    });
}

Result<ReviewRecord> Reviews::decide(std::string_view id, ReviewState decision, std::string_view reason,
                                     std::string_view user, core::Timestamp now) {
    if (decision == ReviewState::Pending) {
        return make_error(ErrorCode::InvalidArgument, "decision: a review is approved or rejected");
    }
    if (decision == ReviewState::Rejected && is_blank(reason)) {
        return make_error(ErrorCode::InvalidArgument, "reason: a review is rejected with its reason; write one");
    }
    if (reason.size() > kMaxReviewReasonBytes) {
        return make_error(ErrorCode::InvalidArgument,
                          "reason: longer than " + std::to_string(kMaxReviewReasonBytes) + " bytes; shorten it");
    }
    return sql::guarded<ReviewRecord>("deciding on a review", [&]() -> Result<ReviewRecord> {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        auto review = review_in(*db, id);
        if (!review) return make_error(ErrorCode::NotFound, "no shared review '" + std::string(id.substr(0, 64)) + "'");
        // The event's id keys the row: of hubs deciding at once, one inserts; the others find its decision.
        const bool decided_now =
            db->execute("INSERT INTO review_decisions (event_id, decision, reason, decided_by, decided_at, sku, occurred_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (event_id) DO NOTHING",
                        {id, to_string(decision), reason, user, now, review->sku, review->occurred_at}) == 1;
        if (!decided_now) {
            auto earlier = review_in(*db, id);
            const ReviewRecord& first = earlier ? *earlier : *review;
            return make_error(ErrorCode::Conflict, "this review was " + std::string(to_string(first.state)) + " by " +
                                                       first.decided_by + " at " +
                                                       (first.decided_at ? core::format_rfc3339(*first.decided_at) : "?") +
                                                       " already");
        }
        transaction.commit();
        review->state = decision;
        review->reason = std::string(reason);
        review->decided_by = std::string(user);
        review->decided_at = now;
        return std::move(*review);
    });
}

Result<std::vector<ReviewRecord>> Reviews::approved_for(const std::vector<std::string>& skus, std::size_t per_product) {
    return sql::guarded<std::vector<ReviewRecord>>("reading approved reviews", [&]() -> Result<std::vector<ReviewRecord>> {
        std::vector<ReviewRecord> reviews;
        if (skus.empty() || per_product == 0) return reviews;
        auto db = database_.lend(sql::Access::Read);
        sql::Transaction snapshot(*db, sql::Intent::ReadSnapshot);
        // One short read per product through review_decisions_approved: a product's newest few, however many
        // reviews the chain has approved over the years.
        const std::string select = review_select(*db) +
                                   " AND d.decision = 'approved' AND d.sku = ?1 AND coalesce((e.data ->> 'text'), '') <> '' "
                                   "ORDER BY d.occurred_at DESC, d.event_id" + db->byte_order() + " DESC LIMIT ?2";
        for (const std::string& sku : skus) {
            auto rows = db->query(select, {std::string_view(sku), static_cast<std::int64_t>(per_product)});
            while (rows->next()) reviews.push_back(read_review(*rows));
        }
        snapshot.commit();
        return reviews;
    });
}

}  // namespace truthpoint::hub
