// The hub's schema migrations, one list for both engines: entry i takes the schema from version i to
// i + 1 on SQLite (PRAGMA user_version) and on PostgreSQL (schema_migrations) alike, so "schema 4" means
// the same tables, columns and indexes on both (tests/hub/migrations_test.cpp checks it). Each entry shows the
// two dialects side by side: SQLite's STRICT tables with times as RFC 3339 text, PostgreSQL's timestamptz
// and json. Append only; never edit one that has shipped.
#pragma once

#include <iterator>

namespace truthpoint::hub {

struct Migration {
    const char* sqlite;
    const char* postgresql;
};

inline constexpr Migration kMigrations[] = {
    // 1: kiosks and events.
    {R"sql(
CREATE TABLE kiosks (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL,
    region      TEXT NOT NULL DEFAULT '',
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;

-- A rowid table on purpose: rowids grow with every insert and nothing is deleted, so rowid order is
-- the order received. (A PostgreSQL store will need an explicit sequence column for the same.)
CREATE TABLE events (
    id            TEXT PRIMARY KEY,
    kiosk_id      TEXT NOT NULL REFERENCES kiosks(id),
    store_id      TEXT NOT NULL,
    type          TEXT NOT NULL,
    occurred_at   TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    session_id    TEXT NOT NULL,
    locale        TEXT NOT NULL,
    sku           TEXT,
    data          TEXT NOT NULL CHECK (json_valid(data)),
    payload_hash  TEXT NOT NULL
) STRICT;

CREATE INDEX events_by_received ON events(received_at);
CREATE INDEX events_by_store_received ON events(store_id, received_at);
CREATE INDEX events_by_store_type ON events(store_id, type);
)sql",
     // PostgreSQL: kiosks and events. Times are timestamptz (read back as epoch milliseconds and formatted by
     // core, so both engines print them alike); data is `json`, not `jsonb`, to keep the text as sent.
     R"sql(
CREATE TABLE kiosks (
    id          text PRIMARY KEY,
    store_id    text NOT NULL,
    region      text NOT NULL DEFAULT '',
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

-- received_seq gives the order received (SQLite uses its rowid for this).
CREATE TABLE events (
    received_seq  bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    id            text PRIMARY KEY,
    kiosk_id      text NOT NULL REFERENCES kiosks(id),
    store_id      text NOT NULL,
    type          text NOT NULL,
    occurred_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL,
    session_id    text NOT NULL,
    locale        text NOT NULL,
    sku           text,
    data          json NOT NULL,
    payload_hash  text NOT NULL
);

CREATE INDEX events_by_received ON events(received_at);
CREATE INDEX events_by_store_received ON events(store_id, received_at);
CREATE INDEX events_by_store_type ON events(store_id, type);
)sql"},
    // 2: taps the kiosk flagged as misuse (bursts, faster than anyone can look) are kept but left out of
    // the dashboard's counts by default.
    {R"sql(
ALTER TABLE events ADD COLUMN misuse INTEGER NOT NULL DEFAULT 0;
UPDATE events SET misuse = 1 WHERE json_extract(data, '$.misuse') = 1;
)sql",
     // PostgreSQL: taps the kiosk flagged as misuse are kept but left out of the dashboard's counts.
     R"sql(
ALTER TABLE events ADD COLUMN misuse boolean NOT NULL DEFAULT false;
UPDATE events SET misuse = true WHERE data->>'misuse' = 'true';
)sql"},
    // 3: the kiosk configuration documents served at GET /api/v1/config: one per store that has its own,
    // and one chain-wide ('*') for the others.
    {R"sql(
CREATE TABLE kiosk_configs (
    scope       TEXT PRIMARY KEY,
    version     INTEGER NOT NULL CHECK (version >= 1),
    document    TEXT NOT NULL CHECK (json_valid(document)),
    etag        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
)sql",
     // PostgreSQL: the kiosk configuration documents served at GET /api/v1/config: one per store that has its own,
     // and one chain-wide ('*') for the others.
     R"sql(
CREATE TABLE kiosk_configs (
    scope       text PRIMARY KEY,
    version     bigint NOT NULL CHECK (version >= 1),
    document    json NOT NULL,
    etag        text NOT NULL,
    updated_at  timestamptz NOT NULL
);
)sql"},
    // 4: Clock skew per kiosk; point-of-sale terminals and their receipts (only keyed hashes);
    // verified purchases on feedback; hourly rollups kept on ingest so that stats never scan the events.
    // Rollup hours are the kiosk's (occurred_at), in UTC: "2026-01-31T10:00:00Z".
    {R"sql(
ALTER TABLE kiosks ADD COLUMN last_seen_at TEXT;
ALTER TABLE kiosks ADD COLUMN clock_skew_ms INTEGER;

ALTER TABLE events ADD COLUMN receipt_hash TEXT;
ALTER TABLE events ADD COLUMN verified_purchase INTEGER NOT NULL DEFAULT 0;
UPDATE events SET receipt_hash = lower(json_extract(data, '$.receipt_hash'))
    WHERE type IN ('smot.feedback', 'umot.review') AND json_type(data, '$.receipt_hash') = 'text';
CREATE INDEX events_by_receipt ON events(store_id, receipt_hash) WHERE receipt_hash IS NOT NULL;

CREATE TABLE pos_terminals (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;

CREATE TABLE receipts (
    store_id      TEXT NOT NULL,
    receipt_hash  TEXT NOT NULL,
    time          TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    PRIMARY KEY (store_id, receipt_hash)
) STRICT;

CREATE TABLE receipt_items (
    store_id      TEXT NOT NULL,
    receipt_hash  TEXT NOT NULL,
    sku           TEXT NOT NULL,
    PRIMARY KEY (store_id, receipt_hash, sku)
) STRICT;

CREATE TABLE rollup_hourly (
    store_id  TEXT NOT NULL,
    sku       TEXT NOT NULL,  -- '' for events without a product
    hour      TEXT NOT NULL,
    type      TEXT NOT NULL,
    misuse    INTEGER NOT NULL,
    events    INTEGER NOT NULL,
    PRIMARY KEY (store_id, sku, hour, type, misuse)
) STRICT;

CREATE TABLE rollup_reactions (
    store_id  TEXT NOT NULL,
    sku       TEXT NOT NULL,
    hour      TEXT NOT NULL,
    reaction  TEXT NOT NULL,
    events    INTEGER NOT NULL,  -- misuse left out
    PRIMARY KEY (store_id, sku, hour, reaction)
) STRICT;

INSERT INTO rollup_hourly (store_id, sku, hour, type, misuse, events)
    SELECT store_id, ifnull(sku, ''), substr(occurred_at, 1, 13) || ':00:00Z', type, misuse, count(*)
    FROM events GROUP BY 1, 2, 3, 4, 5;
INSERT INTO rollup_reactions (store_id, sku, hour, reaction, events)
    SELECT store_id, ifnull(sku, ''), substr(occurred_at, 1, 13) || ':00:00Z', json_extract(data, '$.reaction'), count(*)
    FROM events WHERE type = 'fmot.reaction' AND misuse = 0 AND json_type(data, '$.reaction') = 'text'
    GROUP BY 1, 2, 3, 4;
)sql",
     // PostgreSQL: Clock skew per kiosk; point-of-sale terminals and their receipts (only
     // keyed hashes); verified purchases; hourly rollups kept on ingest so that stats never scan events.
     R"sql(
ALTER TABLE kiosks ADD COLUMN last_seen_at timestamptz, ADD COLUMN clock_skew_ms bigint;
ALTER TABLE events ADD COLUMN receipt_hash text, ADD COLUMN verified_purchase boolean NOT NULL DEFAULT false;
UPDATE events SET receipt_hash = lower(data->>'receipt_hash')
    WHERE type IN ('smot.feedback', 'umot.review') AND json_typeof(data->'receipt_hash') = 'string';
CREATE INDEX events_by_receipt ON events(store_id, receipt_hash) WHERE receipt_hash IS NOT NULL;

CREATE TABLE pos_terminals (
    id          text PRIMARY KEY,
    store_id    text NOT NULL,
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE TABLE receipts (
    store_id      text NOT NULL,
    receipt_hash  text NOT NULL,
    time          timestamptz NOT NULL,
    received_at   timestamptz NOT NULL,
    PRIMARY KEY (store_id, receipt_hash)
);
CREATE TABLE receipt_items (
    store_id      text NOT NULL,
    receipt_hash  text NOT NULL,
    sku           text NOT NULL,
    PRIMARY KEY (store_id, receipt_hash, sku)
);

-- Hours are the kiosk's (occurred_at) truncated in UTC.
CREATE TABLE rollup_hourly (
    store_id  text NOT NULL,
    sku       text NOT NULL,
    hour      timestamptz NOT NULL,
    type      text NOT NULL,
    misuse    boolean NOT NULL,
    events    bigint NOT NULL,
    PRIMARY KEY (store_id, sku, hour, type, misuse)
);
CREATE TABLE rollup_reactions (
    store_id  text NOT NULL,
    sku       text NOT NULL,
    hour      timestamptz NOT NULL,
    reaction  text NOT NULL,
    events    bigint NOT NULL,
    PRIMARY KEY (store_id, sku, hour, reaction)
);
INSERT INTO rollup_hourly (store_id, sku, hour, type, misuse, events)
    SELECT store_id, coalesce(sku, ''), date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', type,
           misuse, count(*)
    FROM events GROUP BY 1, 2, 3, 4, 5;
INSERT INTO rollup_reactions (store_id, sku, hour, reaction, events)
    SELECT store_id, coalesce(sku, ''), date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
           data->>'reaction', count(*)
    FROM events WHERE type = 'fmot.reaction' AND NOT misuse AND json_typeof(data->'reaction') = 'string'
    GROUP BY 1, 2, 3, 4;
)sql"},
    // 5: dashboard and BI logins. Passwords only as argon2id hashes, sessions only as token hashes.
    {R"sql(
CREATE TABLE users (
    name           TEXT PRIMARY KEY,
    role           TEXT NOT NULL CHECK (role IN ('manager', 'admin')),
    region         TEXT NOT NULL DEFAULT '',
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users(name),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_name);
CREATE INDEX kiosks_by_region ON kiosks(region);
)sql",
     // PostgreSQL: dashboard and BI logins. Passwords only as argon2id hashes, sessions only as
     // token hashes.
     R"sql(
CREATE TABLE users (
    name           text PRIMARY KEY,
    role           text NOT NULL CHECK (role IN ('manager', 'admin')),
    region         text NOT NULL DEFAULT '',
    password_hash  text NOT NULL,
    created_at     timestamptz NOT NULL
);
CREATE TABLE sessions (
    token_hash  text PRIMARY KEY,
    user_name   text NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_name);
CREATE INDEX kiosks_by_region ON kiosks(region);
)sql"},
    // 6: the dashboard counts from the rollups now, so nothing reads events by (store, type): one index fewer
    // for the ingest writer to keep up to date on every row.
    {R"sql(
DROP INDEX IF EXISTS events_by_store_type;
)sql",
     // PostgreSQL: nothing reads events by (store, type) since the rollups; one index fewer per insert.
     R"sql(
DROP INDEX IF EXISTS events_by_store_type;
)sql"},
    // 7: failed sign-ins, counted in the database so that several hubs pause a name together.
    {R"sql(
CREATE TABLE sign_in_failures (
    name            TEXT PRIMARY KEY,
    in_a_row        INTEGER NOT NULL,
    last_failed_at  TEXT NOT NULL,
    paused_until    TEXT
) STRICT;
)sql",
     // PostgreSQL: failed sign-ins, counted in the database so that every hub on it pauses a name together.
     R"sql(
CREATE TABLE sign_in_failures (
    name            text PRIMARY KEY,
    in_a_row        integer NOT NULL,
    last_failed_at  timestamptz NOT NULL,
    paused_until    timestamptz
);
)sql"},
    // 8: the hub's own secrets: the chain's receipt key, handed to kiosks with their configuration.
    {R"sql(
CREATE TABLE hub_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
)sql",
     // PostgreSQL: the hub's own secrets (the chain's receipt key).
     R"sql(
CREATE TABLE hub_secrets (
    name        text PRIMARY KEY,
    value       text NOT NULL,
    created_at  timestamptz NOT NULL
);
)sql"},
    // 9: the regional manager's dashboard. Stores get an IANA time zone (and a name), so that days, hours
    // and weekdays are the store's own; rollups by the store's local day (answers) and local hour (the heat
    // map's reactions); one row per post-purchase session for the open feedback; each kiosk's latest
    // heartbeat; each user's language. Filled at ingest; a store's zone change rebuilds its rows.
    {R"sql(
CREATE TABLE stores (
    store_id    TEXT PRIMARY KEY,
    time_zone   TEXT NOT NULL,          -- IANA name: 'Asia/Tehran'
    name        TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE rollup_answers (
    store_id    TEXT NOT NULL,
    local_date  TEXT NOT NULL,     -- 'YYYY-MM-DD' in the store's time zone
    sku         TEXT NOT NULL,     -- '' for answers without a product
    question    TEXT NOT NULL,     -- docs/dashboard.md lists questions and answers
    answer      TEXT NOT NULL,
    misuse      INTEGER NOT NULL,
    events      INTEGER NOT NULL,
    PRIMARY KEY (store_id, local_date, sku, question, answer, misuse)
) STRICT;

CREATE TABLE rollup_local_hours (
    store_id    TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    local_hour  INTEGER NOT NULL,  -- 0-23 in the store's time zone
    sku         TEXT NOT NULL,
    reaction    TEXT NOT NULL,
    misuse      INTEGER NOT NULL,
    events      INTEGER NOT NULL,
    PRIMARY KEY (store_id, local_date, local_hour, sku, reaction, misuse)
) STRICT;

CREATE TABLE feedback_sessions (
    store_id     TEXT NOT NULL,
    session_id   TEXT NOT NULL,
    sku          TEXT NOT NULL,
    kiosk_id     TEXT NOT NULL,
    local_date   TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,     -- the session's latest feedback event
    locale       TEXT NOT NULL,
    rating       INTEGER,
    verified     INTEGER NOT NULL DEFAULT 0,
    pain_topics  TEXT NOT NULL DEFAULT '',  -- names joined by ','
    comment      TEXT,
    misuse       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, session_id, sku)
) STRICT;
CREATE INDEX feedback_by_store_day ON feedback_sessions(store_id, local_date);

CREATE TABLE kiosk_heartbeats (
    kiosk_id          TEXT PRIMARY KEY,
    store_id          TEXT NOT NULL,
    occurred_at       TEXT NOT NULL,
    received_at       TEXT NOT NULL,
    pending           INTEGER NOT NULL,
    quarantined       INTEGER,
    oldest_pending_s  INTEGER,
    version           TEXT
) STRICT;

ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
)sql",
     // PostgreSQL: the regional manager's dashboard: stores with their time zone, rollups by local day
     // and hour, post-purchase sessions for the open feedback, kiosks' latest heartbeats, users' language.
     R"sql(
CREATE TABLE stores (
    store_id    text PRIMARY KEY,
    time_zone   text NOT NULL,
    name        text NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL
);
CREATE TABLE rollup_answers (
    store_id    text NOT NULL,
    local_date  text NOT NULL,
    sku         text NOT NULL,
    question    text NOT NULL,
    answer      text NOT NULL,
    misuse      boolean NOT NULL,
    events      bigint NOT NULL,
    PRIMARY KEY (store_id, local_date, sku, question, answer, misuse)
);
CREATE TABLE rollup_local_hours (
    store_id    text NOT NULL,
    local_date  text NOT NULL,
    local_hour  integer NOT NULL,
    sku         text NOT NULL,
    reaction    text NOT NULL,
    misuse      boolean NOT NULL,
    events      bigint NOT NULL,
    PRIMARY KEY (store_id, local_date, local_hour, sku, reaction, misuse)
);
CREATE TABLE feedback_sessions (
    store_id     text NOT NULL,
    session_id   text NOT NULL,
    sku          text NOT NULL,
    kiosk_id     text NOT NULL,
    local_date   text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    locale       text NOT NULL,
    rating       integer,
    verified     boolean NOT NULL DEFAULT false,
    pain_topics  text NOT NULL DEFAULT '',
    comment      text,
    misuse       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (store_id, session_id, sku)
);
CREATE INDEX feedback_by_store_day ON feedback_sessions(store_id, local_date);
CREATE TABLE kiosk_heartbeats (
    kiosk_id          text PRIMARY KEY,
    store_id          text NOT NULL,
    occurred_at       timestamptz NOT NULL,
    received_at       timestamptz NOT NULL,
    pending           bigint NOT NULL,
    quarantined       bigint,
    oldest_pending_s  bigint,
    version           text
);
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'en';
)sql"},
    // 10: the dashboard's coarser rollups (rollup_tiers), so that a region's or the chain's view reads a few
    // rows a day, not one per store and product; rankings and long periods read months. They replace the
    // UTC-hour rollups, which only the stats read (the stats now read the stores' months). Counted from
    // the events held by the migration (kLocalRollupsSchema). docs/dashboard.md describes each tier. And
    // the latest comments by time, for a region's or the chain's open feedback.
    {R"sql(
CREATE TABLE rollup_tiers (
    tier        TEXT NOT NULL,     -- which rollup: 'region_day', 'store_month', ... (rollups.hpp)
    place       TEXT NOT NULL,     -- a region, or a store for the store_ tiers
    sku         TEXT NOT NULL,     -- '' in the tiers without products
    question    TEXT NOT NULL,     -- before the period: a view reads its questions' ranges of days
    period      TEXT NOT NULL,     -- a local 'YYYY-MM-DD', or 'YYYY-MM' in the _month tiers
    answer      TEXT NOT NULL,
    misuse      INTEGER NOT NULL,
    events      INTEGER NOT NULL,
    PRIMARY KEY (tier, place, sku, question, period, answer, misuse)
) STRICT;
DROP TABLE rollup_hourly;
DROP TABLE rollup_reactions;
-- The latest comments of a region or the chain, newest first.
CREATE INDEX feedback_comments_by_time ON feedback_sessions(occurred_at) WHERE comment IS NOT NULL AND comment <> '';
)sql",
     // PostgreSQL: the dashboard's coarser rollups, which replace the UTC-hour ones.
     R"sql(
CREATE TABLE rollup_tiers (
    tier        text NOT NULL,
    place       text NOT NULL,
    sku         text NOT NULL,
    question    text NOT NULL,
    period      text NOT NULL,
    answer      text NOT NULL,
    misuse      boolean NOT NULL,
    events      bigint NOT NULL,
    PRIMARY KEY (tier, place, sku, question, period, answer, misuse)
);
DROP TABLE rollup_hourly;
DROP TABLE rollup_reactions;
CREATE INDEX feedback_comments_by_time ON feedback_sessions(occurred_at) WHERE comment IS NOT NULL AND comment <> '';
)sql"},
    // 11: ingest stores events only; a fold counts them into the rollups afterwards, in large chunks
    // (rollups.hpp, fold_new_events). rollup_progress holds the arrival number up to which every event is
    // counted: until now ingest counted each event in its own transaction, so all of them are.
    {R"sql(
CREATE TABLE rollup_progress (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    folded_through  INTEGER NOT NULL   -- events.rowid up to which the rollups count every event
) STRICT;
INSERT INTO rollup_progress (id, folded_through) SELECT 1, coalesce(max(rowid), 0) FROM events;
)sql",
     R"sql(
CREATE TABLE rollup_progress (
    id              integer PRIMARY KEY CHECK (id = 1),
    folded_through  bigint NOT NULL    -- events.received_seq up to which the rollups count every event
);
INSERT INTO rollup_progress (id, folded_through) SELECT 1, coalesce(max(received_seq), 0) FROM events;
)sql"},
    // 12: tiers a year of a region's or a product's days reads from: its weeks for the trend by week, a
    // product's hours by month for its heat map (rollups.hpp). Summed from the day tiers, which count every
    // event folded so far (a migration from before 10 has just counted them all, into these tiers too, which
    // are therefore emptied first); the fold counts the rest into them as well. And the latest comments' index holds
    // the whole order the feedback view asks for, so that a few days' comments are read newest first up to
    // the page's limit instead of every comment held being read and sorted.
    {R"sql(
DELETE FROM rollup_tiers WHERE tier IN ('region_week', 'region_product_week', 'region_product_hour_month');
INSERT INTO rollup_tiers (tier, place, sku, question, period, answer, misuse, events)
SELECT CASE tier WHEN 'region_day' THEN 'region_week' ELSE 'region_product_week' END, place, sku, question,
       date(period, '-6 days', 'weekday 1'), answer, misuse, sum(events)
FROM rollup_tiers WHERE tier IN ('region_day', 'region_product_day')
GROUP BY 1, place, sku, question, 5, answer, misuse;
INSERT INTO rollup_tiers (tier, place, sku, question, period, answer, misuse, events)
SELECT 'region_product_hour_month', place, sku, ((CAST(strftime('%w', period) AS INTEGER) + 6) % 7 + 1) || '-' || question,
       substr(period, 1, 7), answer, misuse, sum(events)
FROM rollup_tiers WHERE tier = 'region_product_hour'
GROUP BY place, sku, 4, 5, answer, misuse;
DROP INDEX feedback_comments_by_time;
CREATE INDEX feedback_comments_by_time ON feedback_sessions(occurred_at DESC, store_id, session_id, sku)
    WHERE comment IS NOT NULL AND comment <> '';
)sql",
     // PostgreSQL: the same; the index's text columns in the byte order the view sorts them in.
     R"sql(
DELETE FROM rollup_tiers WHERE tier IN ('region_week', 'region_product_week', 'region_product_hour_month');
INSERT INTO rollup_tiers (tier, place, sku, question, period, answer, misuse, events)
SELECT CASE tier WHEN 'region_day' THEN 'region_week' ELSE 'region_product_week' END, place, sku, question,
       to_char(period::date - (extract(isodow FROM period::date)::integer - 1), 'YYYY-MM-DD'), answer, misuse,
       sum(events)
FROM rollup_tiers WHERE tier IN ('region_day', 'region_product_day')
GROUP BY 1, place, sku, question, 5, answer, misuse;
INSERT INTO rollup_tiers (tier, place, sku, question, period, answer, misuse, events)
SELECT 'region_product_hour_month', place, sku, extract(isodow FROM period::date)::integer || '-' || question,
       substr(period, 1, 7), answer, misuse, sum(events)
FROM rollup_tiers WHERE tier = 'region_product_hour'
GROUP BY place, sku, 4, 5, answer, misuse;
DROP INDEX feedback_comments_by_time;
CREATE INDEX feedback_comments_by_time
    ON feedback_sessions(occurred_at DESC, store_id COLLATE "C", session_id COLLATE "C", sku COLLATE "C")
    WHERE comment IS NOT NULL AND comment <> '';
)sql"},
    // 13: sorry cards at the till. A till finds a card by its code through an index on the sorry.card events
    // themselves (partial: no other event pays for it), and a card's one redemption is the row its code keys,
    // so two tills racing on one code cannot both insert it. Its place (region of the issuing kiosk, sku) is
    // kept with it, for the dashboard's rollups to be counted again without the event.
    {R"sql(
CREATE INDEX events_by_sorry_code ON events(data ->> 'code') WHERE type = 'sorry.card';
CREATE TABLE sorry_card_redemptions (
    code         TEXT PRIMARY KEY,
    card_id      TEXT NOT NULL,
    store_id     TEXT NOT NULL,
    region       TEXT NOT NULL,
    sku          TEXT NOT NULL,
    pos_id       TEXT NOT NULL,
    redeemed_at  TEXT NOT NULL
) STRICT;
CREATE INDEX sorry_card_redemptions_by_store ON sorry_card_redemptions(store_id);
)sql",
     R"sql(
CREATE INDEX events_by_sorry_code ON events((data ->> 'code')) WHERE type = 'sorry.card';
CREATE TABLE sorry_card_redemptions (
    code         text PRIMARY KEY,
    card_id      text NOT NULL,
    store_id     text NOT NULL,
    region       text NOT NULL,
    sku          text NOT NULL,
    pos_id       text NOT NULL,
    redeemed_at  timestamptz NOT NULL
);
CREATE INDEX sorry_card_redemptions_by_store ON sorry_card_redemptions(store_id);
)sql"},
    // 14: webhooks and their durable outbox (webhooks.hpp). A notification is a row of the outbox written in
    // the transaction of what it tells, one per webhook it goes to; a webhook's rows are sent in id order,
    // the next only once the one before was delivered. leased_until keeps a row to the hub sending it, so
    // that two hubs do not both send it; a crashed hub's lease runs out.
    {R"sql(
CREATE TABLE webhooks (
    name        TEXT PRIMARY KEY,
    scope_kind  TEXT NOT NULL CHECK (scope_kind IN ('chain', 'region', 'store')),
    scope       TEXT NOT NULL,   -- the region or store id; '' for the chain
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,   -- the HMAC-SHA256 key the deliveries are signed with, as hex
    created_at  TEXT NOT NULL
) STRICT;
CREATE TABLE webhook_outbox (
    id               INTEGER PRIMARY KEY,
    delivery_id      TEXT NOT NULL UNIQUE,   -- a UUID the receiver can drop a repeat by
    webhook          TEXT NOT NULL REFERENCES webhooks(name) ON DELETE CASCADE,
    payload          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    leased_until     TEXT,
    delivered_at     TEXT,
    last_error       TEXT
) STRICT;
CREATE INDEX webhook_outbox_pending ON webhook_outbox(webhook, id) WHERE delivered_at IS NULL;
)sql",
     R"sql(
CREATE TABLE webhooks (
    name        text PRIMARY KEY,
    scope_kind  text NOT NULL CHECK (scope_kind IN ('chain', 'region', 'store')),
    scope       text NOT NULL,
    url         text NOT NULL,
    secret      text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE TABLE webhook_outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id      text NOT NULL UNIQUE,
    webhook          text NOT NULL REFERENCES webhooks(name) ON DELETE CASCADE,
    payload          text NOT NULL,
    created_at       timestamptz NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    leased_until     timestamptz,
    delivered_at     timestamptz,
    last_error       text
);
CREATE INDEX webhook_outbox_pending ON webhook_outbox(webhook, id) WHERE delivered_at IS NULL;
)sql"},
    // 15: alerts and cases (docs/hub.md, "Alerts and cases"). Rule settings per scope (the chain '*', a
    // region or a store) over the built-in defaults, NULL meaning "as the wider scope says"; stores' opening
    // hours in local minutes; one case per alert with its audit trail. At most one case that is not closed
    // per rule and place (kiosk_id '' for a store's rule), so that hubs racing on one database update one
    // case; each kiosk's run of heartbeats whose backlog grew. The reactions' own partial index keeps
    // unhappy_share's read of a store's last minutes to those rows; other events do not maintain it.
    {R"sql(
CREATE TABLE alert_rule_settings (
    rule            TEXT NOT NULL,
    scope_kind      TEXT NOT NULL CHECK (scope_kind IN ('chain', 'region', 'store')),
    scope           TEXT NOT NULL,
    enabled         INTEGER,
    threshold       INTEGER,
    min_count       INTEGER,
    window_minutes  INTEGER,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (rule, scope_kind, scope)
) STRICT;
CREATE TABLE store_hours (
    store_id  TEXT NOT NULL,
    weekday   INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens     INTEGER NOT NULL,
    closes    INTEGER NOT NULL CHECK (closes > opens AND closes <= 1440),
    PRIMARY KEY (store_id, weekday, opens)
) STRICT;
CREATE TABLE cases (
    id                 TEXT PRIMARY KEY,
    rule               TEXT NOT NULL,
    store_id           TEXT NOT NULL,
    kiosk_id           TEXT NOT NULL DEFAULT '',
    region             TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'closed')),
    opened_at          TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    last_triggered_at  TEXT NOT NULL,
    triggered          INTEGER NOT NULL,
    summary            TEXT NOT NULL,
    details            TEXT NOT NULL CHECK (json_valid(details)),
    acknowledged_by    TEXT,
    acknowledged_at    TEXT,
    closed_by          TEXT,
    closed_at          TEXT,
    close_cause        TEXT,
    close_note         TEXT
) STRICT;
CREATE UNIQUE INDEX cases_one_open_per_place ON cases(rule, store_id, kiosk_id) WHERE state <> 'closed';
CREATE INDEX cases_by_opened ON cases(opened_at);
CREATE TABLE case_audit (
    id       TEXT PRIMARY KEY,
    case_id  TEXT NOT NULL REFERENCES cases(id),
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX case_audit_by_case ON case_audit(case_id, at);
CREATE INDEX events_reactions_by_store ON events(store_id, occurred_at) WHERE type = 'fmot.reaction';
CREATE TABLE kiosk_backlog_trends (
    kiosk_id     TEXT PRIMARY KEY,
    occurred_at  TEXT NOT NULL,
    pending      INTEGER NOT NULL,
    rising       INTEGER NOT NULL
) STRICT;
)sql",
     // PostgreSQL: the same.
     R"sql(
CREATE TABLE alert_rule_settings (
    rule            text NOT NULL,
    scope_kind      text NOT NULL CHECK (scope_kind IN ('chain', 'region', 'store')),
    scope           text NOT NULL,
    enabled         boolean,
    threshold       bigint,
    min_count       bigint,
    window_minutes  bigint,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (rule, scope_kind, scope)
);
CREATE TABLE store_hours (
    store_id  text NOT NULL,
    weekday   integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens     integer NOT NULL,
    closes    integer NOT NULL CHECK (closes > opens AND closes <= 1440),
    PRIMARY KEY (store_id, weekday, opens)
);
CREATE TABLE cases (
    id                 text PRIMARY KEY,
    rule               text NOT NULL,
    store_id           text NOT NULL,
    kiosk_id           text NOT NULL DEFAULT '',
    region             text NOT NULL DEFAULT '',
    state              text NOT NULL CHECK (state IN ('open', 'acknowledged', 'closed')),
    opened_at          timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    last_triggered_at  timestamptz NOT NULL,
    triggered          bigint NOT NULL,
    summary            text NOT NULL,
    details            json NOT NULL,
    acknowledged_by    text,
    acknowledged_at    timestamptz,
    closed_by          text,
    closed_at          timestamptz,
    close_cause        text,
    close_note         text
);
CREATE UNIQUE INDEX cases_one_open_per_place ON cases(rule, store_id, kiosk_id) WHERE state <> 'closed';
CREATE INDEX cases_by_opened ON cases(opened_at);
CREATE TABLE case_audit (
    id       text PRIMARY KEY,
    case_id  text NOT NULL REFERENCES cases(id),
    at       timestamptz NOT NULL,
    actor    text NOT NULL,
    action   text NOT NULL,
    note     text NOT NULL DEFAULT ''
);
CREATE INDEX case_audit_by_case ON case_audit(case_id, at);
CREATE INDEX events_reactions_by_store ON events(store_id, occurred_at) WHERE type = 'fmot.reaction';
CREATE TABLE kiosk_backlog_trends (
    kiosk_id     text PRIMARY KEY,
    occurred_at  timestamptz NOT NULL,
    pending      bigint NOT NULL,
    rising       bigint NOT NULL
);
)sql"},
    // 16: unhappy_share counts a store's reactions per minute as they are stored and sums the window's minutes,
    // instead of reading every reaction of the window again for each batch (a third of ingest's rate on a busy
    // store, BENCHMARKS.md). Minutes are occurred_at's, in UTC, 'YYYY-MM-DDTHH:MM'; the last two days are
    // counted from the events held (the widest window is one day), older ones are not needed.
    {R"sql(
DROP INDEX events_reactions_by_store;
CREATE TABLE reaction_minutes (
    store_id  TEXT NOT NULL,
    minute    TEXT NOT NULL,
    answers   INTEGER NOT NULL,
    unhappy   INTEGER NOT NULL,
    PRIMARY KEY (store_id, minute)
) STRICT;
INSERT INTO reaction_minutes (store_id, minute, answers, unhappy)
SELECT store_id, substr(occurred_at, 1, 16), count(*),
       sum(CASE WHEN json_extract(data, '$.reaction') IN ('very_unhappy', 'unhappy') THEN 1 ELSE 0 END)
FROM events WHERE type = 'fmot.reaction' AND NOT misuse
    AND occurred_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days')
GROUP BY 1, 2;
)sql",
     R"sql(
DROP INDEX events_reactions_by_store;
CREATE TABLE reaction_minutes (
    store_id  text NOT NULL,
    minute    text NOT NULL,
    answers   bigint NOT NULL,
    unhappy   bigint NOT NULL,
    PRIMARY KEY (store_id, minute)
);
INSERT INTO reaction_minutes (store_id, minute, answers, unhappy)
SELECT store_id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI'), count(*),
       sum(CASE WHEN data ->> 'reaction' IN ('very_unhappy', 'unhappy') THEN 1 ELSE 0 END)
FROM events WHERE type = 'fmot.reaction' AND NOT misuse AND occurred_at >= now() - interval '2 days'
GROUP BY 1, 2;
)sql"},
    // 17: receipt keys the chain used before `receipt-key rotate` (the current one stays in hub_secrets). Kept
    // for good: a sorry card made under one is still redeemed. Kiosks also hash receipts under the newest until
    // kiosks_until, so that receipts a till sent under it still verify.
    {R"sql(
CREATE TABLE retired_receipt_keys (
    key           TEXT PRIMARY KEY,
    retired_at    TEXT NOT NULL,
    kiosks_until  TEXT NOT NULL
) STRICT;
)sql",
     R"sql(
CREATE TABLE retired_receipt_keys (
    key           text PRIMARY KEY,
    retired_at    timestamptz NOT NULL,
    kiosks_until  timestamptz NOT NULL
);
)sql"},
    // 18: review moderation (reviews.hpp). The queue is the umot.review events without a decision, read
    // through their own partial index (no other event pays for it); a decision is the row the event's id
    // keys, so two hubs deciding one review at once cannot both insert it. A decision keeps the review's
    // sku and time, so that the approved reviews of a product (served to kiosks) come from an index.
    {R"sql(
CREATE INDEX events_reviews_by_time ON events(occurred_at) WHERE type = 'umot.review';
CREATE TABLE review_decisions (
    event_id     TEXT PRIMARY KEY REFERENCES events(id),
    decision     TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    reason       TEXT NOT NULL DEFAULT '',
    decided_by   TEXT NOT NULL,
    decided_at   TEXT NOT NULL,
    sku          TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    CHECK (decision = 'approved' OR reason <> '')
) STRICT;
CREATE INDEX review_decisions_approved ON review_decisions(sku, occurred_at) WHERE decision = 'approved';
CREATE INDEX review_decisions_by_time ON review_decisions(decided_at);
)sql",
     R"sql(
CREATE INDEX events_reviews_by_time ON events(occurred_at) WHERE type = 'umot.review';
CREATE TABLE review_decisions (
    event_id     text PRIMARY KEY REFERENCES events(id),
    decision     text NOT NULL CHECK (decision IN ('approved', 'rejected')),
    reason       text NOT NULL DEFAULT '',
    decided_by   text NOT NULL,
    decided_at   timestamptz NOT NULL,
    sku          text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    CHECK (decision = 'approved' OR reason <> '')
);
CREATE INDEX review_decisions_approved ON review_decisions(sku, occurred_at) WHERE decision = 'approved';
CREATE INDEX review_decisions_by_time ON review_decisions(decided_at);
)sql"},
};

inline constexpr int kLatestSchemaVersion = static_cast<int>(std::size(kMigrations));

}  // namespace truthpoint::hub
