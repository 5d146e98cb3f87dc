// Quarantine: an event the hub refuses leaves "pending" only with the hub's reason, the rest of its
// batch is delivered, and `status` (the ledger, its renderings and the CLI) shows it. A 401 is not a
// reason to quarantine: a mistyped token would otherwise quarantine a kiosk's whole backlog.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "fault_proxy.hpp"
#include "fault_support.hpp"
#include "hub_fixture.hpp"
#include "truthpoint/app/config.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/app/status_report.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using truthpoint::testing::Fault;
using truthpoint::testing::FaultProxy;
using truthpoint::testing::LoopbackHub;
using truthpoint::testing::ProxiedRequest;
using truthpoint::testing::TempDir;

namespace {

std::set<std::string> ids_in_state(const std::string& path, const char* state) {
    core::sqlite::Connection db(path);
    std::set<std::string> ids;
    auto query = db.prepare("SELECT id FROM events WHERE state = ?1");
    query.bind(1, std::string_view(state));
    while (query.step()) ids.insert(query.column_text(0));
    return ids;
}

// The kiosk executable: $TRUTHPOINT_KIOSK_EXE, else the one CMake built beside this test, if any.
std::optional<std::string> kiosk_executable() {
    if (const char* from_env = std::getenv("TRUTHPOINT_KIOSK_EXE"); from_env && *from_env) return from_env;
#ifdef TRUTHPOINT_KIOSK_EXE
    return std::string(TRUTHPOINT_KIOSK_EXE);
#else
    return std::nullopt;
#endif
}

std::string run_and_capture(const std::string& command, int& exit_code) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe);
    char chunk[4096];
    while (const std::size_t got = std::fread(chunk, 1, sizeof chunk, pipe)) out.append(chunk, got);
    const int status = ::pclose(pipe);
    exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

// `status` shows the quarantined events with their reasons: the ledger, the text and JSON renderings,
// and `truthpoint-kiosk status --json` itself when it was built (it needs the UI).
void check_status_shows(const std::string& path, const std::string& hub_url, const std::set<std::string>& quarantined,
                        const std::string& reason_part) {
    auto ledger = app::Ledger::open(path).value();
    const app::LedgerStatus status = ledger.status().value();
    CHECK(status.quarantined == static_cast<std::int64_t>(quarantined.size()));
    REQUIRE(status.latest_quarantined.size() == std::min<std::size_t>(quarantined.size(), 5));
    for (const auto& item : status.latest_quarantined) {
        CHECK(quarantined.count(item.id) == 1);
        CHECK_THAT(item.reason, Catch::Contains(reason_part));
    }
    app::KioskConfig config;
    config.db_path = path;
    const auto warnings = app::outbox_warnings(status, config);
    const std::string text = app::format_status_text(status, warnings);
    CHECK_THAT(text, Catch::Contains("quarantined: " + std::to_string(quarantined.size())) &&
                         Catch::Contains("refused by the hub") && Catch::Contains(reason_part));

    const auto executable = kiosk_executable();
    if (!executable) {
        WARN("truthpoint-kiosk was not built (TRUTHPOINT_BUILD_UI=OFF): `status --json` checked through "
             "format_status_json only");
        const auto json = nlohmann::json::parse(app::format_status_json(status, warnings));
        CHECK(json["quarantined"] == quarantined.size());
        return;
    }
    const std::string config_path = (std::filesystem::path(path).parent_path() / "kiosk.toml").string();
    std::ofstream(config_path) << "[kiosk]\nid = \"k-sync\"\nstore = \"s-1\"\ndb = \"" << path
                               << "\"\nlanguages = [\"en\"]\n\n[hub]\nurl = \"" << hub_url
                               << "\"\ntoken = \"unused-by-status\"\n";
    int exit_code = -1;
    const std::string out = run_and_capture("'" + *executable + "' status --json --config '" + config_path + "' 2>&1",
                                            exit_code);
    INFO("truthpoint-kiosk status --json printed:\n" << out);
    REQUIRE(exit_code == (quarantined.empty() ? 0 : 1));  // quarantined events need a person's attention
    const auto json = nlohmann::json::parse(out, nullptr, false);
    REQUIRE_FALSE(json.is_discarded());
    CHECK(json["quarantined"] == quarantined.size());
    CHECK(json["pending"] == 0);
    REQUIRE(json["latest_quarantined"].size() == std::min<std::size_t>(quarantined.size(), 5));
    for (const auto& item : json["latest_quarantined"]) {
        CHECK(quarantined.count(item["id"].get<std::string>()) == 1);
        CHECK_THAT(item["reason"].get<std::string>(), Catch::Contains(reason_part));
    }
    bool warned = false;
    for (const auto& warning : json["warnings"]) warned |= warning.get<std::string>().find("refused by the hub") != std::string::npos;
    CHECK(warned);
}

}  // namespace

TEST_CASE("an event the hub holds differently is quarantined with the hub's reason, the rest delivered",
          "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    const auto ids = testing::fill_ledger(path, 1200);
    const std::string victim = ids[737];  // in the second batch of 500

    // Another version of that event is already at the hub, sent by the same kiosk.
    {
        core::sqlite::Connection db(path);
        auto query = db.prepare("SELECT payload FROM events WHERE id = ?1");
        query.bind(1, victim);
        REQUIRE(query.step());
        auto decoded = core::decode_event_text(query.column_text(0));
        REQUIRE(decoded);
        core::Event other = decoded.value();
        other.data["ms_to_react"] = 1;
        const std::string canonical = core::encode_event(other);
        const auto outcomes = hub.store().store_events({"k-sync", "s-1", ""},
                                                       {{other, canonical, hub::sha256_hex(canonical), {}, 0}}, core::now_utc());
        REQUIRE(outcomes);
        REQUIRE(outcomes.value().at(0) == hub::EventOutcome::Stored);
    }

    auto ledger = app::Ledger::open(path).value();
    sync::HubClient client(hub.endpoint(), testing::quick_transport());
    const auto report = sync::push_pending(ledger, client);
    REQUIRE(report.ok());
    CHECK(report.batches == 3);
    CHECK(report.delivered == 1199);
    CHECK(report.quarantined == 1);
    CHECK(ids_in_state(path, "quarantined") == std::set<std::string>{victim});
    CHECK(ids_in_state(path, "pending").empty());
    const auto status = ledger.status().value();
    CHECK(status.delivered == 1199);
    REQUIRE(status.latest_quarantined.size() == 1);
    CHECK(status.latest_quarantined[0].id == victim);
    CHECK(status.latest_quarantined[0].reason == hub::kConflictReason);
    CHECK(hub.stored_events() == 1200);  // 1199 delivered + the other version, untouched

    SECTION("status shows it") { check_status_shows(path, hub.endpoint().url, {victim}, "conflict"); }
    SECTION("a later sync neither resends nor releases it") {
        const auto again = sync::push_pending(ledger, client);
        REQUIRE(again.ok());
        CHECK(again.batches == 0);
        CHECK(ledger.status()->quarantined == 1);
    }
}

TEST_CASE("a batch refused as a whole is split until only the marked events are quarantined", "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    const auto ids = testing::fill_ledger(path, 2000);
    // Two neighbours in the first batch, one in the middle of the second, the very last event.
    const std::set<std::string> marked{ids[10], ids[11], ids[777], ids[1999]};

    Fault fault = Fault::Answer400;
    std::string reason = "HTTP 400";
    SECTION("400") {}
    SECTION("409") {
        fault = Fault::Answer409;
        reason = "HTTP 409";
    }
    // The proxy refuses every request that carries a marked event, and only those.
    FaultProxy proxy(hub.port(), [&](const ProxiedRequest& r) {
        for (const auto& id : marked) {
            if (r.contains(id)) return fault;
        }
        return Fault::None;
    });
    auto endpoint = hub.endpoint();
    endpoint.url = proxy.url();
    auto ledger = app::Ledger::open(path).value();
    sync::HubClient client(endpoint, testing::quick_transport());
    const auto report = sync::push_pending(ledger, client);
    proxy.stop();
    std::cout << "[faults] bisection (" << reason << "): " << proxy.requests() << " requests, " << proxy.injected(fault)
              << " refused, to isolate " << marked.size() << " of 2000 events\n";

    REQUIRE(report.ok());
    CHECK(report.quarantined == 4);
    CHECK(report.delivered == 1996);
    CHECK(proxy.injected(fault) > 4);
    CHECK(proxy.requests() <= 4 + 4 * 2 * 10);  // about two requests per halving, ~9 halvings per marked event
    CHECK(ids_in_state(path, "quarantined") == marked);
    CHECK(ids_in_state(path, "pending").empty());
    const auto status = ledger.status().value();
    for (const auto& item : status.latest_quarantined) {
        CHECK_THAT(item.reason, Catch::StartsWith("the hub refused this event (" + reason + ")") &&
                                    Catch::Contains("proxy: injected"));
    }
    // The hub holds the others once, and none of the marked.
    std::set<std::string> at_hub;
    REQUIRE(hub.store().for_each_event({}, [&](const hub::StoredEvent& event) {
        CHECK(at_hub.insert(event.id).second);
        return true;
    }));
    CHECK(at_hub.size() == 1996);
    for (const auto& id : marked) CHECK(at_hub.count(id) == 0);

    check_status_shows(path, hub.endpoint().url, marked, reason);
}

TEST_CASE("a refused token or kiosk quarantines nothing: events stay pending with a clear error", "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    testing::fill_ledger(path, 1500);
    auto endpoint = hub.endpoint();
    std::string expected;

    SECTION("401 from the hub: a wrong token") {
        endpoint.token = "mistyped-token";
        expected = "HTTP 401";
    }
    SECTION("403 on the way") {
        expected = "HTTP 403";
    }
    FaultProxy proxy(hub.port(), [](const ProxiedRequest&) { return Fault::Answer403; });
    if (expected == "HTTP 401") proxy.set_rule({});
    endpoint.url = proxy.url();
    auto ledger = app::Ledger::open(path).value();
    sync::HubClient client(endpoint, testing::quick_transport());
    const auto report = sync::push_pending(ledger, client);

    CHECK(report.stop == sync::StopReason::Refused);
    CHECK(report.quarantined == 0);
    CHECK_THAT(report.error.message, Catch::Contains(expected));
    if (expected == "HTTP 401") CHECK_THAT(report.error.message, Catch::Contains("check [hub] token"));
    CHECK(proxy.requests() == 1);  // no bisection, no retry storm
    const auto status = ledger.status().value();
    CHECK(status.pending == 1500);
    CHECK(status.quarantined == 0);
    CHECK(status.delivered == 0);
    REQUIRE(status.last_error);
    CHECK(*status.last_error == report.error.message);
    CHECK(hub.stored_events() == 0);
}
