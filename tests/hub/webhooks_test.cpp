// Webhooks from a durable outbox: each webhook's notifications go out in order, one at a time, leased to one
// hub; a receiver that is down gets every one once it is back, signed; a hub killed with notifications
// waiting loses none (the next hub on the database sends them). The receiver is a real HTTP server on
// loopback; the hubs are real (in-process, and `truthpoint-hub serve` processes for kill -9).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "../../hub/src/webhook_sender.hpp"
#include "support.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using truthpoint::hub_test::TestDatabase;

namespace {

// A loopback port nothing listens on (until the receiver starts on it).
int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    close(fd);
    return ntohs(address.sin_port);
}

// HMAC-SHA256 by OpenSSL, apart from the hub's own (libsodium): what a receiver in another language does.
std::string expected_signature(const std::string& secret_hex, const std::string& timestamp, const std::string& body) {
    std::string key;
    for (std::size_t i = 0; i + 1 < secret_hex.size(); i += 2) {
        key += static_cast<char>(std::stoi(secret_hex.substr(i, 2), nullptr, 16));
    }
    const std::string message = timestamp + "." + body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), mac, &length);
    std::string hex = "sha256=";
    static constexpr char kDigits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < length; ++i) {
        hex += kDigits[mac[i] >> 4];
        hex += kDigits[mac[i] & 0xf];
    }
    return hex;
}

struct Received {
    std::string delivery_id, timestamp, signature, body;
};

// An HTTP server on loopback that records every POST to /hook, answering 204.
class Receiver {
public:
    explicit Receiver(int port) {
        server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
            std::lock_guard lock(mutex_);
            received_.push_back({request.get_header_value("X-Truthpoint-Delivery"),
                                 request.get_header_value("X-Truthpoint-Timestamp"),
                                 request.get_header_value("X-Truthpoint-Signature"), request.body});
            response.status = 204;
        });
        REQUIRE(server_.bind_to_port("127.0.0.1", port));
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~Receiver() {
        server_.stop();
        thread_.join();
    }
    std::vector<Received> received() {
        std::lock_guard lock(mutex_);
        return received_;
    }
    // Waits up to `timeout` for `count` deliveries.
    std::vector<Received> wait_for(std::size_t count, std::chrono::seconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (received().size() < count && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return received();
    }

private:
    httplib::Server server_;
    std::thread thread_;
    std::mutex mutex_;
    std::vector<Received> received_;
};

WebhookRecord webhook_to(int port, const std::string& name = "ops") {
    WebhookRecord webhook;
    webhook.name = name;
    webhook.url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
    webhook.secret = std::string(64, '5');
    webhook.created_at = core::now_utc();
    return webhook;
}

// The receiver has answered before the hub records the delivery: waits for the record, up to 10 s. -1: no such
// webhook.
std::int64_t pending_after_delivery(Store& store, const std::string& name) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::int64_t pending = -1;
    while (std::chrono::steady_clock::now() < deadline) {
        pending = -1;
        const auto webhooks = store.list_webhooks();  // kept: a loop over .value() of a temporary would dangle
        for (const WebhookRecord& webhook : webhooks.value()) {
            if (webhook.name == name) pending = webhook.pending;
        }
        if (pending == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pending;
}

std::string numbered(int n) { return nlohmann::json{{"type", "test"}, {"n", n}, {"text", "notification " + std::to_string(n)}}.dump(); }

// Every delivery is signed with the secret over its own timestamp and body, numbered 1..count in order, once.
void check_in_order_signed_once(const std::vector<Received>& received, int count, const std::string& secret) {
    REQUIRE(received.size() == static_cast<std::size_t>(count));
    std::set<std::string> ids;
    for (int i = 0; i < count; ++i) {
        const Received& delivery = received[static_cast<std::size_t>(i)];
        INFO(delivery.body);
        CHECK(nlohmann::json::parse(delivery.body)["n"] == i + 1);
        CHECK(delivery.signature == expected_signature(secret, delivery.timestamp, delivery.body));
        CHECK(std::abs(std::stoll(delivery.timestamp) - std::chrono::duration_cast<std::chrono::seconds>(
                                                           core::now_utc().time_since_epoch()).count()) < 120);
        ids.insert(delivery.delivery_id);
    }
    CHECK(ids.size() == static_cast<std::size_t>(count));
}

}  // namespace

TEST_CASE("the outbox hands out each webhook's notifications in order, one at a time, to one hub", "[hub][store][webhooks]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto first_hub = database.open();
    auto second_hub = database.open();
    REQUIRE(first_hub->add_webhook(webhook_to(1, "ops")));
    REQUIRE(first_hub->add_webhook(webhook_to(2, "north-desk")));
    auto again = first_hub->add_webhook(webhook_to(3, "ops"));
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::AlreadyExists);
    const auto now = core::parse_rfc3339("2026-12-01T10:00:00.000Z").value();
    for (int n = 1; n <= 3; ++n) REQUIRE(first_hub->notify_webhook("ops", numbered(n), now));
    CHECK(first_hub->notify_webhook("nobody", numbered(9), now).error().code == ErrorCode::NotFound);

    auto leased = first_hub->lease_webhook_deliveries(now, std::chrono::seconds(60)).value();
    REQUIRE(leased.size() == 1);  // only the oldest: the rest wait behind it
    CHECK(leased[0].payload == numbered(1));
    CHECK(leased[0].url == "http://127.0.0.1:1/hook");
    CHECK(leased[0].attempts == 0);
    CHECK(second_hub->lease_webhook_deliveries(now, std::chrono::seconds(60)).value().empty());  // leased

    // It fails: not again before its retry time, and nothing behind it overtakes it.
    REQUIRE(first_hub->finish_webhook_delivery(leased[0].id, now, std::string("connection refused"), now + std::chrono::seconds(2)));
    CHECK(second_hub->lease_webhook_deliveries(now + std::chrono::seconds(1), std::chrono::seconds(60)).value().empty());
    const auto listed = first_hub->list_webhooks().value();
    REQUIRE(listed.size() == 2);
    CHECK(listed[1].name == "ops");
    CHECK(listed[1].pending == 3);
    CHECK(listed[1].last_error == "connection refused");
    auto retried = second_hub->lease_webhook_deliveries(now + std::chrono::seconds(2), std::chrono::seconds(60)).value();
    REQUIRE(retried.size() == 1);
    CHECK(retried[0].id == leased[0].id);
    CHECK(retried[0].attempts == 1);

    // Delivered: the next one's turn.
    REQUIRE(second_hub->finish_webhook_delivery(retried[0].id, now + std::chrono::seconds(3), std::nullopt, now));
    auto next = first_hub->lease_webhook_deliveries(now + std::chrono::seconds(3), std::chrono::seconds(60)).value();
    REQUIRE(next.size() == 1);
    CHECK(next[0].payload == numbered(2));
    CHECK(first_hub->list_webhooks().value()[1].pending == 2);

    // A lease a crashed hub left runs out, and another hub takes the delivery.
    CHECK(second_hub->lease_webhook_deliveries(now + std::chrono::seconds(30), std::chrono::seconds(60)).value().empty());
    CHECK(second_hub->lease_webhook_deliveries(now + std::chrono::seconds(64), std::chrono::seconds(60)).value().size() == 1);

    REQUIRE(first_hub->remove_webhook("ops"));
    CHECK(database.execute("SELECT count(*) FROM webhook_outbox") == "0");
    CHECK(first_hub->remove_webhook("ops").error().code == ErrorCode::NotFound);
}

TEST_CASE("a webhook's signature and backoff", "[hub][webhooks]") {
    const std::string secret(64, 'a');
    CHECK(webhook_signature(secret, "1764583200", R"({"text":"hi"})") ==
          expected_signature(secret, "1764583200", R"({"text":"hi"})"));
    CHECK(webhook_signature(secret, "1764583201", R"({"text":"hi"})") !=
          webhook_signature(secret, "1764583200", R"({"text":"hi"})"));
    CHECK(webhook_backoff(1) == std::chrono::seconds(1));
    CHECK(webhook_backoff(2) == std::chrono::seconds(2));
    CHECK(webhook_backoff(5) == std::chrono::seconds(16));
    CHECK(webhook_backoff(40) == std::chrono::minutes(5));  // a receiver back after an hour waits minutes, not hours
}

TEST_CASE("a receiver down for a while gets every notification once it is back, signed, once, in order",
          "[hub][server][webhooks]") {
    hub_test::RunningHub hub;
    const int port = free_port();
    const WebhookRecord webhook = webhook_to(port);
    REQUIRE(hub.store().add_webhook(webhook));
    constexpr int kNotifications = 5;
    for (int n = 1; n <= kNotifications; ++n) REQUIRE(hub.store().notify_webhook("ops", numbered(n), core::now_utc()));

    // Down: the hub tries, fails, and says why.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (hub.store().list_webhooks().value()[0].last_error.empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const WebhookRecord waiting = hub.store().list_webhooks().value()[0];
    CHECK(waiting.pending == kNotifications);
    CHECK_THAT(waiting.last_error, Catch::Contains("onnect"));
    std::this_thread::sleep_for(std::chrono::seconds(2));  // a few more tries while down

    Receiver receiver(port);  // up again
    const auto received = receiver.wait_for(kNotifications, std::chrono::seconds(30));
    check_in_order_signed_once(received, kNotifications, webhook.secret);
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    CHECK(receiver.received().size() == kNotifications);  // nothing sent twice
    CHECK(pending_after_delivery(hub.store(), "ops") == 0);
    const WebhookRecord done = hub.store().list_webhooks().value()[0];
    CHECK(done.last_delivered_at);
}

TEST_CASE("kill -9 of the hub with notifications waiting loses none: the next hub sends them", "[hub][cluster][webhooks]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    const int port = free_port();
    const auto cli = [&](const std::vector<std::string>& arguments) {
        auto ran = hub_test::run_hub_cli(arguments, database.url());
        INFO(ran.err);
        REQUIRE(ran.exit_code == 0);
        return ran.out;
    };
    const std::string added =
        cli({"webhook", "add", "--name", "ops", "--chain", "--url", "http://127.0.0.1:" + std::to_string(port) + "/hook"});
    const std::string secret = hub_test::split_lines(added).back();
    REQUIRE(secret.size() == 64);
    auto store = database.open();
    constexpr int kNotifications = 3;

    hub_test::ServeProcess first(database.url());
    first.wait_for_port();
    for (int n = 1; n <= kNotifications; ++n) REQUIRE(store->notify_webhook("ops", numbered(n), core::now_utc()));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (store->list_webhooks().value()[0].last_error.empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE_FALSE(store->list_webhooks().value()[0].last_error.empty());  // tried while the receiver was down
    first.stop(SIGKILL);

    Receiver receiver(port);
    hub_test::ServeProcess second(database.url());
    second.wait_for_port();
    // A lease the killed hub may have held runs out within a minute.
    const auto received = receiver.wait_for(kNotifications, std::chrono::seconds(75));
    check_in_order_signed_once(received, kNotifications, secret);
    CHECK(pending_after_delivery(*store, "ops") == 0);
    const std::string listed = cli({"webhook", "list", "--json"});
    CHECK(nlohmann::json::parse(listed)[0]["pending"] == 0);
    CHECK(second.stop(SIGTERM).first == 0);
}

TEST_CASE("an alert reaches the store's webhook as it is stored, once while its case is open, and its closing too",
          "[hub][server][webhooks][alerts]") {
    hub_test::RunningHub hub;
    const int port = free_port();
    Receiver receiver(port);
    WebhookRecord store_hook = webhook_to(port);
    store_hook.scope_kind = WebhookScope::Store;
    store_hook.scope = "s-1";
    REQUIRE(hub.store().add_webhook(store_hook));
    WebhookRecord other_store = webhook_to(port, "s-2-desk");
    other_store.scope_kind = WebhookScope::Store;
    other_store.scope = "s-2";
    REQUIRE(hub.store().add_webhook(other_store));

    // A shopper's pain, sent by the kiosk as it always is.
    REQUIRE(hub.post_batch(hub_test::batch_body({hub_test::make_event(core::EventType::PainReported)}))->status == 200);
    const auto opened = receiver.wait_for(1, std::chrono::seconds(20));
    REQUIRE(opened.size() == 1);
    const auto body = nlohmann::json::parse(opened[0].body);
    CHECK(body["type"] == "case.opened");
    CHECK(body["case"]["rule"] == "pain");
    CHECK(body["case"]["store_id"] == "s-1");
    CHECK_THAT(body["text"].get<std::string>(), Catch::Contains("pain") && Catch::Contains("store s-1"));
    CHECK(opened[0].signature == expected_signature(store_hook.secret, opened[0].timestamp, opened[0].body));

    // Another pain while the case is open updates it: no second alert.
    REQUIRE(hub.post_batch(hub_test::batch_body({hub_test::make_event(core::EventType::PainReported)}, "batch-2"))->status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    CHECK(receiver.received().size() == 1);

    REQUIRE(hub.store().alerts().close(body["case"]["id"].get<std::string>(), "anna", "product", "replaced the batch",
                                       core::now_utc()));
    const auto closed = receiver.wait_for(2, std::chrono::seconds(20));
    REQUIRE(closed.size() == 2);
    const auto closing = nlohmann::json::parse(closed[1].body);
    CHECK(closing["type"] == "case.closed");
    CHECK(closing["case"]["close_cause"] == "product");
    CHECK_THAT(closing["text"].get<std::string>(), Catch::Contains("anna") && Catch::Contains("replaced the batch"));
    CHECK(pending_after_delivery(hub.store(), "ops") == 0);
    CHECK(hub.database().execute("SELECT count(*) FROM webhook_outbox WHERE webhook = 's-2-desk'") == "0");  // not its store
}

TEST_CASE("webhook add, list, test and remove from the command line, where mistakes exit 2 and store nothing",
          "[hub][cli][webhooks]") {
    TestDatabase database(hub_test::kSqlite);
    const auto run = [&](const std::vector<std::string>& arguments) { return hub_test::run_hub_cli(arguments, database.url()); };
    REQUIRE(run({"kiosk", "add", "--kiosk", "k-1", "--store", "s-1", "--region", "North"}).exit_code == 0);

    const auto added = run({"webhook", "add", "--name", "north-desk", "--region", "NORTH", "--url", "https://hooks.example/x"});
    INFO(added.err);
    REQUIRE(added.exit_code == 0);
    CHECK(hub_test::split_lines(added.out).back().size() == 64);  // the signing secret, alone on the last line
    CHECK_THAT(added.err, Catch::Contains("'North'"));  // the region as enrolled
    for (const std::vector<std::string>& wrong :
         {std::vector<std::string>{"webhook", "add", "--name", "north-desk", "--chain", "--url", "https://x.example"},
          {"webhook", "add", "--name", "b", "--chain", "--url", "ftp://x.example"},
          {"webhook", "add", "--name", "c", "--url", "https://x.example"},
          {"webhook", "add", "--name", "d", "--chain", "--store", "s-1", "--url", "https://x.example"},
          {"webhook", "remove", "--name", "nobody"},
          {"webhook", "test", "--name", "nobody"}}) {
        const auto refused = run(wrong);
        INFO(wrong[1] << " " << wrong[3] << ": " << refused.err);
        CHECK(refused.exit_code == 2);
        CHECK_FALSE(refused.err.empty());
    }
    REQUIRE(run({"webhook", "test", "--name", "north-desk"}).exit_code == 0);
    const auto listed = nlohmann::json::parse(run({"webhook", "list", "--json"}).out);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["scope"] == "region North");
    CHECK(listed[0]["pending"] == 1);
    CHECK_FALSE(listed[0].contains("secret"));
    CHECK(run({"webhook", "list"}).out.find("region North") != std::string::npos);
    REQUIRE(run({"webhook", "remove", "--name", "north-desk"}).exit_code == 0);
    CHECK(database.execute("SELECT count(*) FROM webhook_outbox") == "0");
    CHECK(database.execute("SELECT count(*) FROM webhooks") == "0");
}
