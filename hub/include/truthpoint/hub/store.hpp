// The hub's storage seen from the rest of the hub: one abstract interface, so that SQLite and
// PostgreSQL are interchangeable behind `--db`. Nothing here names an engine.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truthpoint/core/event.hpp"
#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/alerts.hpp"
#include "truthpoint/hub/result.hpp"
#include "truthpoint/hub/reviews.hpp"

namespace truthpoint::hub {

class DashboardQueries;

// Who sent a request, as established by its token (never by its body).
struct KioskIdentity {
    std::string kiosk_id;
    std::string store_id;
    std::string region;
};

struct KioskRecord {
    std::string kiosk_id;
    std::string store_id;
    std::string region;  // empty when none was given
    core::Timestamp created_at{};
    std::optional<core::Timestamp> revoked_at;
    // When a batch of it was last stored, and how far its clock was then behind the hub's: received_at
    // minus the newest occurred_at of that batch (negative: the kiosk's clock runs ahead).
    std::optional<core::Timestamp> last_seen_at;
    std::optional<std::int64_t> clock_skew_ms;
};

struct NewKiosk {
    std::string kiosk_id;
    std::string store_id;
    std::string region;
    std::string token_hash;  // hash_token(token): the token itself is never stored
};

// A valid event of a batch, ready to store.
// What both stores read out of an event's `data` besides its columns.
struct EventFacts {
    bool misuse = false;       // data.misuse: counted apart in the rollups
    std::string receipt_hash;  // data.receipt_hash, lowercased, for feedback a receipt can verify; else empty
    std::string earlier_receipt_hash;  // data.earlier_receipt_hash (under the receipt key before the last rotation)
};

EventFacts event_facts(const core::Event& event);

// The receipt hash an event is filed under (events.receipt_hash): its receipt_hash, unless only its
// earlier_receipt_hash names a receipt the store holds — one the till sent under the key before the last
// rotation. Asks `store_holds_receipt` only for an event with an earlier hash.
std::string filed_receipt_hash(const EventFacts& facts, const std::function<bool(const std::string&)>& store_holds_receipt);

struct IncomingEvent {
    core::Event event;
    std::string canonical;     // core::encode_event(event): stored, and compared on resend
    std::string payload_hash;  // hex SHA-256 of `canonical`
    // Worked out by prepare_batch on the request's thread, so that the store's single writer only binds:
    std::string occurred_at;    // format_rfc3339(event.occurred_at); empty: the store formats it
    std::size_t data_size = 0;  // `data` as text is canonical.substr(8, data_size); 0: the store dumps it
};

// One request's batch, handed to store_batches by the ingest queue.
struct BatchToStore {
    KioskIdentity sender;
    std::vector<IncomingEvent> events;
    core::Timestamp received_at{};
};

// A point-of-sale terminal: it sends receipts with its own token, for its own store.
struct PosRecord {
    std::string pos_id;
    std::string store_id;
    core::Timestamp created_at{};
    std::optional<core::Timestamp> revoked_at;
};

struct NewPos {
    std::string pos_id;
    std::string store_id;
    std::string token_hash;  // hash_token(token)
};

// A till receipt, as the hub keeps it: never the receipt code itself, only the keyed hash (64 lowercase
// hex digits) that the POS and the kiosk both compute.
struct Receipt {
    std::string receipt_hash;
    core::Timestamp time{};
    std::vector<std::string> skus;
};

struct ReceiptsStored {
    std::int64_t stored = 0;
    std::int64_t duplicates = 0;        // this store already held a receipt with this hash: kept as it was
    std::int64_t verified_events = 0;   // feedback events marked a verified purchase by these receipts
};

// A sorry card with an offer, as its sorry.card event holds it, and its redemption at a till if any.
struct SorryCardRecord {
    std::string code;     // 12 characters of Crockford's base32 (core::sorry_card_code)
    std::string card_id;  // the UUID the code is derived from
    std::string store_id;
    std::string kiosk_id;
    std::string region;  // of the kiosk that issued it
    std::string sku;
    std::string offer_text;
    std::string locale;
    core::Timestamp issued_at{};  // the event's occurred_at
    std::optional<core::Timestamp> redeemed_at;
    std::string redeemed_by;  // the POS id of the till that redeemed it; empty while not redeemed
};

struct Redemption {
    bool redeemed_now = false;  // false: it had been redeemed before (the card says when and by which till)
    SorryCardRecord card;
};

// Post-purchase answers that a receipt can verify (data.receipt_hash + the event's sku): every answer of the
// second and ultimate moments (docs/events.md, "Verified purchase").
inline bool can_be_verified_purchase(core::EventType type) { return core::may_carry_receipt_hash(type); }

enum class EventOutcome {
    Stored,     // new: now held by the hub
    Duplicate,  // the same event from the same kiosk was stored before: nothing done
    Conflict,   // a different event (or another kiosk's) holds this id: nothing done
};

// An event as the hub holds it, for export.
struct StoredEvent {
    std::string id;
    std::string kiosk_id;
    std::string store_id;
    std::string type;
    std::string occurred_at;  // RFC 3339 text, as stored
    std::string received_at;
    std::string session_id;
    std::string locale;
    std::string sku;
    std::string data;  // JSON text
    bool verified_purchase = false;  // a receipt of the same store holds data.receipt_hash and the sku
};

// Every condition given must hold; an absent one selects everything.
struct EventFilter {
    // Bounds on received_at: from inclusive, to exclusive, so consecutive exports never overlap.
    std::optional<core::Timestamp> received_from;
    std::optional<core::Timestamp> received_to;
    std::optional<std::string> store_id;
    // The dashboard's terms (DashboardFilter), so that an export holds exactly a view's events:
    std::optional<std::string> region;  // stores with a kiosk enrolled in this region
    std::optional<std::string> sku;
    // Local days 'YYYY-MM-DD', inclusive, on each store's own clock (stores.time_zone; a store without one
    // is UTC): bounds on occurred_at from the first day's 00:00 to the day after the last's.
    std::optional<std::string> from_day;
    std::optional<std::string> to_day;
    bool include_misuse = true;  // false: leave out the events the kiosk flagged as misuse
};

using TypeCounts = std::array<std::int64_t, core::kAllEventTypes.size()>;  // indexed like kAllEventTypes

// The TypeCounts index of a stored type name; nullopt for a name this hub does not know.
inline std::optional<std::size_t> event_type_index(std::string_view name) {
    const auto type = core::parse_event_type(name);
    if (!type) return std::nullopt;
    return static_cast<std::size_t>(*type);
}

using ReactionCounts = std::array<std::int64_t, 4>;  // very_unhappy, unhappy, happy, very_happy

struct StoreCounts {
    std::string store_id;
    TypeCounts by_type{};
    std::int64_t total = 0;
    std::int64_t misuse = 0;  // flagged as misuse: left out of by_type and total
    ReactionCounts reactions{};  // fmot.reaction events by face, misuse left out
};

struct Stats {
    TypeCounts by_type{};
    std::int64_t total_events = 0;   // every stored event, misuse included
    std::int64_t misuse_events = 0;  // flagged by the kiosk as misuse: left out of by_type and by_store
    std::vector<StoreCounts> by_store;  // ordered by store id
    std::int64_t kiosks_total = 0;
    std::int64_t kiosks_active = 0;  // not revoked
};

// The scope of the chain-wide kiosk configuration: the document for stores without one of their own.
// Store ids are letters, digits, '-', '_' and '.', so it cannot clash with one.
inline constexpr std::string_view kChainWideScope = "*";

// A kiosk configuration document as the hub holds it (served at GET /api/v1/config).
struct ConfigRecord {
    std::string scope;         // a store id, or kChainWideScope
    std::int64_t version = 0;  // 1 when first set, then one more at every change
    std::string document;      // canonical JSON text (core::encode_config_document), served as is
    std::string etag;          // the ETag header's value, quotes included: "\"sha256-<hex>\""
    core::Timestamp updated_at{};
};

// A webhook (`truthpoint-hub webhook add`): where the notifications of its scope are POSTed, signed with
// its secret (docs/hub.md, "Webhooks").
enum class WebhookScope { Chain, Region, Store };

struct WebhookRecord {
    std::string name;
    WebhookScope scope_kind = WebhookScope::Chain;
    std::string scope;  // the region or the store id; empty for the chain
    std::string url;
    std::string secret;  // 64 hex digits: the HMAC-SHA256 key
    core::Timestamp created_at{};
    // Of its outbox, for `webhook list`:
    std::int64_t pending = 0;  // not yet delivered
    std::optional<core::Timestamp> last_delivered_at;
    std::string last_error;  // of its oldest pending delivery's last attempt; empty when none failed
};

// A notification on its way to one webhook, leased to the hub that sends it.
struct WebhookDelivery {
    std::int64_t id = 0;       // the order a webhook's deliveries are sent in
    std::string delivery_id;   // a UUID: the receiver can drop a repeat by it
    std::string webhook;
    std::string url;
    std::string secret;
    std::string payload;       // JSON text, sent as is
    std::int64_t attempts = 0;  // made before this one
};

// Dashboard and BI logins (`truthpoint-hub user add`). A manager sees the stores of one region (the
// region its kiosks were enrolled with); an admin sees every store.
enum class UserRole { Manager, Admin };

inline std::string_view to_string(UserRole role) { return role == UserRole::Admin ? "admin" : "manager"; }

inline std::optional<UserRole> parse_user_role(std::string_view text) {
    if (text == "manager") return UserRole::Manager;
    if (text == "admin") return UserRole::Admin;
    return std::nullopt;
}

struct UserRecord {
    std::string name;
    UserRole role = UserRole::Manager;
    std::string region;         // a manager's region; empty for an admin
    std::string password_hash;  // argon2id, libsodium's crypto_pwhash_str format
    core::Timestamp created_at{};
    std::string language = "en";  // the dashboard's language, the user's choice (kDashboardLanguages)
};

// A signed-in user: the session token itself is never stored, only hash_token(token).
struct NewSession {
    std::string token_hash;
    std::string user_name;
    core::Timestamp created_at{};
    core::Timestamp expires_at{};
};

// A page of GET /api/v1/events: events after a cursor, in the order received.
struct EventPageRequest {
    std::int64_t after = 0;             // the cursor: 0 for the first page
    std::int64_t limit = 1000;
    std::optional<std::string> region;  // only events of kiosks enrolled in this region
};

struct PagedEvent {
    std::int64_t cursor = 0;  // its place in the order received; pass the last one as `after`
    StoredEvent event;
};

struct ConfigPut {
    ConfigRecord record;  // as stored now
    bool changed = false;  // false: the same document was already stored; nothing was written
};

// A store as the dashboard knows it: the IANA time zone its days and hours are counted in, and a name.
// A store without a record is on UTC.
struct StoreRecord {
    std::string store_id;
    std::string time_zone;  // "Asia/Tehran"
    std::string name;       // empty when none was given
    core::Timestamp updated_at{};
};

// Rows of one table as text, for moving a hub from SQLite to PostgreSQL (`truthpoint-hub db copy`):
// times as RFC 3339, booleans as 0/1, JSON as its text; NULL as nullopt.
struct TableRows {
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows;
};

// The tables `db copy` carries, in an order that respects their references. Sessions stay behind
// (users sign in again); the rollups come along, so that the dashboard's counts stay as they were. The
// webhooks come along, not their undelivered notifications (docs/hub.md: copy once the outbox is empty).
inline constexpr std::array<std::string_view, 24> kCopiedTables = {
    "kiosks", "users", "kiosk_configs", "pos_terminals", "receipts", "receipt_items",
    "events", "hub_secrets", "stores", "rollup_answers", "rollup_local_hours", "rollup_tiers",
    "feedback_sessions", "kiosk_heartbeats", "sorry_card_redemptions", "webhooks", "alert_rule_settings",
    "store_hours", "cases", "case_audit", "kiosk_backlog_trends", "reaction_minutes", "retired_receipt_keys",
    "review_decisions"};

// The name under which the chain's receipt key is kept among the hub's secrets.
inline constexpr std::string_view kReceiptKeySecret = "receipt_key";

// A receipt key the chain used before `truthpoint-hub receipt-key rotate` (docs/hub.md, "Rotating the receipt
// key"): kept for good, so that a sorry card made under it is still redeemed; handed to kiosks beside the
// current key until kiosks_until, so that a receipt a till sent under it still verifies.
struct RetiredReceiptKey {
    std::string key;  // 64 hex digits
    core::Timestamp retired_at{};
    core::Timestamp kiosks_until{};
};

// InvalidArgument naming `table` when it is not one of kCopiedTables (table names reach SQL text).
Status check_copied_table(std::string_view table);

// Every method is safe to call from several threads at once. Failures come back as values;
// nothing throws across this interface.
class Store {
public:
    virtual ~Store() = default;

    // AlreadyExists when the kiosk id is taken (revoked or not).
    virtual Status add_kiosk(const NewKiosk& kiosk, core::Timestamp created_at) = 0;
    virtual Result<std::vector<KioskRecord>> list_kiosks() = 0;
    // NotFound for an unknown kiosk. Revoking twice keeps the first revocation time.
    virtual Result<KioskRecord> revoke_kiosk(std::string_view kiosk_id, core::Timestamp revoked_at) = 0;
    // Gives the kiosk a new token (its hash) in place of the old one, and lifts a revocation: the same kiosk
    // id, its events and history kept. Returns the kiosk as it was before. NotFound for an unknown kiosk.
    virtual Result<KioskRecord> rotate_kiosk_token(std::string_view kiosk_id, std::string_view token_hash) = 0;
    // The kiosk holding this token hash, revoked or not; nullopt when no kiosk holds it.
    virtual Result<std::optional<KioskRecord>> find_kiosk_by_token_hash(std::string_view token_hash) = 0;

    // Stores a batch's valid events in one transaction: either every outcome holds, or (on error)
    // nothing was written. The outcomes are in the order of `events`.
    virtual Result<std::vector<EventOutcome>> store_events(const KioskIdentity& sender,
                                                           const std::vector<IncomingEvent>& events,
                                                           core::Timestamp received_at) = 0;

    // Stores several requests' batches at once (group commit). Each batch keeps its own semantics: all
    // of its events or none, and one failing batch does not fail the others. The results are in the
    // order of `batches`. This default stores them one transaction each; engines override it to share
    // one transaction. Also maintains the kiosk's clock skew and verified purchases; the rollups are
    // counted afterwards (fold_rollups).
    virtual std::vector<Result<std::vector<EventOutcome>>> store_batches(std::vector<BatchToStore>& batches) {
        std::vector<Result<std::vector<EventOutcome>>> results;
        results.reserve(batches.size());
        for (BatchToStore& batch : batches) results.push_back(store_events(batch.sender, batch.events, batch.received_at));
        return results;
    }

    // Point-of-sale terminals and their receipts. The defaults say the engine lacks them.
    // AlreadyExists when the POS id is taken.
    virtual Status add_pos(const NewPos& pos, core::Timestamp created_at) {
        (void)pos, (void)created_at;
        return not_in_this_engine();
    }
    virtual Result<std::optional<PosRecord>> find_pos_by_token_hash(std::string_view token_hash) {
        (void)token_hash;
        return not_in_this_engine();
    }
    virtual Result<std::vector<PosRecord>> list_pos() { return not_in_this_engine(); }
    // NotFound for an unknown id. Revoking twice keeps the first revocation time.
    virtual Result<PosRecord> revoke_pos(std::string_view pos_id, core::Timestamp revoked_at) {
        (void)pos_id, (void)revoked_at;
        return not_in_this_engine();
    }
    // Stores receipts of `store_id` (one transaction) and marks the feedback they verify.
    virtual Result<ReceiptsStored> store_receipts(std::string_view store_id, const std::vector<Receipt>& receipts,
                                                  core::Timestamp received_at) {
        (void)store_id, (void)receipts, (void)received_at;
        return not_in_this_engine();
    }

    // Sorry cards (docs/hub.md, "Sorry cards at the till"). find_sorry_card: the card whose sorry.card event
    // holds `code` (as core::normalise_sorry_code writes it), nullopt when no event does.
    virtual Result<std::optional<SorryCardRecord>> find_sorry_card(std::string_view code) {
        (void)code;
        return not_in_this_engine();
    }
    // Redeems the card holding `code` for till `pos_id`, once: of any number of calls, on any number of hubs,
    // exactly one has redeemed_now; the others get the card as that one redeemed it. Counts the redemption
    // into the dashboard's rollups on the store's local day. NotFound when no card holds the code.
    virtual Result<Redemption> redeem_sorry_card(std::string_view code, std::string_view pos_id, core::Timestamp now) {
        (void)code, (void)pos_id, (void)now;
        return not_in_this_engine();
    }

    // Users and their sessions. AlreadyExists when the name is taken; NotFound for an unknown name.
    virtual Status add_user(const UserRecord& user) {
        (void)user;
        return not_in_this_engine();
    }
    virtual Result<std::vector<UserRecord>> list_users() { return not_in_this_engine(); }
    virtual Result<std::optional<UserRecord>> find_user(std::string_view name) {
        (void)name;
        return not_in_this_engine();
    }
    // Also ends the user's sessions.
    virtual Status remove_user(std::string_view name) {
        (void)name;
        return not_in_this_engine();
    }
    // A new password hash; also ends the user's sessions, so a browser signed in with the old password is out.
    virtual Status set_password(std::string_view name, const std::string& password_hash) {
        (void)name, (void)password_hash;
        return not_in_this_engine();
    }
    // The dashboard's language the user chose (one of kDashboardLanguages; the caller checks).
    virtual Status set_language(std::string_view name, std::string_view language) {
        (void)name, (void)language;
        return not_in_this_engine();
    }
    // Also forgets the sessions that expired before `session.created_at`.
    virtual Status add_session(const NewSession& session) {
        (void)session;
        return not_in_this_engine();
    }
    // The user of a session that has not expired at `now`; nullopt for an unknown or expired token.
    virtual Result<std::optional<UserRecord>> find_session_user(std::string_view token_hash, core::Timestamp now) {
        (void)token_hash, (void)now;
        return not_in_this_engine();
    }
    virtual Status remove_session(std::string_view token_hash) {
        (void)token_hash;
        return not_in_this_engine();
    }

    // Failed sign-ins by name (known or not), in the database so that every hub on it counts them together.
    // Counts an attempt at `name` before its password is checked, atomically with the look at its pause, so
    // that parallel guesses cannot all pass the look before any is counted. Returns the end of the pause
    // `name` is in at `now` (the attempt is refused and not counted), or nullopt: go on and check. The
    // `limit`-th attempt in a row starts a pause until now + `pause` (the count starts again) and is still
    // checked; forget_sign_in_failures ends the row after a success. A name with no attempt for an hour and
    // no pause running is forgotten.
    virtual Result<std::optional<core::Timestamp>> begin_sign_in_attempt(std::string_view name, core::Timestamp now,
                                                                         int limit, std::chrono::seconds pause) {
        (void)name, (void)now, (void)limit, (void)pause;
        return not_in_this_engine();
    }
    virtual Status forget_sign_in_failures(std::string_view name) {
        (void)name;
        return not_in_this_engine();
    }

    // Up to `request.limit` events with a cursor above `request.after`, in cursor order. Cursors only
    // grow, and an event that becomes visible later never gets a cursor below one already returned, so
    // a client paging with the last cursor it saw misses nothing.
    virtual Result<std::vector<PagedEvent>> events_page(const EventPageRequest& request) {
        (void)request;
        return not_in_this_engine();
    }

    // Stores (`truthpoint-hub store set/list`). set_store sets the store's time zone (InvalidArgument naming
    // it, and nothing stored, when the system does not know it) and its name (kept when nullopt), and counts
    // the store's events again into the dashboard's local-day rollups in that zone, in the same transaction.
    virtual Result<StoreRecord> set_store(std::string_view store_id, std::string_view time_zone,
                                          const std::optional<std::string>& name, core::Timestamp now) {
        (void)store_id, (void)time_zone, (void)name, (void)now;
        return not_in_this_engine();
    }
    // Ordered by store id.
    virtual Result<std::vector<StoreRecord>> list_stores() { return not_in_this_engine(); }

    // Calls `visit` for each matching event in the order received; stops early when it returns false.
    virtual Status for_each_event(const EventFilter& filter,
                                  const std::function<bool(const StoredEvent&)>& visit) = 0;

    virtual Result<Stats> stats() = 0;

    // Storing events leaves their rollups (what stats and the dashboard read) to be counted afterwards, many
    // events at once (docs/hub.md). fold_rollups counts at most `max_events` of the events not yet counted, in
    // one transaction (SQLite's ingest waits for it), and says how many it counted: a hub's rollup worker
    // calls it. catch_up_rollups counts every event stored so far, and is cheap when none is left: stats and
    // the dashboard call it before they read.
    virtual Result<std::int64_t> fold_rollups(std::int64_t max_events) = 0;
    virtual Status catch_up_rollups() = 0;

    // The regional manager's dashboard's reads (dashboard_queries.hpp): the role itself, reached through
    // one accessor rather than a Store method per view, since its views would double this interface and no
    // engine answers them differently. Lives as long as the store.
    virtual DashboardQueries& dashboard() = 0;

    // Alert rule settings, stores' opening hours and the cases alerts open (alerts.hpp), reached the same way.
    // The rules themselves fire inside store_batches and Alerts::check_silent_kiosks.
    virtual Alerts& alerts() = 0;

    // Review moderation (reviews.hpp): the queue of shared reviews and the decisions on them.
    virtual Reviews& reviews() = 0;

    // Stores the kiosk configuration of `scope` (a store id or kChainWideScope). The same etag as the
    // stored one changes nothing; a different one replaces the document and bumps the version.
    virtual Result<ConfigPut> put_config(std::string_view scope, const std::string& document, const std::string& etag,
                                         core::Timestamp updated_at) = 0;
    // The document of exactly this scope (no fallback), or nullopt when none was set.
    virtual Result<std::optional<ConfigRecord>> get_config(std::string_view scope) = 0;

    // The hub's own secrets (the chain's receipt key), shared by every hub on the database and carried by
    // `db copy`. get_secret: nullopt when none is kept under `name`. keep_secret: stores `value` unless a
    // value is kept already, and returns the one kept (two hubs creating it at once agree on one).
    virtual Result<std::optional<std::string>> get_secret(std::string_view name) {
        (void)name;
        return not_in_this_engine();
    }
    virtual Result<std::string> keep_secret(std::string_view name, const std::string& value, core::Timestamp now) {
        (void)name, (void)value, (void)now;
        return not_in_this_engine();
    }
    // Makes `fresh` the chain's receipt key in place of `current`, which is retired at `now` and handed to kiosks
    // until `kiosks_until`, in one transaction. Conflict, and nothing changed, when the key kept is no longer
    // `current` (another hub rotated it first).
    virtual Status rotate_receipt_key(const std::string& current, const std::string& fresh, core::Timestamp now,
                                      core::Timestamp kiosks_until) {
        (void)current, (void)fresh, (void)now, (void)kiosks_until;
        return not_in_this_engine();
    }
    // Newest first.
    virtual Result<std::vector<RetiredReceiptKey>> retired_receipt_keys() { return not_in_this_engine(); }

    // Webhooks and their outbox (webhooks.hpp). add_webhook: AlreadyExists when the name is taken.
    // remove_webhook: NotFound for an unknown name; its undelivered notifications go with it.
    // notify_webhook: queues `payload` for that webhook alone (`webhook test`); NotFound for an unknown name.
    virtual Status add_webhook(const WebhookRecord& webhook) {
        (void)webhook;
        return not_in_this_engine();
    }
    virtual Result<std::vector<WebhookRecord>> list_webhooks() { return not_in_this_engine(); }
    virtual Status remove_webhook(std::string_view name) {
        (void)name;
        return not_in_this_engine();
    }
    virtual Status notify_webhook(std::string_view name, const std::string& payload, core::Timestamp now) {
        (void)name, (void)payload, (void)now;
        return not_in_this_engine();
    }
    // The next delivery of each webhook whose turn it is at `now` (its earlier ones delivered, its backoff
    // over, no live lease), each leased to the caller until now + `lease`: of several hubs, one gets it.
    virtual Result<std::vector<WebhookDelivery>> lease_webhook_deliveries(core::Timestamp now, std::chrono::seconds lease) {
        (void)now, (void)lease;
        return not_in_this_engine();
    }
    // The outcome of sending a leased delivery: delivered at `now`, or failed with `error`, to be tried again
    // from `retry_at`. Either way its lease ends.
    virtual Status finish_webhook_delivery(std::int64_t id, core::Timestamp now, const std::optional<std::string>& error,
                                           core::Timestamp retry_at) {
        (void)id, (void)now, (void)error, (void)retry_at;
        return not_in_this_engine();
    }

    // Unavailable when the database cannot be read.
    virtual Status check_health() = 0;

    // For `db copy`: a source hands out a table's rows (one of kCopiedTables, in the order received),
    // `chunk_rows` at a time; a target takes them. Engines without a side say Unsupported.
    virtual Status read_rows(std::string_view table, std::size_t chunk_rows,
                             const std::function<Status(const TableRows&)>& sink) {
        (void)table, (void)chunk_rows, (void)sink;
        return not_in_this_engine();
    }
    virtual Status write_rows(std::string_view table, const TableRows& chunk) {
        (void)table, (void)chunk;
        return not_in_this_engine();
    }
    // The number of rows a table holds (one of kCopiedTables).
    virtual Result<std::int64_t> count_rows(std::string_view table) {
        (void)table;
        return not_in_this_engine();
    }

protected:
    static Error not_in_this_engine() {
        return make_error(ErrorCode::Unsupported, "this storage engine does not support this operation yet");
    }
};

// What `--db` names.
struct DatabaseUrl {
    enum class Kind { Sqlite, Postgresql };
    Kind kind = Kind::Sqlite;
    std::string location;  // the file path for SQLite; the whole URL for PostgreSQL
};

// "sqlite:PATH" (also "sqlite://PATH"), "postgresql://..." or "postgres://...". The message of an
// InvalidArgument error is written to follow "--db: ".
Result<DatabaseUrl> parse_database_url(std::string_view url);

// Parses the URL and opens (creating and migrating if need be) the database it names: a SqliteStore
// or a PostgresStore. InvalidArgument for a bad URL, Unavailable when the database cannot be reached.
Result<std::unique_ptr<Store>> open_store(std::string_view url);

}  // namespace truthpoint::hub
