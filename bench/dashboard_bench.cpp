// The regional manager's dashboard at a chain's scale (issue 15): a year of a 200-store chain's events loaded
// through the hub's own ingest, then every JSON view of the dashboard timed over loopback HTTP, on SQLite and on
// PostgreSQL.
//
// The chain: --stores stores (two kiosks each) in five regions and eight time zones, Asia/Tehran's half hour among
// them, over --days days ending 2026-11-30. Each store-day's share of --events is made of FMOT sessions (a reaction,
// mostly drivers and an intent with why-not and time to decide, 1 % flagged misuse), staff shelf taps,
// post-purchase sessions (rating, expectations, recommendation, glory and pain topics, some comments, reviews and
// sorry cards) and each kiosk's heartbeat up to every two hours, at the store's opening hours on its own clock, 60
// products of Zipf-like popularity.
//
// The load goes through Store::store_batches, the call the hub's group-commit writer makes for every POST
// /api/v1/batches (verified purchases and the kiosk's last contact included), and Store::catch_up_rollups, which
// the hub's rollup worker calls every half second, here after every 100,000 events: batches of 500 events of one
// kiosk, --group batches per call, each event encoded and hashed first as the request threads do. It is the
// fastest way that is still the real path: HTTP adds the decoding and the loopback round trips (measured apart
// by `scripts/bench --only hub`), not what the dashboard reads. The rate printed is the events stored and counted
// per second spent in those two calls, and the wall rate with the generation included.
//
// The stores' time zones are written into the stores table with SQL (schema 9 keeps them there; nothing in this
// build sets them otherwise). Then `truthpoint-hub serve` is started on the database, an admin signs in (POST
// /api/v1/sessions) and each view GET /api/v1/dashboard/{summary,trend,heatmap,rankings,feedback,kiosks,places} is
// asked --samples times per filter, one request at a time (a warm-up first): p50 and p95 of the whole answer's
// time. A view that answers 404 is not in this build: it is reported as skipped.
//
// usage: bench_dashboard --hub-binary PATH [--dir DIR] [--events 10000000] [--stores 200] [--days 365]
//                        [--engines sqlite,postgresql] [--samples 20] [--group 8] [--views summary,trend,...]
//                        [--keep] [--json FILE] [--postgres URL]
// (--views names paths under /api/v1/dashboard/; --keep leaves the SQLite file in --dir; --postgres loads an empty
// database of one's own server, left there afterwards to look into, instead of a throwaway server's.)
#include <curl/curl.h>
#include <sqlite3.h>

#include <iostream>
#include <map>
#include <random>

#include "../hub/src/local_time.hpp"
#include "postgres_server.hpp"
#include "sync_bench_support.hpp"
#include "truthpoint/core/vocabulary.hpp"
#include "truthpoint/hub/store.hpp"
#include "truthpoint/hub/tokens.hpp"
#include "truthpoint/hub/users.hpp"

using namespace truthpoint;
using namespace truthpoint::bench;

namespace {

constexpr const char* kLastDay = "2026-11-30";
constexpr const char* kAdmin = "bench-admin";
constexpr const char* kPassword = "bench-password-for-the-dashboard";
constexpr std::size_t kBatchEvents = 500;  // a kiosk's batch at most
constexpr int kProducts = 60;
const std::vector<std::string> kRegions = {"north", "south", "east", "west", "central"};
const std::vector<std::string> kZones = {"UTC",           "Europe/London",   "Europe/Athens", "Europe/Istanbul",
                                         "Asia/Tehran",   "Asia/Dubai",      "America/New_York", "Asia/Kolkata"};
constexpr const char* kViews = "summary,trend,heatmap,rankings,feedback,kiosks,places";

struct ChainStore {
    std::string id, region, zone_name;
    hub::TimeZone zone;
    std::array<hub::KioskIdentity, 2> kiosks;
};

std::string sku_name(int index) {
    char text[16];
    std::snprintf(text, sizeof text, "sku-%04d", index + 1);
    return text;
}

std::vector<ChainStore> make_chain(int stores) {
    std::vector<ChainStore> chain;
    for (int i = 0; i < stores; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "s-%03d", i + 1);
        const std::string& zone_name = kZones[static_cast<std::size_t>(i) % kZones.size()];
        const std::string& region = kRegions[static_cast<std::size_t>(i) % kRegions.size()];
        ChainStore store{id, region, zone_name, hub::TimeZone::named(zone_name).value(), {}};
        for (int k = 0; k < 2; ++k) store.kiosks[k] = {std::string(id) + "-k" + std::to_string(k + 1), id, region};
        chain.push_back(std::move(store));
    }
    return chain;
}

// Everything that is random about the chain, seeded: two runs load the same events (ids apart).
class Generator {
public:
    explicit Generator(std::uint64_t seed) : random_(seed) {
        // Zipf-like: product i is chosen with weight 1/(i+1).
        std::vector<double> weights;
        for (int i = 0; i < kProducts; ++i) weights.push_back(1.0 / (i + 1));
        products_ = std::discrete_distribution<int>(weights.begin(), weights.end());
        // Opening hours 8-22 on the store's clock, busiest in the late afternoon.
        std::vector<double> hours(24, 0.0);
        for (int h = 8; h < 22; ++h) hours[static_cast<std::size_t>(h)] = 1.0 + (h >= 16 && h <= 19 ? 1.5 : 0.0);
        hours_ = std::discrete_distribution<int>(hours.begin(), hours.end());
        // Whether the driver event may say which reaction it explains (a newer kiosk's field).
        core::Event probe;
        probe.id = ids_.next();
        probe.type = core::EventType::FmotDriver;
        probe.session_id = ids_.next();
        probe.locale = "en";
        probe.sku = "sku-0001";
        probe.data = {{"drivers", {"price"}}, {"reaction", "happy"}};
        drivers_carry_reaction_ = !core::validate_event(probe).has_value();
    }

    bool drivers_carry_reaction() const { return drivers_carry_reaction_; }

    // One store's events of one local day, `budget` of them or about, each kiosk's in time order.
    void store_day(const ChainStore& store, const std::string& day, int budget,
                   std::array<std::vector<core::Event>, 2>& out) {
        const core::Timestamp midnight = store.zone.day_starts(day);
        const core::Timestamp next_midnight = store.zone.day_starts(hub::add_days(day, 1));
        // Heartbeats: every two hours from each kiosk, fewer when the day's share is small (a quick run's),
        // so that they stay about a sixth of the events.
        const double beats = std::min(12.0, budget / 12.0);
        const int every = static_cast<int>(std::floor(beats)) + (unit() < beats - std::floor(beats) ? 1 : 0);
        for (int k = 0; k < 2 && every > 0; ++k) {
            for (int beat = 0; beat < every; ++beat) {
                const auto at = midnight + std::chrono::minutes(beat * 24 * 60 / every + k * 7);
                if (at >= next_midnight) break;
                out[k].push_back(event(core::EventType::KioskHeartbeat, at, "", "",
                                       {{"pending", uniform(0, 3)}, {"quarantined", 0},
                                        {"oldest_pending_s", uniform(0, 30)}, {"version", "1.4.0"}}));
                --budget;
            }
        }
        while (budget > 0) {
            const int k = uniform(0, 1);
            const auto start = midnight + std::chrono::hours(hours_(random_)) + std::chrono::seconds(uniform(0, 3599));
            if (start >= next_midnight) continue;  // a day a clock change made short
            const double kind = unit();
            if (kind < 0.60) {
                budget -= fmot_session(out[k], start);
            } else if (kind < 0.70) {
                out[k].push_back(event(core::EventType::StaffShelf, start, product(), "",
                                       {{"observation", pick(core::kShelfObservations)}}));
                --budget;
            } else {
                budget -= post_purchase_session(out[k], start);
            }
        }
        for (auto& events : out) {
            std::stable_sort(events.begin(), events.end(),
                             [](const core::Event& a, const core::Event& b) { return a.occurred_at < b.occurred_at; });
        }
    }

private:
    int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
    double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(random_); }
    std::string product() { return sku_name(products_(random_)); }
    template <std::size_t N>
    std::string pick(const std::array<core::Answer, N>& answers) {
        return std::string(answers[static_cast<std::size_t>(uniform(0, static_cast<int>(N) - 1))].wire);
    }

    core::Event event(core::EventType type, core::Timestamp at, const std::string& sku, const std::string& session,
                      nlohmann::json data) {
        core::Event e;
        e.id = ids_.next_at(at);
        e.type = type;
        e.occurred_at = at;
        e.session_id = session.empty() ? ids_.next_at(at) : session;
        static const std::array<const char*, 5> kLocales{"en", "fa", "ar", "el", "tr"};
        e.locale = kLocales[static_cast<std::size_t>(uniform(0, 4))];
        e.sku = sku;
        e.data = std::move(data);
        return e;
    }

    int fmot_session(std::vector<core::Event>& out, core::Timestamp at) {
        static const std::array<const char*, 4> kFaces{"very_unhappy", "unhappy", "happy", "very_happy"};
        const double face = unit();
        const int reaction = face < 0.08 ? 0 : face < 0.25 ? 1 : face < 0.70 ? 2 : 3;
        const std::string sku = product();
        const std::string session = ids_.next_at(at);
        nlohmann::json data{{"reaction", kFaces[static_cast<std::size_t>(reaction)]}, {"ms_to_react", uniform(400, 4000)}};
        if (unit() < 0.01) data["misuse"] = true;
        out.push_back(event(core::EventType::FmotReaction, at, sku, session, std::move(data)));
        int made = 1;
        if (unit() < 0.6) {
            at += std::chrono::seconds(uniform(2, 8));
            nlohmann::json drivers{{"drivers", {pick(core::kDrivers)}}, {"ms_to_answer", uniform(800, 9000)}};
            if (unit() < 0.4) drivers["drivers"].push_back(pick(core::kDrivers));
            if (drivers["drivers"][0] == drivers["drivers"].back() && drivers["drivers"].size() == 2) {
                drivers["drivers"].erase(1);
            }
            if (drivers_carry_reaction_) drivers["reaction"] = kFaces[static_cast<std::size_t>(reaction)];
            out.push_back(event(core::EventType::FmotDriver, at, sku, session, std::move(drivers)));
            ++made;
        }
        if (unit() < 0.7) {
            at += std::chrono::seconds(uniform(2, 8));
            const double choice = unit();
            const std::string intent = choice < 0.45 ? "buy_now" : choice < 0.75 ? "maybe_later" : "not_buying";
            nlohmann::json answer{{"intent", intent}, {"ms_to_answer", uniform(600, 25000)}};
            if (intent == "not_buying" && unit() < 0.8) answer["why_not"] = pick(core::kWhyNots);
            out.push_back(event(core::EventType::FmotIntent, at, sku, session, std::move(answer)));
            ++made;
        }
        return made;
    }

    int post_purchase_session(std::vector<core::Event>& out, core::Timestamp at) {
        const std::string sku = product();
        const std::string session = ids_.next_at(at);
        const double stars = unit();
        const int rating = stars < 0.06 ? 1 : stars < 0.14 ? 2 : stars < 0.30 ? 3 : stars < 0.65 ? 4 : 5;
        out.push_back(event(core::EventType::SmotFeedback, at, sku, session, {{"rating", rating}}));
        int made = 1;
        const auto next = [&] { at += std::chrono::seconds(uniform(3, 15)); return at; };
        if (unit() < 0.8) {
            const std::string met = rating <= 2 ? "below" : rating == 5 && unit() < 0.5 ? "beyond" : "met";
            out.push_back(event(core::EventType::SmotExpectations, next(), sku, session, {{"expectations", met}}));
            ++made;
        }
        if (unit() < 0.8) {
            const int score = std::clamp(rating * 2 + uniform(-2, 1), 0, 10);
            out.push_back(event(core::EventType::SmotRecommend, next(), sku, session, {{"score", score}}));
            ++made;
        }
        if (unit() < 0.6) {
            nlohmann::json topics{{"glory", nlohmann::json::array()}, {"pain", nlohmann::json::array()}};
            topics[rating >= 4 ? "glory" : "pain"].push_back(pick(core::kPostPurchaseTopics));
            out.push_back(event(core::EventType::SmotTopics, next(), sku, session, std::move(topics)));
            ++made;
        }
        if (unit() < 0.2) {
            static const std::array<const char*, 4> kComments{
                "Fresh and well packed", "خیلی خوب بود، ممنون", "Η ουρά στο ταμείο ήταν μεγάλη", "Fiyatı biraz yüksek"};
            out.push_back(event(core::EventType::SmotComment, next(), sku, session,
                                {{"comment", kComments[static_cast<std::size_t>(uniform(0, 3))]}}));
            ++made;
        }
        if (rating >= 4 && unit() < 0.1) {
            out.push_back(event(core::EventType::UmotReview, next(), sku, session,
                                {{"rating", rating}, {"text", "Would buy again"}, {"consent", true}}));
            ++made;
        }
        if (rating <= 2 && unit() < 0.5) {
            out.push_back(event(core::EventType::SorryCard, next(), sku, session,
                                {{"reason", "low_rating"}, {"offer", false}, {"no_offer_because", "no_offer"}}));
            ++made;
        }
        return made;
    }

    std::mt19937_64 random_;
    core::UuidV7Generator ids_;
    std::discrete_distribution<int> products_;
    std::discrete_distribution<int> hours_;
    bool drivers_carry_reaction_ = false;
};

// As a request thread hands an event to the writer (prepare_batch), checked as it checks it.
hub::IncomingEvent prepared(core::Event event) {
    if (auto why = core::validate_event(event)) {
        throw std::runtime_error("the generator made an invalid " + std::string(core::to_string(event.type)) + ": " + *why);
    }
    std::size_t data_size = 0;
    std::string canonical = core::encode_event(event, &data_size);
    std::string hash = hub::sha256_hex(canonical);
    std::string occurred_at = core::format_rfc3339(event.occurred_at);
    return {std::move(event), std::move(canonical), std::move(hash), std::move(occurred_at), data_size};
}

struct LoadFigures {
    std::int64_t events = 0;
    double store_seconds = 0;  // inside store_batches
    double fold_seconds = 0;   // inside catch_up_rollups
    double wall_seconds = 0;
};

// Enrols the chain's kiosks, sets the stores' zones, adds the admin, and stores about `events` events.
LoadFigures load(const std::string& url, const std::vector<ChainStore>& chain, std::int64_t events, int days,
                 std::size_t group, const std::function<void(const std::string&)>& execute_sql) {
    auto opened = hub::open_store(url);
    if (!opened) throw std::runtime_error("cannot open " + url + ": " + opened.error().message);
    hub::Store& store = **opened;
    const core::Timestamp now = core::now_utc();
    std::string zones = "INSERT INTO stores (store_id, time_zone, name, updated_at) VALUES ";
    for (const ChainStore& s : chain) {
        for (const auto& kiosk : s.kiosks) {
            auto added = store.add_kiosk({kiosk.kiosk_id, s.id, s.region, hub::hash_token("token-" + kiosk.kiosk_id)}, now);
            if (!added) throw std::runtime_error("enrolling " + kiosk.kiosk_id + ": " + added.error().message);
        }
        zones += std::string(&s == &chain.front() ? "" : ", ") + "('" + s.id + "', '" + s.zone_name + "', 'Store " +
                 s.id.substr(2) + "', '" + core::format_rfc3339(now) + "')";
    }
    execute_sql(zones);
    auto hash = hub::hash_password(kPassword);
    if (!hash) throw std::runtime_error("hashing the password: " + hash.error().message);
    if (auto added = store.add_user({kAdmin, hub::UserRole::Admin, "", *hash, now}); !added) {
        throw std::runtime_error("adding the admin: " + added.error().message);
    }

    Generator generator(15);
    if (!generator.drivers_carry_reaction()) {
        std::cerr << "bench_dashboard: this build's fmot.driver has no data.reaction: drivers are sent without it\n";
    }
    LoadFigures figures;
    const auto wall = Clock::now();
    const int per_store_day = static_cast<int>(std::max<std::int64_t>(1, events / (static_cast<std::int64_t>(chain.size()) * days)));
    std::map<std::string, std::vector<hub::IncomingEvent>> pending;  // per kiosk, up to a batch
    std::vector<hub::BatchToStore> batches;
    constexpr std::int64_t kEventsPerFold = 100'000;
    std::int64_t folded = 0;
    const auto fold = [&] {
        const auto start = Clock::now();
        if (auto counted = store.catch_up_rollups(); !counted) {
            throw std::runtime_error("counting the rollups: " + counted.error().message);
        }
        figures.fold_seconds += seconds_since(start);
        folded = figures.events;
    };
    const auto flush = [&] {
        if (batches.empty()) return;
        const auto start = Clock::now();
        auto results = store.store_batches(batches);
        figures.store_seconds += seconds_since(start);
        for (const auto& result : results) {
            if (!result) throw std::runtime_error("storing a batch: " + result.error().message);
        }
        batches.clear();
        if (figures.events - folded >= kEventsPerFold) fold();
    };
    const auto send = [&](const hub::KioskIdentity& kiosk, std::vector<hub::IncomingEvent>& events_of_kiosk) {
        const core::Timestamp received = events_of_kiosk.back().event.occurred_at + std::chrono::minutes(1);
        figures.events += static_cast<std::int64_t>(events_of_kiosk.size());
        batches.push_back({kiosk, std::move(events_of_kiosk), received});
        events_of_kiosk.clear();
        if (batches.size() >= group) flush();
    };
    const std::string first_day = hub::add_days(kLastDay, -(days - 1));
    double last_report = 0;
    for (int d = 0; d < days; ++d) {
        const std::string day = hub::add_days(first_day, d);
        for (const ChainStore& s : chain) {
            std::array<std::vector<core::Event>, 2> made;
            generator.store_day(s, day, per_store_day, made);
            for (int k = 0; k < 2; ++k) {
                auto& queue = pending[s.kiosks[k].kiosk_id];
                for (core::Event& e : made[k]) {
                    queue.push_back(prepared(std::move(e)));
                    if (queue.size() == kBatchEvents) send(s.kiosks[k], queue);
                }
            }
        }
        if (seconds_since(wall) - last_report > 30) {
            last_report = seconds_since(wall);
            std::cerr << "  day " << d + 1 << "/" << days << ": " << figures.events << " events stored, "
                      << static_cast<long>(figures.events / std::max(figures.store_seconds + figures.fold_seconds, 1e-9))
                      << " events/s stored and counted\n";
        }
    }
    for (const ChainStore& s : chain) {
        for (const auto& kiosk : s.kiosks) {
            auto& queue = pending[kiosk.kiosk_id];
            if (!queue.empty()) send(kiosk, queue);
        }
    }
    flush();
    fold();
    figures.wall_seconds = seconds_since(wall);
    return figures;
}

// One GET with a bearer token; the status, and the time to the whole answer.
class Getter {
public:
    explicit Getter(const std::string& token) {
        curl_ = curl_easy_init();
        headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + token).c_str());
        curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
        curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 120000L);
        curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, keep_body);
        curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body_);
    }
    ~Getter() {
        curl_easy_cleanup(curl_);
        curl_slist_free_all(headers_);
    }
    Getter(const Getter&) = delete;
    Getter& operator=(const Getter&) = delete;

    std::pair<long, double> get(const std::string& url) {
        body_.clear();
        curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
        const auto start = Clock::now();
        const CURLcode code = curl_easy_perform(curl_);
        const double ms = seconds_since(start) * 1000.0;
        long status = 0;
        if (code == CURLE_OK) curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
        return {status, ms};
    }
    const std::string& body() const { return body_; }

private:
    CURL* curl_ = nullptr;
    curl_slist* headers_ = nullptr;
    std::string body_;
};

std::string sign_in(const std::string& base) {
    CURL* curl = curl_easy_init();
    std::string body;
    const std::string request = std::string("{\"name\":\"") + kAdmin + "\",\"password\":\"" + kPassword + "\"}";
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    const std::string url = base + "/api/v1/sessions";
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    const auto answer = nlohmann::json::parse(body, nullptr, false);
    if (code != CURLE_OK || !answer.is_object() || !answer.contains("token")) {
        throw std::runtime_error("signing in failed: " + body);
    }
    return answer["token"].get<std::string>();
}

struct Filter {
    std::string name;
    std::string query;
};

std::vector<Filter> filters(const std::vector<ChainStore>& chain) {
    const auto days = [](int count) {
        return "period=custom&from=" + hub::add_days(kLastDay, -(count - 1)) + "&to=" + std::string(kLastDay);
    };
    // Tehran's first store: the half-hour zone is the one that must come out right.
    const auto tehran = std::find_if(chain.begin(), chain.end(), [](const ChainStore& s) { return s.zone_name == "Asia/Tehran"; });
    const ChainStore& one = tehran != chain.end() ? *tehran : chain.front();
    return {{"chain, 7 days", days(7)},
            {"chain, 30 days", days(30)},
            {"chain, 365 days", days(365)},
            {"region " + one.region + ", 30 days", "region=" + one.region + "&" + days(30)},
            {"store " + one.id + " (" + one.zone_name + "), 30 days", "region=" + one.region + "&store=" + one.id + "&" + days(30)},
            {"product " + sku_name(0) + ", 365 days", "sku=" + sku_name(0) + "&" + days(365)}};
}

// p50/p95 per view and filter; a view that answers 404 is skipped with a message.
std::string time_views(const std::string& base, const std::string& token, const std::vector<ChainStore>& chain,
                       const std::vector<std::string>& views, int samples) {
    Getter getter(token);
    std::string json = "{";
    bool first_view = true;
    for (const std::string& view : views) {
        const std::string path = base + "/api/v1/dashboard/" + view;
        json += std::string(first_view ? "" : ",") + "\"" + view + "\":";
        first_view = false;
        const auto [status, ms] = getter.get(path + "?" + filters(chain).front().query);
        if (status == 404) {
            std::cerr << "  GET /api/v1/dashboard/" << view
                      << ": 404, this build has no such view (written by the dashboard's JSON work): skipped\n";
            json += "null";
            continue;
        }
        json += "{";
        bool first_filter = true;
        for (const Filter& filter : filters(chain)) {
            std::vector<double> times;
            long last_status = 0;
            std::size_t bytes = 0;
            getter.get(path + "?" + filter.query);  // warm-up
            for (int i = 0; i < samples; ++i) {
                const auto [answer, took] = getter.get(path + "?" + filter.query);
                last_status = answer;
                bytes = getter.body().size();
                times.push_back(took);
            }
            const double p50 = percentile(times, 50), p95 = percentile(times, 95);
            std::cerr << "  " << view << ", " << filter.name << ": p50 " << p50 << " ms, p95 " << p95 << " ms (HTTP "
                      << last_status << ", " << bytes << " bytes)\n";
            json += std::string(first_filter ? "" : ",") + "\"" + json_escape(filter.name) + "\":{\"status\":" +
                    std::to_string(last_status) + ",\"bytes\":" + std::to_string(bytes) + ",\"p50_ms\":" +
                    std::to_string(p50) + ",\"p95_ms\":" + std::to_string(p95) + ",\"ms\":" + json_list(times) + "}";
            first_filter = false;
        }
        json += "}";
    }
    return json + "}";
}

void sqlite_execute(const fs::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + path.string());
    sqlite3_busy_timeout(db, 10000);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string error = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error("SQL failed: " + error);
}

}  // namespace

int main(int argc, char** argv) {
    Arguments args(argc, argv);
    const fs::path hub_binary = args.text("hub-binary", "");
    if (hub_binary.empty()) {
        std::cerr << "usage: bench_dashboard --hub-binary PATH [--dir DIR] [--events 10000000] [--stores 200] "
                     "[--days 365] [--engines sqlite,postgresql] [--samples 20] [--group 8] [--views summary,trend,...] [--keep] "
                     "[--json FILE] [--postgres URL]\n";
        return 2;
    }
    const fs::path dir = args.text("dir", "bench-dashboard");
    const std::int64_t events = static_cast<std::int64_t>(args.number("events", 10000000));
    const int stores = static_cast<int>(args.number("stores", 200));
    const int days = static_cast<int>(args.number("days", 365));
    const int samples = static_cast<int>(args.number("samples", 20));
    const std::size_t group = static_cast<std::size_t>(args.number("group", 8));
    const std::string engines = args.text("engines", "sqlite,postgresql");
    std::vector<std::string> view_names;
    std::stringstream names(args.text("views", kViews));
    for (std::string name; std::getline(names, name, ',');) {
        if (!name.empty()) view_names.push_back(name);
    }
    fs::create_directories(dir);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const auto chain = make_chain(stores);

    std::string json = "{\"events\":" + std::to_string(events) + ",\"stores\":" + std::to_string(stores) +
                       ",\"days\":" + std::to_string(days) + ",\"engines\":{";
    bool first_engine = true;
    for (const std::string engine : {"sqlite", "postgresql"}) {
        if (("," + engines + ",").find("," + engine + ",") == std::string::npos) continue;
        std::string url;
        std::function<void(const std::string&)> execute_sql;
        if (engine == "sqlite") {
            const fs::path path = dir / "dashboard.db";
            remove_database(path);
            url = "sqlite:" + path.string();
            execute_sql = [path](const std::string& sql) { sqlite_execute(path, sql); };
        } else {
            url = args.flag("postgres") ? args.text("postgres", "") : hub_test::PostgresServer::shared().create_database();
            execute_sql = [url](const std::string& sql) { hub_test::PostgresServer::execute(url, sql); };
        }
        std::cerr << "bench_dashboard, " << engine << ": loading about " << events << " events of " << stores
                  << " stores over " << days << " days through Store::store_batches\n";
        const LoadFigures loaded = load(url, chain, events, days, group, execute_sql);
        const double rate = loaded.events / std::max(loaded.store_seconds + loaded.fold_seconds, 1e-9);
        std::cerr << "bench_dashboard, " << engine << ": ingest " << static_cast<long>(rate) << " events/s ("
                  << loaded.events << " events, " << loaded.store_seconds << " s in store_batches, "
                  << loaded.fold_seconds << " s in catch_up_rollups; "
                  << loaded.wall_seconds << " s wall with the generation, "
                  << static_cast<long>(loaded.events / loaded.wall_seconds) << " events/s)\n";

        HubProcess hub(hub_binary, DatabaseUrl{url}, dir / ("hub-" + std::string(engine) + ".log"));
        const std::string token = sign_in(hub.url());
        const std::string views = time_views(hub.url(), token, chain, view_names, samples);
        json += std::string(first_engine ? "" : ",") + "\"" + engine + "\":{\"loaded_events\":" +
                std::to_string(loaded.events) + ",\"store_seconds\":" + std::to_string(loaded.store_seconds) +
                ",\"fold_seconds\":" + std::to_string(loaded.fold_seconds) +
                ",\"wall_seconds\":" + std::to_string(loaded.wall_seconds) + ",\"ingest_events_per_s\":" +
                std::to_string(rate) + ",\"hub_rss_kb\":" + std::to_string(hub.rss_kb()) + ",\"views\":" + views + "}";
        first_engine = false;
        hub.stop();
        if (engine == "sqlite" && !args.flag("keep")) remove_database(dir / "dashboard.db");
    }
    json += "}}";
    std::cout << json << std::endl;
    if (args.flag("json")) std::ofstream(args.text("json", "")) << json << "\n";
    curl_global_cleanup();
    return 0;
}
