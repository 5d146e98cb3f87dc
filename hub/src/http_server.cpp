// The hub's event-driven HTTP/1.1 server (see http_server.hpp). Each connection runs on its own strand of one
// io_context: reads and writes never block a thread, and every read of a request shares one deadline.
#include "http_server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <zlib.h>

#include "elastic_pool.hpp"
#include "http_request.hpp"

namespace truthpoint::hub::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;

// After answering "Connection: close" while the client may still be sending: how long and how much to read
// and drop before closing, so that its unread bytes do not turn our answer into a reset (a client that
// sends a whole too-large batch before reading must still see its 413). Costs bandwidth, never memory.
constexpr std::chrono::milliseconds kLingerTime{2'000};
constexpr std::size_t kLingerBytes = 16 * 1024 * 1024;

class Connection;

}  // namespace

struct HttpServer::Impl {
    Impl(std::vector<Route> routes_, Limits limits_, Logger logger_)
        : routes(std::move(routes_)),
          limits(limits_),
          logger(std::move(logger_)),
          io(static_cast<int>(std::max<std::size_t>(limits.io_threads, 1))),
          acceptor(io),
          retry_timer(io),
          workers(std::min<std::size_t>(limits.max_handler_threads, 16), limits.max_handler_threads) {}

    ~Impl() {
        stopping = true;
        io.stop();
        workers.shutdown();  // handlers still running finish; what they post to the stopped loop is dropped
    }

    // No new connections; idle ones close now, those in the middle of a request once it is answered. The
    // loop then runs out of work and run() returns: every request a handler took is answered first.
    void stop() {
        if (stopping.exchange(true)) return;
        net::post(io, [this] { begin_shutdown(); });
    }

    void begin_shutdown();

    void accept();
    void take_connection(tcp::socket socket);

    const std::vector<Route> routes;
    const Limits limits;
    const Logger logger;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> unadmitted_bytes{0};  // bodies read before their route's admission
    std::atomic<std::uint64_t> refused_per_address{0};
    std::atomic<std::uint64_t> refused_full{0};
    std::atomic<std::uint64_t> evicted_idle{0};

    // The connection table: every open connection counts in `open`; those not yet proven are also listed,
    // oldest first, and counted per peer address. Declared before the io_context: connections that die
    // with it take themselves out of here.
    mutable std::mutex mutex;
    std::size_t open = 0;
    std::list<std::weak_ptr<Connection>> unproven;
    std::unordered_map<std::string, std::size_t> unproven_by_peer;
    std::list<std::weak_ptr<Connection>> everyone;  // for stop()

    net::io_context io;
    tcp::acceptor acceptor;
    net::steady_timer retry_timer;  // after accept() fails for want of descriptors
    ElasticThreadPool workers;      // handlers; declared last: shut down first
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket socket, HttpServer::Impl& server, std::string peer)
        : stream_(std::move(socket)), server_(server), limits_(server.limits), peer_(std::move(peer)),
          buffer_(kReadBufferBytes) {}

    ~Connection() {
        release_budget();
        std::lock_guard lock(server_.mutex);
        --server_.open;
        server_.everyone.erase(registered);
        if (!proven_) forget_unproven();
    }

    std::list<std::weak_ptr<Connection>>::iterator listed;      // in server_.unproven, while not proven
    std::list<std::weak_ptr<Connection>>::iterator registered;  // in server_.everyone

    // Whether it waits for bytes from its client (and may be closed to make room), not serving an answer.
    bool waiting() const { return waiting_.load(std::memory_order_relaxed); }

    void start() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
            self->stream_.expires_after(self->limits_.request_deadline);
            self->read_head();
        });
    }

    // Any thread: closes the connection if it is still only waiting for its client.
    void evict() {
        net::post(stream_.get_executor(), [self = shared_from_this()] {
            if (self->waiting()) self->close_now();
        });
    }

private:
    // With server_.mutex held.
    void forget_unproven() {
        server_.unproven.erase(listed);
        auto count = server_.unproven_by_peer.find(peer_);
        if (count != server_.unproven_by_peer.end() && --count->second == 0) server_.unproven_by_peer.erase(count);
    }

    void become_proven() {
        std::lock_guard lock(server_.mutex);
        if (proven_) return;
        forget_unproven();
        proven_ = true;
    }

    void close_now() {
        waiting_ = false;
        closed_ = true;
        error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    // Keep-alive: the next request has `keep_alive_timeout` to begin, then the whole deadline to arrive.
    void wait_for_next() {
        if (server_.stopping) return close_now();
        if (buffer_.size() > 0) {  // pipelined: already begun
            stream_.expires_after(limits_.request_deadline);
            return read_head();
        }
        if (buffer_.capacity() > 16 * 1024) buffer_.shrink_to_fit();  // an idle connection stays small
        waiting_ = true;
        stream_.expires_after(limits_.keep_alive_timeout);
        stream_.async_read_some(buffer_.prepare(4096),
                                [self = shared_from_this()](error_code ec, std::size_t bytes) {
                                    if (ec) return self->close_now();
                                    self->buffer_.commit(bytes);
                                    self->stream_.expires_after(self->limits_.request_deadline);
                                    self->read_head();
                                });
    }

    void read_head() {
        if (server_.stopping) return close_now();
        request_ = Request{};
        route_ = nullptr;
        parser_.emplace(limits_, request_);
        waiting_ = true;
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 [self = shared_from_this()](error_code ec, std::size_t) { self->on_head(ec); });
    }

    void on_head(error_code ec) {
        if (closed_) return;  // evicted after the head arrived, before this ran: the client was told nothing
        if (ec) return on_head_error(ec);
        waiting_ = false;
        request_.started = std::chrono::steady_clock::now();
        request_.remote_addr = peer_;
        complete_head(request_, *parser_);
        auto decided = decide_head(request_, *parser_, server_.routes);
        if (auto* refusal = std::get_if<Response>(&decided)) return refuse_before_body(std::move(*refusal));
        route_ = std::get<const Route*>(decided);
        const Admission admission = admission_for(*route_, *parser_, request_);
        if (admission == Admission::None) return read_body();
        // A body already on its way and within the shared budget is read first and admitted with its
        // handler, in one trip to a handler thread; otherwise the head is admitted before a byte is read.
        if (admission == Admission::WithHandler &&
            (parser_->is_done() || take_budget(*request_.content_length))) {
            admit_with_handler_ = true;
            return read_body();
        }
        // The admission may read the store: a handler thread decides, the connection waits without a read.
        server_.workers.enqueue([self = shared_from_this(), work = net::make_work_guard(stream_.get_executor())] {
            auto refusal = std::make_shared<std::optional<Response>>(admit_head(*self->route_, self->request_));
            net::post(self->stream_.get_executor(), [self, refusal] {
                if (!*refusal) return self->read_body();
                self->refuse_before_body(std::move(**refusal));
            });
        });
    }

    void on_head_error(error_code ec) {
        if (ec == beast::error::timeout) {
            if (!parser_->got_some() && buffer_.size() == 0) return close_now();
            return answer(error_response(408, "the request did not arrive in time", true));
        }
        auto refusal = refuse_head(ec, parser_->problem, limits_);
        if (!refusal) return close_now();
        answer(std::move(*refusal));
    }

    // An answer decided before the body was read: a small body is read and dropped to keep the connection;
    // a large, chunked or not-yet-sent one (Expect: 100-continue) ends it instead.
    void refuse_before_body(Response response) {
        if (plan_refusal(response, *parser_, request_) == RefusalPlan::AnswerNow) return answer(std::move(response));
        waiting_ = true;
        auto held = std::make_shared<Response>(std::move(response));
        bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this(), held](error_code ec, std::size_t) {
            if (ec) held->close = true;
            self->answer(std::move(*held));
        });
    }

    void read_body() {
        if (parser_->is_done()) return dispatch();
        prepare_body(*parser_, request_, *route_);
        if (request_.content_length) {
            // Read in large pieces: a small buffer left by the last request would split the body into many reads.
            buffer_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*request_.content_length, kReadBufferBytes)));
        }
        waiting_ = true;
        auto read = [self = shared_from_this()] {
            bhttp::async_read(self->stream_, self->buffer_, *self->parser_,
                              [self](error_code ec, std::size_t) { self->on_body(ec); });
        };
        if (!parser_->expects_continue) return read();
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                         [self = shared_from_this(), read](error_code ec, std::size_t) {
                             if (ec) return self->close_now();
                             read();
                         });
    }

    void on_body(error_code ec) {
        if (!ec) return dispatch();
        auto refusal = refuse_body(ec, *parser_, *route_);
        if (!refusal) return close_now();
        answer(std::move(*refusal));
    }

    void dispatch() {
        // A read can complete just before an eviction closes the connection: a request nobody can be told
        // about must not be handled (a kiosk would resend a batch the hub had stored).
        if (closed_) return;
        waiting_ = false;
        // Counted as the loop's work while a handler has it: a stopping server still writes its answer.
        server_.workers.enqueue([self = shared_from_this(), work = net::make_work_guard(stream_.get_executor())] {
            self->prepare_answer(respond(*self->route_, self->request_, *self->parser_, self->admit_with_handler_));
            if (self->streaming_) {
                const bool complete = self->send_stream();
                net::post(self->stream_.get_executor(), [self, complete] {
                    if (complete) return self->finish_answer(self->head_.size());
                    if (self->server_.logger) self->server_.logger(self->request_, self->response_);
                    self->response_ = Response{};
                    self->close_now();
                });
                return;
            }
            const std::size_t sent = self->send_now();
            net::post(self->stream_.get_executor(), [self, sent] { self->finish_answer(sent); });
        });
    }

    // Bodies read before their admission share one budget, so strangers cannot make the hub hold many.
    bool take_budget(std::uint64_t bytes) {
        std::size_t held = server_.unadmitted_bytes.load();
        do {
            if (bytes > server_.limits.max_unadmitted_body_bytes - std::min(held, server_.limits.max_unadmitted_body_bytes)) {
                return false;
            }
        } while (!server_.unadmitted_bytes.compare_exchange_weak(held, held + bytes));
        budget_ = bytes;
        return true;
    }

    void release_budget() {
        if (budget_ != 0) server_.unadmitted_bytes -= budget_;
        budget_ = 0;
    }

    void answer(Response response) {
        prepare_answer(std::move(response));
        finish_answer(0);
    }

    // Sets response_, head_ and keep_. Runs on the strand, or on the handler thread while the strand
    // has nothing of this connection's to run (no read, no write, no timer wait is pending then).
    void prepare_answer(Response response) {
        waiting_ = false;
        release_budget();
        admit_with_handler_ = false;
        response_ = std::move(response);
        ++served_;
        keep_ = keeps_alive(response_, parser_ ? &*parser_ : nullptr) && served_ < limits_.keep_alive_max_requests &&
                !server_.stopping;
        if (response_.proven && !proven_) become_proven();

        const int status = response_.status;
        head_.clear();
        head_ += "HTTP/1.1 " + std::to_string(status) + " ";
        const auto reason = bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(status)));
        head_.append(reason.data(), reason.size());
        head_ += "\r\n";
        for (const Field& field : response_.headers) {
            if (iequals(field.name, "Content-Length") || iequals(field.name, "Connection")) continue;
            head_ += field.name + ": " + field.value + "\r\n";
        }
        const bool bodiless = status == 204 || status == 304 || status < 200;
        const bool streamed = !bodiless && response_.stream;
        if (streamed) {
            head_ += "Transfer-Encoding: chunked\r\n";
        } else if (!bodiless) {
            head_ += "Content-Length: " + std::to_string(response_.body.size()) + "\r\n";
        }
        if (!keep_) head_ += "Connection: close\r\n";
        head_ += "\r\n";
        body_bytes_ = !bodiless && !streamed && request_.method != "HEAD" ? response_.body.size() : 0;
        streaming_ = streamed && request_.method != "HEAD";
    }

    // On the handler thread, for a streamed answer: the head, the producer's bytes in chunks, the last chunk.
    // False when the client went away or the producer failed: the connection must end then.
    bool send_stream() {
        streaming_ = false;
        if (!send_all(head_)) return false;
        // Chunks of about this size: fewer system calls than one per row, little memory per download.
        constexpr std::size_t kChunkBytes = 64 * 1024;
        std::string pending;
        pending.reserve(kChunkBytes);
        bool client_gone = false;
        const auto send_chunk = [&] {
            if (pending.empty()) return true;
            char size[24];
            const int length = std::snprintf(size, sizeof size, "%zx\r\n", pending.size());
            pending += "\r\n";
            const bool sent = send_all(std::string_view(size, static_cast<std::size_t>(length))) && send_all(pending);
            pending.clear();
            return sent;
        };
        const Response::BodyWriter write = [&](std::string_view bytes) {
            if (client_gone || server_.stopping) return false;
            pending.append(bytes);
            if (pending.size() >= kChunkBytes && !send_chunk()) client_gone = true;
            return !client_gone;
        };
        const bool produced = response_.stream(write);
        return produced && !client_gone && send_chunk() && send_all("0\r\n\r\n");
    }

    // On the handler thread (the strand has nothing of this connection's pending): all of `bytes`, waiting
    // for room in the socket's buffer at most write_timeout each time.
    bool send_all(std::string_view bytes) {
        const int socket = stream_.socket().native_handle();
        const int timeout_ms = static_cast<int>(limits_.write_timeout.count());
        while (!bytes.empty()) {
            const ssize_t sent = ::send(socket, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
            if (sent > 0) {
                bytes.remove_prefix(static_cast<std::size_t>(sent));
                continue;
            }
            if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
            pollfd room{socket, POLLOUT, 0};
            const int ready = ::poll(&room, 1, timeout_ms);
            if (ready == 0 || (ready < 0 && errno != EINTR)) return false;
        }
        return true;
    }

    // On the handler thread: as much of the answer as the socket takes now, without waiting, so that the
    // client has it without another trip through the loop. Returns the bytes sent.
    std::size_t send_now() {
        iovec parts[2] = {{head_.data(), head_.size()}, {response_.body.data(), body_bytes_}};
        msghdr message{};
        message.msg_iov = parts;
        message.msg_iovlen = 2;
        const ssize_t sent = ::sendmsg(stream_.socket().native_handle(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        return sent > 0 ? static_cast<std::size_t>(sent) : 0;
    }

    // On the strand: writes what send_now() left, then serves the next request or closes.
    void finish_answer(std::size_t already_sent) {
        const std::size_t head_left = already_sent >= head_.size() ? 0 : head_.size() - already_sent;
        const std::size_t body_sent = already_sent >= head_.size() ? already_sent - head_.size() : 0;
        const std::array<net::const_buffer, 2> buffers{
            net::const_buffer(head_.data() + (head_.size() - head_left), head_left),
            net::const_buffer(response_.body.data() + body_sent, body_bytes_ - body_sent)};
        const auto done = [self = shared_from_this()](error_code ec, std::size_t) {
            if (self->server_.logger) self->server_.logger(self->request_, self->response_);
            self->response_ = Response{};
            if (ec) return self->close_now();
            if (!self->keep_) return self->server_.stopping ? self->close_now() : self->linger();
            self->wait_for_next();
        };
        if (head_left == 0 && body_sent == body_bytes_) return done(error_code{}, 0);
        stream_.expires_after(limits_.write_timeout);
        net::async_write(stream_, buffers, done);
    }

    // Half-closes, then reads and drops what the client still sends, briefly, so that it sees our answer.
    void linger() {
        error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        buffer_.consume(buffer_.size());
        stream_.expires_after(kLingerTime);
        drain_for_linger(0);
    }

    void drain_for_linger(std::size_t dropped) {
        if (dropped > kLingerBytes) return close_now();
        stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this(), dropped](error_code ec, std::size_t bytes) {
            if (ec) return self->close_now();
            self->buffer_.consume(self->buffer_.size());
            self->drain_for_linger(dropped + bytes);
        });
    }

    beast::tcp_stream stream_;
    HttpServer::Impl& server_;
    const Limits& limits_;
    const std::string peer_;
    beast::flat_buffer buffer_;
    std::optional<RequestParser> parser_;
    Request request_;
    const Route* route_ = nullptr;
    Response response_;
    std::string head_;
    std::size_t served_ = 0;
    std::size_t body_bytes_ = 0;  // of response_.body, to send (none for HEAD, 204, 304)
    bool keep_ = false;           // serve another request on this connection after the answer
    bool streaming_ = false;      // response_.stream writes the body (send_stream), not response_.body
    std::uint64_t budget_ = 0;    // of server_.unadmitted_bytes, held until the answer
    bool admit_with_handler_ = false;
    bool proven_ = false;  // guarded by server_.mutex for the table's sake; changed only on this strand
    std::atomic<bool> waiting_{false};
    bool closed_ = false;  // by close_now(), on the strand
};

// A short answer written straight to a socket about to be closed (best effort: it never blocks).
void refuse_socket(tcp::socket& socket, std::string_view message) {
    const std::string body = error_response(503, message, true).body;
    const std::string answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
                               "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    error_code ignored;
    socket.non_blocking(true, ignored);
    socket.write_some(net::buffer(answer), ignored);
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
}

}  // namespace

void HttpServer::Impl::accept() {
    acceptor.async_accept(net::make_strand(io), [this](error_code ec, tcp::socket socket) {
        if (stopping || !acceptor.is_open()) return;
        if (ec) {
            // Out of descriptors (or another transient failure): try again shortly rather than spin.
            retry_timer.expires_after(std::chrono::milliseconds(50));
            retry_timer.async_wait([this](error_code) { accept(); });
            return;
        }
        take_connection(std::move(socket));
        accept();
    });
}

void HttpServer::Impl::begin_shutdown() {
    error_code ignored;
    acceptor.close(ignored);
    retry_timer.cancel();
    std::vector<std::shared_ptr<Connection>> open_now;
    {
        std::lock_guard lock(mutex);
        for (const auto& weak : everyone) {
            if (auto connection = weak.lock()) open_now.push_back(std::move(connection));
        }
    }
    for (const auto& connection : open_now) connection->evict();
}

void HttpServer::Impl::take_connection(tcp::socket socket) {
    error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) return;
    socket.set_option(tcp::no_delay(true), ec);  // small answers must not wait for a delayed ACK
    std::string peer = endpoint.address().to_string();

    std::shared_ptr<Connection> connection;
    std::shared_ptr<Connection> evicted;
    const char* refusal = nullptr;
    bool connection_refused_for_address = false;
    {
        std::lock_guard lock(mutex);
        const auto mine = unproven_by_peer.find(peer);
        if (mine != unproven_by_peer.end() && mine->second >= limits.max_unproven_per_peer) {
            refusal = "too many connections from your address are still waiting to send a request";
            connection_refused_for_address = true;
        } else if (open >= limits.max_connections || unproven.size() >= limits.max_unproven_connections) {
            // Room for the newcomer comes from the oldest connection that is only waiting for its client.
            std::size_t looked = 0;
            for (auto it = unproven.begin(); it != unproven.end() && looked < 256; ++it, ++looked) {
                auto candidate = it->lock();
                if (candidate && candidate->waiting()) {
                    evicted = std::move(candidate);
                    break;
                }
            }
            if (!evicted) refusal = "the hub has no room for another connection right now";
        }
        if (refusal == nullptr) {
            connection = std::make_shared<Connection>(std::move(socket), *this, peer);
            ++open;
            ++unproven_by_peer[peer];
            connection->listed = unproven.insert(unproven.end(), connection);
            connection->registered = everyone.insert(everyone.end(), connection);
        }
    }
    if (refusal != nullptr) {
        (connection_refused_for_address ? refused_per_address : refused_full).fetch_add(1, std::memory_order_relaxed);
        return refuse_socket(socket, refusal);
    }
    if (evicted) {
        evicted_idle.fetch_add(1, std::memory_order_relaxed);
        evicted->evict();
    }
    connection->start();
}

// --- Request and Response ------------------------------------------------------------------------------------

bool Request::has_header(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(), [&](const Field& field) { return iequals(field.name, name); });
}

std::string Request::get_header_value(std::string_view name) const {
    for (const Field& field : headers) {
        if (iequals(field.name, name)) return std::string(trim(field.value));
    }
    return {};
}

bool Request::has_param(std::string_view name) const {
    return std::any_of(params.begin(), params.end(), [&](const auto& param) { return param.first == name; });
}

std::string Request::get_param_value(std::string_view name) const {
    for (const auto& [key, value] : params) {
        if (key == name) return value;
    }
    return {};
}

void Response::set_header(std::string name, std::string value) {
    // CR or LF in a value would split the answer (header injection).
    if (name.find_first_of("\r\n") != std::string::npos || value.find_first_of("\r\n") != std::string::npos) return;
    headers.push_back({std::move(name), std::move(value)});
}

void Response::set_content(std::string content, std::string_view content_type) {
    body = std::move(content);
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [](const Field& field) { return iequals(field.name, "Content-Type"); }),
                  headers.end());
    headers.push_back({"Content-Type", std::string(content_type)});
}

std::string Response::get_header_value(std::string_view name) const {
    for (const Field& field : headers) {
        if (iequals(field.name, name)) return field.value;
    }
    return {};
}

// --- HttpServer ----------------------------------------------------------------------------------------------

HttpServer::HttpServer(std::vector<Route> routes, Limits limits, Logger logger)
    : impl_(std::make_shared<Impl>(std::move(routes), limits, std::move(logger))) {}

const std::vector<Route>& HttpServer::routes() const { return impl_->routes; }
const Limits& HttpServer::limits() const { return impl_->limits; }
const HttpServer::Logger& HttpServer::logger() const { return impl_->logger; }

DoorCounts HttpServer::door_counts() const {
    return DoorCounts{impl_->refused_per_address.load(), impl_->refused_full.load(), impl_->evicted_idle.load()};
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::bind(const std::string& host, int port) {
    error_code ec;
    tcp::resolver resolver(impl_->io);
    const auto found = resolver.resolve(host, std::to_string(port), tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || found.empty()) {
        return make_error(ErrorCode::InvalidArgument, "cannot resolve '" + host + "': " + ec.message());
    }
    const tcp::endpoint endpoint = found.begin()->endpoint();
    tcp::acceptor& acceptor = impl_->acceptor;
    // SO_REUSEADDR only (no SO_REUSEPORT): a second hub on the same port must fail, not split the traffic.
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        error_code ignored;
        acceptor.close(ignored);
        return make_error(ErrorCode::Unavailable, ec.message());
    }
    return static_cast<int>(acceptor.local_endpoint().port());
}

Status HttpServer::run() {
    Impl& impl = *impl_;
    if (impl.stopping || !impl.acceptor.is_open()) return Ok{};
    impl.accept();
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < std::max<std::size_t>(impl.limits.io_threads, 1); ++i) {
        threads.emplace_back([&impl] { impl.io.run(); });
    }
    impl.io.run();
    for (auto& thread : threads) thread.join();
    error_code ignored;
    impl.acceptor.close(ignored);  // the port is free again once run() returns
    return Ok{};
}

void HttpServer::stop() { impl_->stop(); }

// --- Content-Encoding ----------------------------------------------------------------------------------------

Result<DecodedBody> decode_content(Request& request, std::size_t max_bytes) {
    const std::string encoding = request.get_header_value("Content-Encoding");
    if (encoding.empty() || iequals(encoding, "identity")) {
        DecodedBody decoded;
        decoded.too_large = request.body.size() > max_bytes;
        if (!decoded.too_large) decoded.bytes = std::move(request.body);
        return decoded;
    }
    if (!iequals(encoding, "gzip") && !iequals(encoding, "x-gzip") && !iequals(encoding, "deflate")) {
        return make_error(ErrorCode::Unsupported, "Content-Encoding '" + encoding + "' is not supported");
    }
    z_stream stream{};
    if (inflateInit2(&stream, 15 + 32) != Z_OK) {  // +32: gzip or zlib, told apart by the header
        return make_error(ErrorCode::Internal, "zlib could not start");
    }
    struct End {
        z_stream& stream;
        ~End() { inflateEnd(&stream); }
    } end{stream};
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(request.body.data()));
    stream.avail_in = static_cast<uInt>(request.body.size());
    DecodedBody decoded;
    decoded.bytes.reserve(std::min<std::size_t>(max_bytes, request.body.size() * 4) + 64);
    std::array<char, 64 * 1024> chunk{};
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
        stream.avail_out = static_cast<uInt>(chunk.size());
        rc = inflate(&stream, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            return make_error(ErrorCode::InvalidArgument, "its " + encoding + " encoding is corrupt");
        }
        const std::size_t produced = chunk.size() - stream.avail_out;
        if (decoded.bytes.size() + produced > max_bytes) {
            decoded.too_large = true;  // the rest is never inflated
            return decoded;
        }
        decoded.bytes.append(chunk.data(), produced);
        if (rc == Z_OK && stream.avail_in == 0 && produced < chunk.size()) {
            return make_error(ErrorCode::InvalidArgument, "its " + encoding + " encoding is cut short");
        }
    }
    return decoded;
}

}  // namespace truthpoint::hub::http
