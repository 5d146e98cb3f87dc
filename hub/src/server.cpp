// The hub's HTTP API: its routes, each with a body limit and, where the head alone can refuse a request
// (token, content type, declared length), an admission that the server underneath (http_server.hpp) runs
// before reading a body it cannot afford to hold. A batch's gzip is inflated here, capped as it goes.
#include "truthpoint/hub/server.hpp"

#include <cctype>
#include <charconv>
#include <iostream>
#include <mutex>
#include <semaphore>

#include <sys/resource.h>

#include "case_json.hpp"
#include "export_route.hpp"
#include "http_request.hpp"
#include "http_server.hpp"
#include "offers_route.hpp"
#include "webhook_sender.hpp"
#include "server_internals.hpp"
#include "truthpoint/core/worker.hpp"
#include "truthpoint/hub/dashboard.hpp"
#include "truthpoint/hub/dashboard_figures.hpp"
#include "truthpoint/hub/dashboard_json.hpp"
#include "truthpoint/hub/dashboard_queries.hpp"
#include "truthpoint/hub/dashboard_request.hpp"
#include "truthpoint/hub/export.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/hub/users.hpp"

namespace truthpoint::hub {
namespace {

constexpr const char* kJson = "application/json";
constexpr int kRetryAfterSeconds = 5;
constexpr const char* kSessionCookie = "truthpoint_session";
constexpr std::int64_t kDefaultPageSize = 1000;
constexpr std::int64_t kMaxPageSize = 10000;
// The rollup worker (Store::fold_rollups) looks for events to count every kRollupFoldInterval; only a reader of
// the tables themselves sees that lag, since the stats and the dashboard catch up before they read. It counts
// in transactions sized to hold SQLite's one writer for about kFoldHold, so that a batch arriving meanwhile
// waits little, and gives way while batches are queued for the writer, unless it has not caught up for
// kMaxFoldDelay.
constexpr std::chrono::milliseconds kRollupFoldInterval{250};
constexpr std::chrono::milliseconds kFoldRetry{10};
constexpr std::chrono::milliseconds kFoldHold{10};
constexpr std::chrono::seconds kMaxFoldDelay{5};
constexpr std::int64_t kMinEventsPerFold = 200;
// How often kiosk_silent is checked: its window is counted in minutes.
constexpr std::chrono::seconds kSilentKioskCheckInterval{60};
constexpr std::int64_t kDefaultCases = 100;
constexpr std::int64_t kMaxCases = 1000;
constexpr std::size_t kMaxCaseBodyBytes = 16 * 1024;
constexpr std::int64_t kMaxEventsPerFold = 20'000;
// The webhook worker looks for deliveries whose turn has come every kWebhookPoll, and holds each it sends for
// kWebhookLease: longer than a send may take (webhook_sender.cpp), so no other hub sends it meanwhile.
constexpr std::chrono::seconds kWebhookPoll{1};
constexpr std::chrono::seconds kWebhookLease{60};

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// "application/json; charset=utf-8" → "application/json"
std::string media_type(std::string_view content_type) {
    return lowercase(trim(content_type.substr(0, content_type.find(';'))));
}

void send_json(http::Response& response, int status, const nlohmann::json& body) {
    response.status = status;
    // Bytes that are not UTF-8 (a quoted header, a decoded path) become U+FFFD instead of an exception.
    response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJson);
}

void send_error(http::Response& response, int status, const std::string& message) {
    send_json(response, status, {{"error", message}});
}

std::string mebibytes(std::size_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MiB"; }

// stderr carries the log, one JSON object per line; stdout only the "listening on" line.
std::mutex log_mutex;

void write_log(const nlohmann::json& entry) {
    const std::string line = entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(log_mutex);
    std::cerr << line << std::flush;
}

void log_line(const std::string& line) {
    write_log({{"time", core::format_rfc3339(core::now_utc())}, {"level", "error"}, {"message", line}});
}

// Metrics and logs name routes, never raw paths: a scanner's random URLs must not grow the label set.
std::string route_of(const http::Request& request) {
    static const char* const kRoutes[] = {"/api/v1/batches",
                                          "/api/v1/receipts",
                                          "/api/v1/config",
                                          "/api/v1/kiosk",
                                          "/api/v1/stats",
                                          "/api/v1/events",
                                          "/api/v1/export",
                                          "/api/v1/sessions",
                                          "/api/v1/dashboard/summary",
                                          "/api/v1/dashboard/trend",
                                          "/api/v1/dashboard/heatmap",
                                          "/api/v1/dashboard/rankings",
                                          "/api/v1/dashboard/feedback",
                                          "/api/v1/dashboard/kiosks",
                                          "/api/v1/dashboard/places",
                                          "/api/v1/offers/check",
                                          "/api/v1/offers/redeem",
                                          "/api/v1/cases",
                                          "/api/v1/cases/{id}",
                                          "/api/v1/cases/{id}/acknowledge",
                                          "/api/v1/cases/{id}/close",
                                          "/cases/acknowledge",
                                          "/cases/close",
                                          "/api/v1/reviews",
                                          "/api/v1/reviews/{id}/approve",
                                          "/api/v1/reviews/{id}/reject",
                                          "/reviews/approve",
                                          "/reviews/reject",
                                          "/login",
                                          "/logout",
                                          "/healthz",
                                          "/metrics",
                                          "/"};
    for (const char* route : kRoutes) {
        if (http::path_matches(route, request.path)) return route;
    }
    return "other";
}

// The value of one cookie in a Cookie header ("a=1; truthpoint_session=..."), or "".
std::string cookie_value(const std::string& header, std::string_view name) {
    std::string_view rest(header);
    while (!rest.empty()) {
        const auto end = rest.find(';');
        std::string_view pair = trim(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        const auto equals = pair.find('=');
        if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name) {
            return std::string(trim(pair.substr(equals + 1)));
        }
    }
    return {};
}

// "Bearer TOKEN" → "TOKEN"; "" for anything else.
std::string bearer_token(const std::string& header) {
    std::string_view value = trim(header);
    if (value.size() < 7 || lowercase(value.substr(0, 7)) != "bearer ") return {};
    return std::string(trim(value.substr(7)));
}

// A non-negative decimal integer, whole; nullopt otherwise.
std::optional<std::int64_t> parse_count(const std::string& text) {
    std::int64_t number = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || number < 0) return std::nullopt;
    return number;
}

void send_page(http::Response& response, int status, const std::string& html) {
    response.status = status;
    response.set_header("Cache-Control", "no-store");
    response.set_header("Content-Security-Policy", kPageSecurityPolicy);
    response.set_header("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: under no-referrer a browser's own form posts say "Origin: null", which
    // the login-CSRF check must refuse; other sites still learn nothing.
    response.set_header("Referrer-Policy", "same-origin");
    response.set_content(html, "text/html; charset=utf-8");
}

void redirect(http::Response& response, const char* location) {
    response.status = 303;
    response.set_header("Location", location);
    response.set_header("Cache-Control", "no-store");
}

// Each open connection is a descriptor: a thousand kiosks on keep-alive pass the usual soft limit of 1,024.
// The soft limit may be raised up to the hard one without privileges.
void raise_open_file_limit(std::size_t connections) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    const rlim_t wanted = static_cast<rlim_t>(connections) + 256;  // databases, logs, the listening socket
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
        limit.rlim_cur = (limit.rlim_max == RLIM_INFINITY || limit.rlim_max > wanted) ? wanted : limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
    const auto invalid = [&](const std::string& why) {
        return make_error(ErrorCode::InvalidArgument,
                          "'" + std::string(text) + "' " + why + "; expected HOST:PORT, e.g. 127.0.0.1:8080");
    };
    std::string_view host;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find("]:");
        if (close == std::string_view::npos) return invalid("opens an IPv6 address with '[' but lacks ']:PORT'");
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return invalid("has no port");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) return invalid("looks like IPv6: write it as [ADDRESS]:PORT");
    }
    if (host.empty()) return invalid("has no host (use 0.0.0.0 for every interface)");
    int number = -1;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || error != std::errc{} || end != port.data() + port.size() || number < 0 || number > 65535) {
        return invalid("has no valid port (0 to 65535; 0 picks a free one)");
    }
    return ListenAddress{std::string(host), number};
}

std::string format_http_url(const ListenAddress& address) {
    const bool ipv6 = address.host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

struct Server::Impl {
    Store& store;
    ServerOptions options;
    Metrics metrics;
    IngestQueue queue;
    SignIn sign_in;
    // Counts the events ingest stored into the rollups (Store::fold_rollups), as paced above.
    core::WorkerThread<bool> rollup_worker{"rollup-fold", core::Keep::Latest, [this](core::Mailbox<bool>& inbox) {
        using Clock = std::chrono::steady_clock;
        std::string last_error;  // logged once while it lasts, not at every turn
        std::int64_t events_per_fold = 1'000;
        bool behind = false;
        auto caught_up_at = Clock::now();
        while (inbox.wait_until(Clock::now() + (behind ? kFoldRetry : kRollupFoldInterval))) {
            const auto start = Clock::now();
            if (queue.depth().first > 0 && start - caught_up_at < kMaxFoldDelay) {
                behind = true;  // batches wait for the writer: they go first
                continue;
            }
            auto counted = store.fold_rollups(events_per_fold);
            const std::string error = counted ? "" : counted.error().message;
            if (!error.empty() && error != last_error) log_line(error);
            last_error = error;
            if (!counted) continue;
            behind = *counted == events_per_fold;
            if (!behind) {
                caught_up_at = Clock::now();
                continue;
            }
            const auto held = std::max(Clock::now() - start, std::chrono::steady_clock::duration(1));
            events_per_fold = std::clamp<std::int64_t>(events_per_fold * kFoldHold / held, kMinEventsPerFold,
                                                        kMaxEventsPerFold);
        }
    }};

    // Sends the webhooks' outbox, each webhook's deliveries in order, retrying with a backoff (webhooks.hpp).
    core::WorkerThread<bool> webhook_worker{"webhooks", core::Keep::Latest, [this](core::Mailbox<bool>& inbox) {
        std::string last_error;  // logged once while it lasts, not at every turn
        while (inbox.wait_until(std::chrono::steady_clock::now() + kWebhookPoll)) {
            auto leased = store.lease_webhook_deliveries(core::now_utc(), kWebhookLease);
            const std::string error = leased ? "" : leased.error().message;
            if (!error.empty() && error != last_error) log_line(error);
            last_error = error;
            if (!leased) continue;
            for (const WebhookDelivery& delivery : *leased) {
                const auto failed = send_webhook(delivery, core::now_utc());
                const auto now = core::now_utc();
                const auto wait = webhook_backoff(delivery.attempts + 1);
                if (failed && delivery.attempts == 0) {
                    log_line("webhook " + delivery.webhook + ": " + *failed + "; it is tried again with a growing pause, "
                             "the notifications behind it wait (truthpoint-hub webhook list shows them)");
                }
                if (auto finished = store.finish_webhook_delivery(delivery.id, now, failed, now + wait); !finished) {
                    log_line(finished.error().message);
                }
            }
        }
    }};

    // kiosk_silent needs a clock, not an event: checked once a minute by every hub (the case is one anyway).
    core::WorkerThread<bool> silent_kiosk_worker{"silent-kiosks", core::Keep::Latest, [this](core::Mailbox<bool>& inbox) {
        std::string last_error;  // logged once while it lasts
        while (inbox.wait_until(std::chrono::steady_clock::now() + kSilentKioskCheckInterval)) {
            const auto now = core::now_utc();
            auto checked = store.alerts().check_silent_kiosks(now);
            if (checked) {
                // unhappy_share's widest window is a day; a second day keeps late deliveries' minutes.
                auto forgotten = store.alerts().forget_reaction_minutes(now - std::chrono::hours(48));
                if (!forgotten) checked = forgotten.error();
            }
            const std::string error = checked ? "" : checked.error().message;
            if (!error.empty() && error != last_error) log_line(error);
            last_error = error;
        }
    }};

    KioskTokenCache token_cache{options.token_cache_ttl};
    // At most this many request threads read the store for a token at once: each holds a database
    // connection, and PostgreSQL's max_connections is shared by every hub (see docs/hub.md).
    static constexpr std::ptrdiff_t kMaxConcurrentTokenReads = 32;
    std::counting_semaphore<> store_reads{kMaxConcurrentTokenReads};
    std::shared_ptr<const core::Translations> dashboard_texts;

    // Last: its handler threads end before anything they use.
    std::unique_ptr<http::HttpServer> http;

    Impl(Store& store_, ServerOptions options_)
        : store(store_), options(options_), queue(store_, options_.ingest, &metrics), sign_in(store_),
          dashboard_texts(options.dashboard_texts ? options.dashboard_texts : load_texts_or_english()) {
        metrics.set_queue_depth_source([this] { return queue.depth(); });
        http::Limits limits;
        limits.max_handler_threads = options.worker_threads != 0 ? options.worker_threads : kDefaultMaxWorkerThreads;
        limits.keep_alive_max_requests = options.keep_alive_max_requests;
        limits.keep_alive_timeout = options.keep_alive_timeout;
        limits.request_deadline = options.request_timeout;
        limits.write_timeout = options.write_timeout;
        limits.max_connections = options.max_connections;
        limits.max_unproven_connections = std::min(options.max_unproven_connections, options.max_connections);
        limits.max_unproven_per_peer = options.max_unproven_per_peer;
        limits.max_head_bytes = kMaxRequestHeadBytes;
        limits.max_header_fields = kMaxHeaderFields;
        limits.max_target_bytes = kMaxRequestTargetBytes;
        raise_open_file_limit(limits.max_connections);
        http = std::make_unique<http::HttpServer>(routes(), limits,
                                                  [this](const http::Request& request, const http::Response& response) {
                                                      log_request(request, response);
                                                  });
        metrics.set_door_source([this] { return http->door_counts(); });
    }

    static std::shared_ptr<const core::Translations> load_texts_or_english() {
        auto texts = load_dashboard_texts();
        if (texts) return std::make_shared<const core::Translations>(std::move(*texts));
        log_line("the dashboard's catalogs: " + texts.error().message + "; the dashboard is shown in English");
        return std::make_shared<const core::Translations>();
    }

    void log_request(const http::Request& request, const http::Response& response) {
        const std::string route = route_of(request);
        metrics.count_request(route, response.status);
        if (!options.log_requests) return;
        nlohmann::json entry{{"time", core::format_rfc3339(core::now_utc())},
                             {"method", request.method},
                             {"route", route},
                             {"status", response.status}};
        if (!request.who.empty()) entry["kiosk"] = request.who;
        if (request.items >= 0) entry["events"] = request.items;
        if (request.started != std::chrono::steady_clock::time_point{}) {
            const auto elapsed = std::chrono::steady_clock::now() - request.started;
            entry["ms"] = std::chrono::duration<double, std::milli>(elapsed).count();
        }
        write_log(entry);
    }

    // Every route the hub answers; anything else is a 404 decided from the head alone.
    using Handler = std::function<void(http::Request&, http::Response&)>;

    std::vector<http::Route> routes() {
        std::vector<http::Route> all;
        const auto add = [&](const char* method, const char* path, std::size_t max_body, Handler handle,
                             std::function<bool(http::Request&, http::Response&)> admit = {}) {
            all.push_back(http::Route{method, path, max_body, std::move(admit), guarded(std::move(handle))});
        };
        add("POST", "/api/v1/batches", options.max_body_bytes,
            [this](http::Request& request, http::Response& response) { handle_batch(request, response); },
            [this](http::Request& request, http::Response& response) { return admit(request, response).ok(); });
        all.back().decodes_content = true;
        add("GET", "/api/v1/config", 0,
            [this](http::Request& request, http::Response& response) {
            handle_config(request, response);
        });
        add("GET", "/api/v1/kiosk", 0,
            [this](http::Request& request, http::Response& response) { handle_kiosk(request, response); });
        add("POST", "/api/v1/receipts", options.max_body_bytes,
            [this](http::Request& request, http::Response& response) { handle_receipts(request, response); },
            [this](http::Request& request, http::Response& response) { return admit_pos(request, response).ok(); });
        all.back().decodes_content = true;
        add("POST", "/api/v1/offers/check", kMaxFormBodyBytes,
            [this](http::Request& request, http::Response& response) { handle_offer(request, response, OfferAction::Check); },
            [this](http::Request& request, http::Response& response) { return admit_pos(request, response).ok(); });
        add("POST", "/api/v1/offers/redeem", kMaxFormBodyBytes,
            [this](http::Request& request, http::Response& response) { handle_offer(request, response, OfferAction::Redeem); },
            [this](http::Request& request, http::Response& response) { return admit_pos(request, response).ok(); });
        add("GET", "/metrics", 0,
            [this](http::Request&, http::Response& response) {
            response.set_content(metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
        });
        add("GET", "/healthz", 0,
            [this](http::Request&, http::Response& response) { handle_health(response); });
        add("GET", "/api/v1/stats", 0,
            [this](http::Request& request, http::Response& response) {
            auto viewer = api_viewer(request, response);
            if (!viewer) return;
            auto stats = visible_stats(*viewer);
            if (!stats) return storage_unavailable(response, stats.error());
            send_json(response, 200, stats_to_json(*stats));
        });
        add("GET", "/api/v1/events", 0,
            [this](http::Request& request, http::Response& response) {
            handle_events(request, response);
        });
        // Written out one by one: tests/hub/openapi_check.py reads these lines for the routes served.
        add("GET", "/api/v1/dashboard/summary", 0, dashboard_view("summary"));
        add("GET", "/api/v1/dashboard/trend", 0, dashboard_view("trend"));
        add("GET", "/api/v1/dashboard/heatmap", 0, dashboard_view("heatmap"));
        add("GET", "/api/v1/dashboard/rankings", 0, dashboard_view("rankings"));
        add("GET", "/api/v1/dashboard/feedback", 0, dashboard_view("feedback"));
        add("GET", "/api/v1/dashboard/kiosks", 0, dashboard_view("kiosks"));
        add("GET", "/api/v1/dashboard/places", 0, dashboard_view("places"));
        add("GET", "/api/v1/cases", 0,
            [this](http::Request& request, http::Response& response) { handle_cases(request, response); });
        add("GET", "/api/v1/cases/{id}", 0,
            [this](http::Request& request, http::Response& response) { handle_case(request, response); });
        add("POST", "/api/v1/cases/{id}/acknowledge", kMaxCaseBodyBytes,
            [this](http::Request& request, http::Response& response) { handle_case_change(request, response, false); });
        add("POST", "/api/v1/cases/{id}/close", kMaxCaseBodyBytes,
            [this](http::Request& request, http::Response& response) { handle_case_change(request, response, true); });
        add("GET", "/api/v1/reviews", 0,
            [this](http::Request& request, http::Response& response) { handle_reviews(request, response); });
        add("POST", "/api/v1/reviews/{id}/approve", kMaxCaseBodyBytes,
            [this](http::Request& request, http::Response& response) {
            handle_review_decision(request, response, ReviewState::Approved);
        });
        add("POST", "/api/v1/reviews/{id}/reject", kMaxCaseBodyBytes,
            [this](http::Request& request, http::Response& response) {
            handle_review_decision(request, response, ReviewState::Rejected);
        });
        add("GET", "/api/v1/export", 0,
            [this](http::Request& request, http::Response& response) {
            auto viewer = api_viewer(request, response);
            if (!viewer) return;
            const std::string format_text = request.has_param("format") ? request.get_param_value("format") : "csv";
            const auto format = parse_export_format(format_text);
            if (!format) return send_error(response, 400, "format: '" + format_text.substr(0, 32) + "' is not csv or ndjson");
            if (auto query = viewer_dashboard_query(*viewer, request, response)) {
                handle_export(store, *format, query->filter, response);
            }
        });
        add("POST", "/api/v1/sessions", kMaxFormBodyBytes,
            [this](http::Request& request, http::Response& response) {
            handle_api_sign_in(request, response);
        });
        add("DELETE", "/api/v1/sessions", 0,
            [this](http::Request& request, http::Response& response) {
            auto ended = sign_in.sign_out(bearer_token(request.get_header_value("Authorization")));
            if (!ended) return storage_unavailable(response, ended.error());
            response.status = 204;
        });
        add("GET", "/", 0,
            [this](http::Request& request, http::Response& response) {
            auto viewer = sign_in.user_of(cookie_value(request.get_header_value("Cookie"), kSessionCookie));
            if (!viewer) return storage_unavailable(response, viewer.error());
            if (!viewer->has_value()) return redirect(response, "/login");
            handle_dashboard_page(**viewer, request, response);
        });
        add("GET", "/login", 0,
            [](http::Request&, http::Response& response) {
            send_page(response, 200, render_login_html("", ""));
        });
        add("POST", "/login", kMaxFormBodyBytes,
            [this](http::Request& request, http::Response& response) {
            handle_page_sign_in(request, response);
        });
        add("POST", "/language", kMaxFormBodyBytes,
            [this](http::Request& request, http::Response& response) {
            handle_language(request, response);
        });
        add("POST", "/cases/acknowledge", kMaxFormBodyBytes,
            [this](http::Request& request, http::Response& response) { handle_case_form(request, response, false); });
        add("POST", "/cases/close", kMaxFormBodyBytes,
            [this](http::Request& request, http::Response& response) { handle_case_form(request, response, true); });
        add("POST", "/reviews/approve", kMaxFormBodyBytes,
            [this](http::Request& request, http::Response& response) {
            handle_review_form(request, response, ReviewState::Approved);
        });
        add("POST", "/reviews/reject", kMaxFormBodyBytes,
            [this](http::Request& request, http::Response& response) {
            handle_review_form(request, response, ReviewState::Rejected);
        });
        add("POST", "/logout", kMaxFormBodyBytes,
            [this](http::Request& request, http::Response& response) {
            if (!from_this_site(request)) return send_error(response, 403, "this form was sent from another site");
            auto ended = sign_in.sign_out(cookie_value(request.get_header_value("Cookie"), kSessionCookie));
            if (!ended) return storage_unavailable(response, ended.error());
            response.set_header("Set-Cookie", std::string(kSessionCookie) +
                                                  "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
            redirect(response, "/login");
        });
        return all;
    }

    // A handler's exception becomes a 500 and a log line, never a dead connection.
    Handler guarded(Handler handle) {
        return [handle = std::move(handle)](http::Request& request, http::Response& response) {
            try {
                handle(request, response);
            } catch (const std::exception& error) {
                log_line("internal error on " + request.method + " " + request.path + ": " + error.what());
                response = http::Response{};
                send_error(response, 500, "internal error in the hub; the operator's log has the details");
            }
        };
    }

    void storage_unavailable(http::Response& response, const Error& error) {
        log_line(error.message);
        const auto retry_after = error.retry_after.value_or(std::chrono::seconds(kRetryAfterSeconds));
        response.set_header("Retry-After", std::to_string(retry_after.count()));
        send_error(response, 503, "the hub's database is unavailable right now; retry later");
    }

    // A list's `limit` parameter, 1 to kMaxCases, into `limit` (left as it is when not given); false, with the 400
    // sent, for any other value.
    static bool read_list_limit(const http::Request& request, http::Response& response, std::int64_t& limit) {
        if (!request.has_param("limit")) return true;
        const auto given = parse_count(request.get_param_value("limit"));
        if (!given || *given < 1 || *given > kMaxCases) {
            send_error(response, 400, "limit: '" + request.get_param_value("limit").substr(0, 32) +
                                          "' must be a whole number from 1 to " + std::to_string(kMaxCases));
            return false;
        }
        limit = *given;
        return true;
    }

    // A refused change of a case or a review: a bad value 400, unknown 404, already in another state 409, else
    // the database's 503.
    void refuse_change(http::Response& response, const Error& error) {
        switch (error.code) {
            case ErrorCode::InvalidArgument: return send_error(response, 400, error.message);
            case ErrorCode::NotFound: return send_error(response, 404, error.message);
            case ErrorCode::Conflict: return send_error(response, 409, error.message);
            default: return storage_unavailable(response, error);
        }
    }

    // The signed-in user who sent a dashboard form from this site; otherwise the answer (403, the sign-in page,
    // 503) is sent and nullopt returned.
    std::optional<UserRecord> form_sender(http::Request& request, http::Response& response) {
        if (!from_this_site(request)) {
            send_error(response, 403, "this form was sent from another site");
            return std::nullopt;
        }
        auto viewer = sign_in.user_of(cookie_value(request.get_header_value("Cookie"), kSessionCookie));
        if (!viewer) {
            storage_unavailable(response, viewer.error());
            return std::nullopt;
        }
        if (!viewer->has_value()) {
            redirect(response, "/login");
            return std::nullopt;
        }
        request.who = "user:" + (*viewer)->name;
        return std::move(**viewer);
    }

    // Whether the body is declared JSON; if not, a 415 is written.
    static bool json_body(const http::Request& request, http::Response& response) {
        const std::string type = media_type(request.get_header_value("Content-Type"));
        if (type == kJson) return true;
        send_error(response, 415,
                   "Content-Type must be application/json, not '" + (type.empty() ? std::string("(none)") : type) + "'");
        return false;
    }

    // The body with its Content-Encoding undone, at most max_body_bytes; otherwise a 400 or a 413 saying
    // `too_large` is written and nullopt returned.
    std::optional<std::string> decoded_body(http::Request& request, http::Response& response,
                                            const std::string& too_large) const {
        auto decoded = http::decode_content(request, options.max_body_bytes);
        if (!decoded) {
            send_error(response, 400, "the body could not be read: " + decoded.error().message);
            return std::nullopt;
        }
        if (decoded->too_large) {
            send_error(response, 413, too_large);
            return std::nullopt;
        }
        return std::move(decoded->bytes);
    }

    std::string too_large_message() const {
        return "the batch is larger than " + mebibytes(options.max_body_bytes) +
               " (on the wire or once decompressed): send fewer events per batch";
    }

    // The kiosk behind the bearer token; on refusal (401, or 503 when the store cannot be read) the
    // response is filled in and the error returned.
    Result<KioskIdentity> authenticate_kiosk(http::Request& request, http::Response& response) {
        auto sender = [&] {
            // Bounded: a store read holds a connection (PostgreSQL) and the pool may run thousands of threads.
            store_reads.acquire();
            struct Release {
                std::counting_semaphore<>& reads;
                ~Release() { reads.release(); }
            } release{store_reads};
            return authenticate(store, request.get_header_value("Authorization"), &token_cache);
        }();
        if (!sender) {
            refuse_credential(response, sender.error());
            return sender;
        }
        request.who = sender->kiosk_id;
        response.proven = true;
        return sender;
    }

    // A bearer token refused (401), or the store that should know it unavailable (503).
    void refuse_credential(http::Response& response, const Error& error) {
        if (error.code != ErrorCode::Unauthorized) return storage_unavailable(response, error);
        response.set_header("WWW-Authenticate", "Bearer");
        send_error(response, 401, error.message);
    }

    // Everything about a batch request that its headers decide: token, content type, encoding, declared
    // length. On refusal the response is filled in and the error returned.
    Result<KioskIdentity> admit(http::Request& request, http::Response& response) {
        auto sender = authenticate_kiosk(request, response);
        if (!sender) return sender;
        if (queue.full()) {
            // Refused before the body is read (or sent, with Expect: 100-continue): no memory spent on it.
            const Error busy = queue.busy();
            refuse_busy(response, busy);
            return busy;
        }
        if (!json_body(request, response)) return make_error(ErrorCode::InvalidArgument, "content type");
        const std::string encoding = lowercase(trim(request.get_header_value("Content-Encoding")));
        if (!encoding.empty() && encoding != "identity" && encoding != "gzip" && encoding != "x-gzip" &&
            encoding != "deflate") {
            send_error(response, 415, "Content-Encoding '" + encoding + "' is not supported: send gzip or no encoding");
            return make_error(ErrorCode::InvalidArgument, "content encoding");
        }
        return sender;
    }

    // admit() has passed (the server runs it first); it runs again here, from the token cache, for the
    // kiosk's identity.
    void handle_batch(http::Request& request, http::Response& response) {
        auto sender = admit(request, response);
        if (!sender) return;
        auto body = decoded_body(request, response, too_large_message());
        if (!body) return;
        auto batch = decode_batch_body(*body);
        if (!batch) return send_error(response, 400, "malformed batch: " + batch.error().message);

        const auto started = std::chrono::steady_clock::now();
        request.items = static_cast<std::int64_t>(batch.value().items.size());
        PreparedBatch prepared = prepare_batch(std::move(batch.value()));
        auto outcomes = queue.submit(BatchToStore{*sender, std::move(prepared.valid), core::now_utc()});
        if (!outcomes && outcomes.error().code == ErrorCode::Busy) return refuse_busy(response, outcomes.error());
        if (!outcomes) return storage_unavailable(response, outcomes.error());
        tally_outcomes(prepared, outcomes.value());
        metrics.count_events(prepared.reply.accepted, prepared.reply.duplicates,
                             static_cast<std::int64_t>(prepared.reply.rejected.size()));
        metrics.observe_batch_seconds(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        response.status = 200;
        response.set_content(core::encode_batch_reply(prepared.reply), kJson);
    }

    // The ingest queue is full. Nothing of the batch is stored: the kiosk keeps it and sends it again later.
    void refuse_busy(http::Response& response, const Error& busy) {
        metrics.count_overload();
        response.set_header("Retry-After", std::to_string(busy.retry_after.value_or(std::chrono::seconds(1)).count()));
        send_error(response, 503, busy.message);
    }

    // What a till's request head decides (receipts, sorry cards): the point of sale's token and the content
    // type. On refusal the response is filled in and the error returned.
    Result<PosRecord> admit_pos(http::Request& request, http::Response& response) {
        auto pos = authenticate_pos(store, request.get_header_value("Authorization"));
        if (!pos) {
            refuse_credential(response, pos.error());
            return pos;
        }
        request.who = "pos:" + pos->pos_id;
        response.proven = true;
        if (!json_body(request, response)) return make_error(ErrorCode::InvalidArgument, "content type");
        return pos;
    }

    // Receipts from a point of sale: the store comes from its token, whatever the body says.
    void handle_receipts(http::Request& request, http::Response& response) {
        auto pos = admit_pos(request, response);
        if (!pos) return;
        auto body = decoded_body(request, response,
                                 "the receipts are larger than " + mebibytes(options.max_body_bytes) + " once decompressed");
        if (!body) return;
        auto receipts = decode_receipts(*body);
        if (!receipts) return send_error(response, 400, "malformed receipts: " + receipts.error().message);
        request.items = static_cast<std::int64_t>(receipts->size());
        auto stored = store.store_receipts(pos->store_id, *receipts, core::now_utc());
        if (!stored) return storage_unavailable(response, stored.error());
        metrics.count_receipts(stored->stored, stored->duplicates);
        send_json(response, 200,
                  {{"store", pos->store_id},
                   {"stored", stored->stored},
                   {"duplicates", stored->duplicates},
                   {"verified_events", stored->verified_events}});
    }

    // A till checks or redeems a sorry card of its own store: the store comes from its token.
    void handle_offer(http::Request& request, http::Response& response, OfferAction action) {
        auto till = admit_pos(request, response);
        if (!till) return;
        auto body = decoded_body(request, response, "a sorry card's request is larger than " +
                                                        std::to_string(kMaxFormBodyBytes) + " bytes");
        if (!body) return;
        auto code = decode_offer_code(*body);
        if (!code) return send_error(response, 400, code.error().message);
        auto answer = answer_offer(store, *till, *code, action, core::now_utc());
        if (!answer) return storage_unavailable(response, answer.error());
        send_json(response, answer->status, answer->body);
    }

    // Which kiosk the bearer token belongs to: a kiosk compares it with its own configuration before it
    // sends, so that a kiosk holding another kiosk's token refuses instead of sending under that name.
    void handle_kiosk(http::Request& request, http::Response& response) {
        auto sender = authenticate_kiosk(request, response);
        if (!sender) return;
        send_json(response, 200, {{"kiosk", sender->kiosk_id}, {"store", sender->store_id}, {"region", sender->region}});
    }

    // The calling kiosk's configuration: its store's document, else the chain-wide one. The ETag is a
    // hash of the body, so a kiosk that already holds it gets a 304 and no body.
    void handle_config(http::Request& request, http::Response& response) {
        auto sender = authenticate_kiosk(request, response);
        if (!sender) return;
        auto config = served_config(store, sender->store_id);
        if (!config) return storage_unavailable(response, config.error());
        if (!config->has_value()) {
            return send_error(response, 404,
                              "no kiosk configuration is set for store '" + sender->store_id +
                                  "' nor a chain-wide one: the hub's operator sets one with `truthpoint-hub config "
                                  "set --store " + sender->store_id + " --file FILE` (or --all); until then the kiosk "
                                  "keeps its local catalog");
        }
        const ConfigRecord& record = **config;
        response.set_header("ETag", record.etag);
        response.set_header("Cache-Control", "no-cache");  // caches in between must ask again every time
        if (request.has_header("If-None-Match") &&
            if_none_match_matches(request.get_header_value("If-None-Match"), record.etag)) {
            response.status = 304;
            return;
        }
        response.status = 200;
        response.set_content(record.document, kJson);
    }

    // The signed-in user behind a BI request: a session token as bearer, or the dashboard's cookie. On
    // refusal the response (401 or 503) is filled in and nullopt returned.
    std::optional<UserRecord> api_viewer(http::Request& request, http::Response& response) {
        std::string token = bearer_token(request.get_header_value("Authorization"));
        if (token.empty()) token = cookie_value(request.get_header_value("Cookie"), kSessionCookie);
        auto user = sign_in.user_of(token);
        if (!user) {
            storage_unavailable(response, user.error());
            return std::nullopt;
        }
        if (!user->has_value()) {
            response.set_header("WWW-Authenticate", "Bearer");
            send_error(response, 401,
                       token.empty() ? "sign in first: POST /api/v1/sessions with a user's name and password gives "
                                       "a token to send as 'Authorization: Bearer TOKEN'"
                                     : "this session token is unknown or expired: sign in again (POST /api/v1/sessions)");
            return std::nullopt;
        }
        request.who = "user:" + (*user)->name;
        response.proven = true;
        return **user;
    }

    // The counts `user` may see: every store for an admin, the stores of their region for a manager.
    Result<Stats> visible_stats(const UserRecord& user) {
        auto stats = store.stats();
        if (!stats) return stats;
        const auto region = visible_region(user);
        if (!region) return stats;
        auto kiosks = store.list_kiosks();
        if (!kiosks) return kiosks.error();
        return scope_stats(*stats, *kiosks, *region);
    }

    void handle_events(http::Request& request, http::Response& response) {
        auto viewer = api_viewer(request, response);
        if (!viewer) return;
        EventPageRequest page_request;
        page_request.limit = kDefaultPageSize;
        if (request.has_param("after")) {
            const auto after = parse_count(request.get_param_value("after"));
            if (!after) {
                return send_error(response, 400, "after: '" + request.get_param_value("after") +
                                                     "' is not a cursor; pass the \"next\" of the previous page");
            }
            page_request.after = *after;
        }
        if (request.has_param("limit")) {
            const auto limit = parse_count(request.get_param_value("limit"));
            if (!limit || *limit < 1 || *limit > kMaxPageSize) {
                return send_error(response, 400, "limit: '" + request.get_param_value("limit") +
                                                     "' must be a whole number from 1 to " +
                                                     std::to_string(kMaxPageSize));
            }
            page_request.limit = *limit;
        }
        page_request.region = visible_region(*viewer);
        auto page = store.events_page(page_request);
        if (!page) return storage_unavailable(response, page.error());
        nlohmann::json events = nlohmann::json::array();
        for (const PagedEvent& paged : *page) {
            nlohmann::json item = stored_event_to_json(paged.event);
            item["cursor"] = std::to_string(paged.cursor);
            events.push_back(std::move(item));
        }
        const std::int64_t next = page->empty() ? page_request.after : page->back().cursor;
        request.items = static_cast<std::int64_t>(page->size());
        send_json(response, 200, {{"events", std::move(events)}, {"next", std::to_string(next)}});
    }

    // The filter of the page, its JSON views and the export, as `viewer` may see it; else the answer is
    // sent (400 naming the parameter, 403 for a place not theirs, 503) and nullopt returned.
    std::optional<DashboardQuery> viewer_dashboard_query(const UserRecord& viewer, const http::Request& request,
                                                         http::Response& response) {
        auto query = dashboard_query(store, request.params, viewer, core::now_utc());
        if (query) return std::move(*query);
        if (query.error().code == ErrorCode::InvalidArgument) {
            send_error(response, 400, query.error().message);
        } else if (query.error().code == ErrorCode::Unauthorized) {
            send_error(response, 403, query.error().message);
        } else {
            storage_unavailable(response, query.error());
        }
        return std::nullopt;
    }

    Handler dashboard_view(std::string view) {
        return [this, view = std::move(view)](http::Request& request, http::Response& response) {
            handle_dashboard_view(view, request, response);
        };
    }

    // GET /api/v1/dashboard/<view>?<filter>: one view of the dashboard as JSON (docs/dashboard.md).
    void handle_dashboard_view(const std::string& view, http::Request& request, http::Response& response) {
        auto viewer = api_viewer(request, response);
        if (!viewer) return;
        auto query = viewer_dashboard_query(*viewer, request, response);
        if (!query) return;
        std::size_t feedback_rows = kFeedbackRows;
        if (view == "feedback" && request.has_param("limit")) {
            const auto limit = parse_count(request.get_param_value("limit"));
            if (!limit || *limit < 1 || *limit > static_cast<std::int64_t>(kMaxFeedbackRows)) {
                return send_error(response, 400, "limit: '" + request.get_param_value("limit").substr(0, 64) +
                                                     "' must be a whole number from 1 to " +
                                                     std::to_string(kMaxFeedbackRows));
            }
            feedback_rows = static_cast<std::size_t>(*limit);
        }
        DashboardQueries& dashboard = store.dashboard();
        const DashboardFilter& filter = query->filter;
        auto body = [&]() -> Result<nlohmann::json> {
            if (view == "summary") {
                auto current = dashboard.figures(filter);
                if (!current) return current.error();
                auto previous = dashboard.figures(previous_period(filter));
                if (!previous) return previous.error();
                return summary_to_json(*query, *current, *previous);
            }
            const auto json_of = [&](auto result, auto to_json) -> Result<nlohmann::json> {
                if (!result) return result.error();
                return to_json(*query, *result);
            };
            if (view == "trend") return json_of(dashboard.trend(filter), trend_to_json);
            if (view == "heatmap") return json_of(dashboard.heat_map(filter), heat_map_to_json);
            if (view == "rankings") return json_of(dashboard.rankings(filter), rankings_to_json);
            if (view == "feedback") return json_of(dashboard.feedback(filter, query->pain_topic, feedback_rows), feedback_to_json);
            if (view == "kiosks") return json_of(dashboard.kiosks(filter, core::now_utc()), kiosks_to_json);
            return json_of(dashboard.places(filter, visible_region(*viewer)), places_to_json);
        }();
        if (!body) return storage_unavailable(response, body.error());
        send_json(response, 200, *body);
    }

    // GET /api/v1/cases?state=&store=&limit=: newest first; a manager sees their region's only.
    void handle_cases(http::Request& request, http::Response& response) {
        auto viewer = api_viewer(request, response);
        if (!viewer) return;
        CaseFilter filter;
        filter.region = visible_region(*viewer);
        filter.limit = kDefaultCases;
        if (request.has_param("state")) {
            filter.state = parse_case_state(request.get_param_value("state"));
            if (!filter.state) {
                return send_error(response, 400, "state: '" + request.get_param_value("state").substr(0, 32) +
                                                     "' is not one of open, acknowledged, closed");
            }
        }
        if (request.has_param("store")) filter.store_id = request.get_param_value("store");
        if (!read_list_limit(request, response, filter.limit)) return;
        auto cases = store.alerts().cases(filter);
        if (!cases) return storage_unavailable(response, cases.error());
        const core::Timestamp now = core::now_utc();
        nlohmann::json items = nlohmann::json::array();
        for (const CaseRecord& record : *cases) items.push_back(case_to_json(record, now));
        request.items = static_cast<std::int64_t>(cases->size());
        send_json(response, 200, {{"cases", std::move(items)}});
    }

    // The case named by the path's {id} segment, if `viewer` may see it; else 404 (a case of another region
    // too, so that its existence is not told) or 503 is sent and nullopt returned.
    std::optional<CaseDetail> visible_case(const UserRecord& viewer, const http::Request& request,
                                           http::Response& response) {
        constexpr std::string_view kPrefix = "/api/v1/cases/";
        return visible_case(viewer,
                            request.path.substr(kPrefix.size(), request.path.find('/', kPrefix.size()) - kPrefix.size()),
                            response);
    }
    std::optional<CaseDetail> visible_case(const UserRecord& viewer, const std::string& id, http::Response& response) {
        auto found = store.alerts().find_case(id);
        if (!found) {
            storage_unavailable(response, found.error());
            return std::nullopt;
        }
        const auto region = visible_region(viewer);
        if (!found->has_value() || (region && (*found)->record.region != *region)) {
            send_error(response, 404, "no case '" + id.substr(0, 64) + "'");
            return std::nullopt;
        }
        return std::move(**found);
    }

    void handle_case(http::Request& request, http::Response& response) {
        auto viewer = api_viewer(request, response);
        if (!viewer) return;
        if (auto detail = visible_case(*viewer, request, response)) {
            send_json(response, 200, case_detail_to_json(*detail, core::now_utc()));
        }
    }

    // POST /api/v1/cases/{id}/acknowledge and /close, body {"cause": ..., "note": ...} (cause for close only).
    void handle_case_change(http::Request& request, http::Response& response, bool closing) {
        auto viewer = api_viewer(request, response);
        if (!viewer) return;
        // A cookie is sent by the browser whichever site's page posts: only this site's pages may.
        if (!from_this_site(request)) return send_error(response, 403, "this request was sent from another site");
        nlohmann::json body = nlohmann::json::object();
        if (!request.body.empty()) {
            if (!json_body(request, response)) return;
            body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
        }
        const auto text_field = [&](const char* name) -> std::optional<std::string> {
            if (!body.is_object()) return std::nullopt;
            const auto found = body.find(name);
            if (found == body.end() || found->is_null()) return std::string();
            if (!found->is_string()) return std::nullopt;
            return found->get<std::string>();
        };
        const auto note = text_field("note");
        const auto cause = text_field("cause");
        if (!note || (closing && !cause)) {
            return send_error(response, 400,
                              closing ? "expected a JSON object {\"cause\": \"...\", \"note\": \"...\"} (note optional)"
                                      : "expected a JSON object {\"note\": \"...\"} (optional)");
        }
        auto detail = visible_case(*viewer, request, response);
        if (!detail) return;
        const core::Timestamp now = core::now_utc();
        if (auto changed = change_case(*viewer, detail->record, closing, *cause, *note, now, response)) {
            send_json(response, 200, case_to_json(*changed, now));
        }
    }

    // Acknowledges or closes a case the viewer may see; on refusal the answer (4xx, 503) is sent and nullopt
    // returned.
    std::optional<CaseRecord> change_case(const UserRecord& viewer, const CaseRecord& record, bool closing,
                                          const std::string& cause, const std::string& note, core::Timestamp now,
                                          http::Response& response) {
        auto changed = closing ? store.alerts().close(record.id, viewer.name, cause, note, now)
                               : store.alerts().acknowledge(record.id, viewer.name, note, now);
        if (changed) return *changed;
        refuse_change(response, changed.error());
        return std::nullopt;
    }

    // The dashboard's forms on a case (POST /cases/acknowledge, /cases/close: case, cause, note, back), then
    // back to the page they were on.
    void handle_case_form(http::Request& request, http::Response& response, bool closing) {
        const auto viewer = form_sender(request, response);
        if (!viewer) return;
        response.proven = true;
        const std::string cause = request.get_param_value("cause");
        if (closing && cause.empty()) {
            return send_error(response, 400, "cause: a case is closed with its cause; choose one of the list");
        }
        auto detail = visible_case(*viewer, request.get_param_value("case"), response);
        if (!detail) return;
        if (change_case(*viewer, detail->record, closing, cause, request.get_param_value("note"), core::now_utc(),
                        response)) {
            redirect(response, back_to_dashboard(request).c_str());
        }
    }

    // GET /api/v1/reviews?state=&store=&sku=&limit=: the moderation queue (pending, oldest first) or what was
    // decided (newest first), with each review's flags; a manager sees their region's only.
    void handle_reviews(http::Request& request, http::Response& response) {
        auto viewer = api_viewer(request, response);
        if (!viewer) return;
        ReviewFilter filter;
        filter.region = visible_region(*viewer);
        filter.limit = kDefaultCases;
        if (request.has_param("state")) {
            const auto state = parse_review_state(request.get_param_value("state"));
            if (!state) {
                return send_error(response, 400, "state: '" + request.get_param_value("state").substr(0, 32) +
                                                     "' is not one of pending, approved, rejected");
            }
            filter.state = *state;
        }
        if (request.has_param("store")) filter.store_id = request.get_param_value("store");
        if (request.has_param("sku")) filter.sku = request.get_param_value("sku");
        if (!read_list_limit(request, response, filter.limit)) return;
        auto reviews = store.reviews().list(filter);
        if (!reviews) return storage_unavailable(response, reviews.error());
        const core::Timestamp now = core::now_utc();
        nlohmann::json items = nlohmann::json::array();
        for (const ReviewRecord& review : *reviews) items.push_back(review_to_json(review, now));
        request.items = static_cast<std::int64_t>(reviews->size());
        send_json(response, 200, {{"reviews", std::move(items)}});
    }

    // POST /api/v1/reviews/{id}/approve and /reject, body {"reason": "..."} (required to reject).
    void handle_review_decision(http::Request& request, http::Response& response, ReviewState decision) {
        auto viewer = api_viewer(request, response);
        if (!viewer) return;
        if (!from_this_site(request)) return send_error(response, 403, "this request was sent from another site");
        nlohmann::json body = nlohmann::json::object();
        if (!request.body.empty()) {
            if (!json_body(request, response)) return;
            body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
        }
        std::optional<std::string> reason;
        if (body.is_object()) {
            const auto found = body.find("reason");
            if (found == body.end() || found->is_null()) {
                reason = std::string();
            } else if (found->is_string()) {
                reason = found->get<std::string>();
            }
        }
        const bool rejecting = decision == ReviewState::Rejected;
        if (!reason || (rejecting && reason->empty())) {
            return send_error(response, 400,
                              rejecting ? "reason: a review is rejected with its reason: send {\"reason\": \"...\"}"
                                        : "expected a JSON object {\"reason\": \"...\"} (optional)");
        }
        constexpr std::string_view kPrefix = "/api/v1/reviews/";
        const std::string id =
            request.path.substr(kPrefix.size(), request.path.find('/', kPrefix.size()) - kPrefix.size());
        const core::Timestamp now = core::now_utc();
        if (auto decided = decide_review(*viewer, id, decision, *reason, now, response)) {
            send_json(response, 200, review_to_json(*decided, now));
        }
    }

    // Approves or rejects a review `viewer` may decide on; on refusal the answer (400, 403 for a review of
    // another region, 404, 409, 503) is sent and nullopt returned.
    std::optional<ReviewRecord> decide_review(const UserRecord& viewer, const std::string& id, ReviewState decision,
                                              const std::string& reason, core::Timestamp now, http::Response& response) {
        auto found = store.reviews().find(id);
        if (!found) {
            storage_unavailable(response, found.error());
            return std::nullopt;
        }
        if (!found->has_value()) {
            send_error(response, 404, "no shared review '" + id.substr(0, 64) + "'");
            return std::nullopt;
        }
        const auto region = visible_region(viewer);
        if (region && (*found)->region != *region) {
            send_error(response, 403, "this review was shared in another region than yours");
            return std::nullopt;
        }
        auto decided = store.reviews().decide(id, decision, reason, viewer.name, now);
        if (decided) return std::move(*decided);
        refuse_change(response, decided.error());
        return std::nullopt;
    }

    // The dashboard's forms on a review (POST /reviews/approve, /reviews/reject: review, reason, back), then
    // back to the page they were on.
    void handle_review_form(http::Request& request, http::Response& response, ReviewState decision) {
        const auto viewer = form_sender(request, response);
        if (!viewer) return;
        response.proven = true;
        const std::string reason = request.get_param_value("reason");
        if (decision == ReviewState::Rejected && reason.find_first_not_of(" \t\r\n") == std::string::npos) {
            return send_error(response, 400, "reason: a review is rejected with its reason; write one");
        }
        if (decide_review(*viewer, request.get_param_value("review"), decision, reason, core::now_utc(), response)) {
            redirect(response, back_to_dashboard(request).c_str());
        }
    }

    // Refused sign-ins are a security signal: one warning line each for the operator's log watcher.
    void log_refused_sign_in(http::Request& request, const std::string& name, const SignIn::Refusal& refusal) {
        if (!options.log_requests) return;
        write_log({{"time", core::format_rfc3339(core::now_utc())},
                   {"level", "warning"},
                   {"message", "sign-in refused: " + refusal.error.message},
                   {"user", name.substr(0, 64)},
                   {"peer", request.remote_addr}});
    }

    // POST /api/v1/sessions {"name": ..., "password": ...} → a bearer token for the BI API.
    void handle_api_sign_in(http::Request& request, http::Response& response) {
        if (!json_body(request, response)) return;
        const auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
        if (!body.is_object() || !body.contains("name") || !body["name"].is_string() || !body.contains("password") ||
            !body["password"].is_string()) {
            return send_error(response, 400,
                              "expected a JSON object {\"name\": \"...\", \"password\": \"...\"}");
        }
        auto outcome = sign_in.sign_in(body["name"].get<std::string>(), body["password"].get<std::string>());
        if (auto* refusal = std::get_if<SignIn::Refusal>(&outcome)) {
            log_refused_sign_in(request, body["name"].get<std::string>(), *refusal);
            if (refusal->retry_after) {
                response.set_header("Retry-After", std::to_string(refusal->retry_after->count()));
                return send_error(response, 429, refusal->error.message);
            }
            if (refusal->error.code != ErrorCode::Unauthorized) return storage_unavailable(response, refusal->error);
            return send_error(response, 401, refusal->error.message);
        }
        const Session& session = std::get<Session>(outcome);
        request.who = "user:" + session.user.name;
        nlohmann::json answer{{"token", session.token},
                              {"expires_at", core::format_rfc3339(session.expires_at)},
                              {"name", session.user.name},
                              {"role", std::string(to_string(session.user.role))}};
        if (session.user.role == UserRole::Manager) answer["region"] = session.user.region;
        send_json(response, 201, answer);
    }

    // Login CSRF and its like: a browser's form post names the page it came from (Origin, else Referer); one
    // from another site is refused. A request with neither comes from no browser (curl, a script), which
    // no other site can make post here.
    static bool from_this_site(const http::Request& request) {
        if (!request.has_header("Origin") && !request.has_header("Referer")) return true;
        const std::string origin = request.has_header("Origin") ? request.get_header_value("Origin")
                                                                : request.get_header_value("Referer");
        return same_origin(origin, request.get_header_value("Host"));
    }

    // GET /?<filter>: every section of the dashboard for the filter, in the user's language. A filter the
    // user may not see is answered with the reason, not with another filter's figures.
    void handle_dashboard_page(const UserRecord& user, http::Request& request, http::Response& response) {
        request.who = "user:" + user.name;
        response.proven = true;
        auto query = viewer_dashboard_query(user, request, response);
        if (!query) return;
        auto page = build_dashboard_page(store, user, *query, core::now_utc());
        if (!page) return storage_unavailable(response, page.error());
        send_page(response, 200, render_dashboard_page(*page, *dashboard_texts));
    }

    // The language chooser: kept for the user, then back to the page the form was on.
    void handle_language(http::Request& request, http::Response& response) {
        const auto viewer = form_sender(request, response);
        if (!viewer) return;
        const std::string language = request.get_param_value("language");
        if (std::find(kDashboardLanguages.begin(), kDashboardLanguages.end(), language) == kDashboardLanguages.end()) {
            return send_error(response, 400, "language: '" + language.substr(0, 16) + "' is not one of en, fa, ar, el, tr");
        }
        if (auto kept = store.set_language(viewer->name, language); !kept) return storage_unavailable(response, kept.error());
        redirect(response, back_to_dashboard(request).c_str());
    }

    // Back to the same view: a form carries the page's query string in `back` (only ever a path on this site).
    static std::string back_to_dashboard(const http::Request& request) {
        const std::string back = request.get_param_value("back");
        const bool safe = back.starts_with("/?") && back.size() <= 2048 &&
                          std::none_of(back.begin(), back.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
        return safe ? back : "/";
    }

    // The sign-in form: a session cookie and back to the dashboard, or the form again with the reason.
    void handle_page_sign_in(http::Request& request, http::Response& response) {
        if (!from_this_site(request)) {
            return send_page(response, 403, render_login_html("This form was sent from another site; sign in here.", ""));
        }
        const std::string name = request.get_param_value("name");
        auto outcome = sign_in.sign_in(name, request.get_param_value("password"));
        if (auto* refusal = std::get_if<SignIn::Refusal>(&outcome)) {
            log_refused_sign_in(request, name, *refusal);
            int status = 401;
            if (refusal->retry_after) {
                status = 429;
                response.set_header("Retry-After", std::to_string(refusal->retry_after->count()));
            } else if (refusal->error.code != ErrorCode::Unauthorized) {
                log_line(refusal->error.message);
                status = 503;
                return send_page(response, status,
                                 render_login_html("The hub's database is unavailable right now; try again shortly.",
                                                   name));
            }
            return send_page(response, status, render_login_html(refusal->error.message, name));
        }
        const Session& session = std::get<Session>(outcome);
        request.who = "user:" + session.user.name;
        const auto lifetime =
            std::chrono::duration_cast<std::chrono::seconds>(session.expires_at - core::now_utc()).count();
        // HttpOnly: no script reads it; SameSite=Strict: no other site's page can post with it (CSRF).
        std::string cookie = std::string(kSessionCookie) + "=" + session.token +
                             "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(lifetime);
        if (lowercase(request.get_header_value("X-Forwarded-Proto")) == "https") cookie += "; Secure";
        response.set_header("Set-Cookie", cookie);
        redirect(response, "/");
    }

    void handle_health(http::Response& response) {
        auto health = store.check_health();
        if (!health) {
            log_line(health.error().message);
            response.set_header("Retry-After", std::to_string(kRetryAfterSeconds));
            return send_json(response, 503, {{"status", "unavailable"}, {"error", health.error().message}});
        }
        send_json(response, 200, {{"status", "ok"}});
    }
};

Server::Server(Store& store, ServerOptions options) : impl_(std::make_unique<Impl>(store, options)) {}

Server::~Server() { stop(); }

Result<ListenAddress> Server::bind(const ListenAddress& address) {
    auto port = impl_->http->bind(address.host, address.port);
    if (!port) {
        return make_error(ErrorCode::Unavailable, "cannot listen on " + format_http_url(address) +
                                                      ": the address is in use, not local to this machine, or the "
                                                      "port needs privileges (" + port.error().message + ")");
    }
    return ListenAddress{address.host, *port};
}

Status Server::run() { return impl_->http->run(); }

const http::HttpServer& ServerInternals::http(const Server& server) { return *server.impl_->http; }

void Server::stop() { impl_->http->stop(); }

}  // namespace truthpoint::hub
