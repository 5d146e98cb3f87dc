// FaultProxy: plain POSIX sockets, a thread per kiosk connection, a fresh hub connection per request.
// It understands just enough HTTP/1.1 (Content-Length bodies, Expect: 100-continue) to act on whole
// requests and answers, and gunzips batches to see their event ids.
#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace truthpoint::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kHubAnswerTimeout = 15s;
constexpr auto kStallStep = 250ms;
constexpr auto kStallLimit = 30s;
constexpr int kDripChunks = 20;
constexpr auto kDripStep = 25ms;  // a whole answer in about half a second

bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

// Appends what arrives next; false on end of stream, an error, stop or the deadline.
bool read_more(int fd, std::string& buffer, const std::atomic<bool>& stopping, Clock::time_point deadline) {
    while (!stopping && Clock::now() < deadline) {
        pollfd ready{fd, POLLIN, 0};
        const int count = ::poll(&ready, 1, 50);  // short, so that stop() is noticed
        if (count < 0 && errno != EINTR) return false;
        if (count <= 0) continue;
        char chunk[16384];
        const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(got));
        return true;
    }
    return false;
}

// Reads up to and including "\r\n\r\n" plus `length_of(head)` body bytes; leftovers stay in `buffer`.
template <typename LengthOf>
bool read_message(int fd, std::string& buffer, std::string& head, std::string& body, const std::atomic<bool>& stopping,
                  Clock::time_point deadline, LengthOf length_of) {
    std::size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!read_more(fd, buffer, stopping, deadline)) return false;
    }
    head = buffer.substr(0, end + 4);
    buffer.erase(0, end + 4);
    const std::size_t length = length_of(head);
    while (buffer.size() < length) {
        if (!read_more(fd, buffer, stopping, deadline)) return false;
    }
    body = buffer.substr(0, length);
    buffer.erase(0, length);
    return true;
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The value of a header in a message head, by case-insensitive name, and the line's position.
std::optional<std::string> header(std::string_view head, std::string_view name, std::size_t* line_start = nullptr,
                                  std::size_t* line_end = nullptr) {
    std::size_t start = head.find("\r\n");
    while (start != std::string_view::npos && start + 2 < head.size()) {
        const std::size_t begin = start + 2;
        const std::size_t end = head.find("\r\n", begin);
        if (end == std::string_view::npos) break;
        const std::string_view line = head.substr(begin, end - begin);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos && lowercase(line.substr(0, colon)) == lowercase(name)) {
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            if (line_start) *line_start = begin;
            if (line_end) *line_end = end + 2;
            return std::string(value);
        }
        start = end;
    }
    return std::nullopt;
}

std::size_t content_length(const std::string& head) {
    const auto value = header(head, "Content-Length");
    return value ? static_cast<std::size_t>(std::stoull(*value)) : 0;
}

long status_code(const std::string& head) {
    const std::size_t space = head.find(' ');
    return space == std::string::npos ? 0 : std::strtol(head.c_str() + space + 1, nullptr, 10);
}

std::string gunzip(std::string_view data) {
    z_stream stream{};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return {};
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char chunk[65536];
    int code = Z_OK;
    while (code == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(chunk);
        stream.avail_out = sizeof chunk;
        code = inflate(&stream, Z_NO_FLUSH);
        out.append(chunk, sizeof chunk - stream.avail_out);
    }
    inflateEnd(&stream);
    return code == Z_STREAM_END ? out : std::string();
}

std::vector<std::string> batch_event_ids(const std::string& json) {
    std::vector<std::string> ids;
    const auto batch = nlohmann::json::parse(json, nullptr, false);
    if (batch.is_discarded() || !batch.is_object() || !batch.contains("events") || !batch["events"].is_array()) {
        return ids;
    }
    for (const auto& event : batch["events"]) {
        if (event.is_object() && event.contains("id") && event["id"].is_string()) {
            ids.push_back(event["id"].get<std::string>());
        }
    }
    return ids;
}

std::string canned(int status, std::string_view phrase, std::string_view error, std::string_view extra_headers = {}) {
    const std::string body = nlohmann::json{{"error", error}}.dump();
    return "HTTP/1.1 " + std::to_string(status) + " " + std::string(phrase) +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
           std::string(extra_headers) + "\r\n" + body;
}

void close_gracefully(int fd) { ::close(fd); }

// SO_LINGER 0: close() sends RST, as a crashed peer or a middlebox would.
void reset_connection(int fd) {
    linger hard{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(fd);
}

void no_delay(int fd) {
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);  // a dripped byte leaves at once
}

int connect_loopback(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    no_delay(fd);
    return fd;
}

// True once the peer has closed or reset its end.
bool peer_gone(int fd) {
    char byte;
    const ssize_t got = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

}  // namespace

std::string_view to_string(Fault fault) {
    switch (fault) {
        case Fault::None: return "none";
        case Fault::Reset: return "reset";
        case Fault::DropAnswer: return "drop-answer";
        case Fault::SlowDrip: return "slow-drip";
        case Fault::Stall: return "stall";
        case Fault::Answer500: return "answer-500";
        case Fault::Commit500: return "commit-then-500";
        case Fault::Answer429: return "answer-429";
        case Fault::HubRestart: return "hub-restart";
        case Fault::Answer400: return "answer-400";
        case Fault::Answer409: return "answer-409";
        case Fault::Answer403: return "answer-403";
        case Fault::Answer503: return "answer-503";
    }
    return "?";
}

bool ProxiedRequest::contains(std::string_view id) const {
    return std::find(event_ids.begin(), event_ids.end(), id) != event_ids.end();
}

struct FaultProxy::Request {
    std::string head;  // request line and headers with the closing blank line; Expect removed
    std::string body;
    ProxiedRequest info;
};

FaultProxy::FaultProxy(int hub_port, FaultRule rule, std::function<std::string()> restart_hub)
    : hub_port_(hub_port), restart_hub_(std::move(restart_hub)), rule_(std::move(rule)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0) throw std::runtime_error("fault proxy: socket: " + std::string(std::strerror(errno)));
    int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 64) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        const std::string why = std::strerror(errno);
        ::close(listener_);
        throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1: " + why);
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() { stop(); }

void FaultProxy::stop() {
    if (stopping_.exchange(true)) return;
    if (acceptor_.joinable()) acceptor_.join();
    ::close(listener_);
    // Connection threads notice stopping_ within 50 ms; a restart thread finishes its restart.
    for (;;) {
        std::vector<std::thread> threads;
        {
            std::lock_guard lock(mutex_);
            threads.swap(threads_);
        }
        if (threads.empty()) break;
        for (auto& thread : threads) thread.join();
    }
}

void FaultProxy::set_rule(FaultRule rule) {
    std::lock_guard lock(mutex_);
    rule_ = std::move(rule);
}

void FaultProxy::set_retry_after(int seconds) {
    std::lock_guard lock(mutex_);
    retry_after_ = seconds;
}

int FaultProxy::injected(Fault fault) const {
    std::lock_guard lock(mutex_);
    const auto found = injected_.find(fault);
    return found == injected_.end() ? 0 : found->second;
}

int FaultProxy::injected_total() const {
    std::lock_guard lock(mutex_);
    int total = 0;
    for (const auto& [fault, count] : injected_) total += fault == Fault::None ? 0 : count;
    return total;
}

int FaultProxy::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

int FaultProxy::withheld_accepted() const {
    std::lock_guard lock(mutex_);
    return withheld_accepted_;
}

int FaultProxy::refused_upstream() const {
    std::lock_guard lock(mutex_);
    return refused_upstream_;
}

int FaultProxy::stalls_in_progress() const { return stalls_.load(); }

std::vector<ProxyLogEntry> FaultProxy::log() const {
    std::lock_guard lock(mutex_);
    return log_;
}

std::vector<std::string> FaultProxy::errors() const {
    std::lock_guard lock(mutex_);
    return errors_;
}

void FaultProxy::note_error(std::string error) {
    std::lock_guard lock(mutex_);
    errors_.push_back(std::move(error));
}

void FaultProxy::accept_loop() {
    while (!stopping_) {
        pollfd ready{listener_, POLLIN, 0};
        if (::poll(&ready, 1, 50) <= 0) continue;
        const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        no_delay(client);
        std::lock_guard lock(mutex_);
        threads_.emplace_back([this, client] { serve(client); });
    }
}

void FaultProxy::serve(int client) {
    std::string buffer;
    bool fresh = true;
    const auto forever = Clock::now() + std::chrono::hours(24);  // an idle keep-alive connection waits for stop()
    while (!stopping_) {
        Request request;
        const bool read = read_message(client, buffer, request.head, request.body, stopping_, forever,
                                       [&](const std::string& head) {
                                           std::size_t start = 0, end = 0;
                                           if (header(head, "Expect", &start, &end)) {
                                               // Answered here; the hub must not send a 100 of its own.
                                               request.head.erase(start, end - start);
                                               send_all(client, "HTTP/1.1 100 Continue\r\n\r\n");
                                               return content_length(request.head);
                                           }
                                           return content_length(head);
                                       });
        if (!read) break;
        if (!handle(client, request, fresh)) return;  // handle() closed the connection
        fresh = false;
    }
    close_gracefully(client);
}

bool FaultProxy::handle(int client, Request& request, bool fresh_connection) {
    const auto encoding = header(request.head, "Content-Encoding");
    request.info.event_ids =
        batch_event_ids(encoding && lowercase(*encoding) == "gzip" ? gunzip(request.body) : request.body);
    request.info.target = request.head.substr(0, request.head.find(" HTTP/"));
    FaultRule rule;
    int retry_after = 0;
    {
        std::lock_guard lock(mutex_);
        retry_after = retry_after_;
        request.info.index = requests_++;
        if (request.info.event_ids.empty()) {  // a probe or a config pull: no batch ordinal taken
            request.info.batch = -1;
            request.info.attempt = 1;
        } else {
            auto [known, added] =
                batches_.try_emplace(request.info.event_ids.front(), static_cast<int>(batches_.size()), 0);
            request.info.batch = known->second.first;
            request.info.attempt = ++known->second.second;
        }
        request.info.fresh_connection = fresh_connection;
        rule = rule_;
    }
    Fault fault = rule ? rule(request.info) : Fault::None;
    if (fault == Fault::HubRestart && !restart_hub_) {
        note_error("a rule asked for a hub restart, but the proxy was given no way to restart the hub");
        fault = Fault::None;
    }

    ProxyLogEntry entry;
    entry.target = request.info.target;
    entry.index = request.info.index;
    entry.batch = request.info.batch;
    entry.attempt = request.info.attempt;
    entry.events = request.info.event_ids.size();
    entry.fault = fault;
    entry.arrived = Clock::now();
    bool keep_open = true;
    switch (fault) {
        case Fault::Reset:
            reset_connection(client);
            keep_open = false;
            break;
        case Fault::Answer500:
            keep_open = send_all(client, canned(500, "Internal Server Error", "proxy: injected internal error"));
            break;
        case Fault::Answer429:
            keep_open = send_all(client, canned(429, "Too Many Requests", "proxy: injected overload; retry later",
                                                 "Retry-After: 1\r\n"));
            break;
        case Fault::Answer503:
            keep_open = send_all(client, canned(503, "Service Unavailable", "proxy: injected outage; retry later",
                                                 retry_after > 0 ? "Retry-After: " + std::to_string(retry_after) + "\r\n"
                                                                 : std::string()));
            break;
        case Fault::Answer400:
            keep_open = send_all(client, canned(400, "Bad Request", "proxy: injected refusal of a marked event"));
            break;
        case Fault::Answer409:
            keep_open = send_all(client, canned(409, "Conflict", "proxy: injected conflict on a marked event"));
            break;
        case Fault::Answer403:
            keep_open = send_all(client, canned(403, "Forbidden", "proxy: injected refusal of this kiosk"));
            break;
        default:
            keep_open = forward(client, request, entry);  // closes the connection itself when it returns false
            break;
    }
    if (!keep_open && (fault == Fault::Answer500 || fault == Fault::Answer429 || fault == Fault::Answer400 ||
                       fault == Fault::Answer409 || fault == Fault::Answer403 || fault == Fault::Answer503)) {
        close_gracefully(client);  // the kiosk went away before our answer
    }
    entry.finished = Clock::now();
    std::lock_guard lock(mutex_);
    if (entry.fault != Fault::None) ++injected_[entry.fault];
    if (entry.hub_status == 200 && !entry.answered) withheld_accepted_ += entry.hub_accepted;
    log_.push_back(entry);
    return keep_open;
}

// Sends the request to the hub and the hub's answer back, with entry.fault applied. Returns whether
// the kiosk's connection is still open (if not, it has been closed here). `entry.answered` tells
// whether the hub's answer reached the kiosk.
bool FaultProxy::forward(int client, Request& request, ProxyLogEntry& entry) {
    const int upstream = connect_loopback(hub_port_);
    if (upstream < 0) {  // the hub is down (restarting): the kiosk sees its connection reset
        {
            std::lock_guard lock(mutex_);
            ++refused_upstream_;
        }
        entry.fault = Fault::None;  // not injected now: the consequence of an earlier restart
        reset_connection(client);
        return false;
    }
    const bool restart = entry.fault == Fault::HubRestart;
    bool cut_mid_body = false;
    if (restart) {
        std::lock_guard lock(mutex_);
        cut_mid_body = restarts_++ % 2 == 0;
    }
    if (cut_mid_body) {
        // The hub goes down while the body is on its way: it reads a truncated request, commits nothing.
        send_all(upstream, request.head);
        send_all(upstream, std::string_view(request.body).substr(0, request.body.size() / 2));
        std::this_thread::sleep_for(20ms);
        reset_connection(upstream);
        restart_in_background();
        reset_connection(client);
        return false;
    }
    if (!send_all(upstream, request.head + request.body)) {
        reset_connection(upstream);
        reset_connection(client);
        return false;
    }
    // The hub stops while it handles this request: it finishes it (or drops it unread) and goes away.
    if (restart) restart_in_background();

    std::string buffer, head, body;
    const bool answered = read_message(upstream, buffer, head, body, stopping_, Clock::now() + kHubAnswerTimeout,
                                       [](const std::string& head) { return content_length(head); });
    ::close(upstream);
    if (!answered) {
        reset_connection(client);
        return false;
    }
    entry.hub_status = status_code(head);
    if (entry.hub_status == 200) {
        const auto reply = nlohmann::json::parse(body, nullptr, false);
        if (reply.is_object() && reply.contains("accepted") && reply["accepted"].is_number_integer()) {
            entry.hub_accepted = reply["accepted"].get<int>();
        }
    }
    const std::string answer = head + body;

    switch (entry.fault) {
        case Fault::DropAnswer:
            close_gracefully(client);  // the kiosk reads an empty reply
            return false;
        case Fault::Commit500:
            if (send_all(client, canned(500, "Internal Server Error", "proxy: the gateway lost the hub's answer"))) {
                return true;
            }
            break;
        case Fault::SlowDrip: {
            const std::size_t chunk = std::max<std::size_t>(1, answer.size() / kDripChunks);
            std::size_t sent = 0;
            while (sent < answer.size() && !stopping_ &&
                   send_all(client, std::string_view(answer).substr(sent, chunk))) {
                sent += chunk;
                std::this_thread::sleep_for(kDripStep);
            }
            entry.answered = sent >= answer.size();
            if (entry.answered) return true;
            break;
        }
        case Fault::Stall: {
            ++stalls_;
            const auto started = Clock::now();
            std::size_t sent = 0;
            while (!stopping_ && sent < answer.size() && Clock::now() - started < kStallLimit && !peer_gone(client)) {
                if (!send_all(client, std::string_view(answer).substr(sent, 1))) break;
                ++sent;
                std::this_thread::sleep_for(kStallStep);
            }
            --stalls_;
            entry.answered = sent == answer.size();
            if (entry.answered) return true;
            reset_connection(client);
            return false;
        }
        default:
            entry.answered = send_all(client, answer);
            if (entry.answered) return true;
            break;
    }
    close_gracefully(client);  // the kiosk went away
    return false;
}

void FaultProxy::restart_in_background() {
    std::lock_guard lock(mutex_);
    threads_.emplace_back([this] {
        std::lock_guard restarting(restart_mutex_);
        if (std::string error = restart_hub_(); !error.empty()) note_error("hub restart: " + error);
    });
}

}  // namespace truthpoint::testing
