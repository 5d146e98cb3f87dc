// The request path of the hub's HTTP server apart from its sockets: the parser that fills a Request within
// the limits, and every decision taken between the bytes of a request and its answer (which refusal a head
// gets, which route it goes on to, whether a refused body is read and dropped or the connection closed, the
// handler's answer). http_server.cpp's connections run these on their strand and handler threads;
// fuzz/fuzz_http_request.cpp runs them on bytes in memory. Private to hub/ (and its fuzz target).
//
// [SECTION] Text helpers      [SECTION] RequestParser      [SECTION] Decisions, in the order a request meets them
#pragma once

// RequestParser overrides Beast's virtual functions, whose signatures depend on this: every translation
// unit that includes this header must agree (truthpoint::hub_internal sets it with the hub's own definitions).
#ifndef BOOST_BEAST_USE_STD_STRING_VIEW
#error "http_request.hpp needs BOOST_BEAST_USE_STD_STRING_VIEW, as the hub is built: link truthpoint::hub_internal"
#endif

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/basic_parser.hpp>

#include "http_server.hpp"

namespace truthpoint::hub::http {

// A refused request whose body has not been read: up to this much of it is read and dropped so that the
// connection can serve the next request; anything larger (or chunked, or announced with Expect) ends it.
inline constexpr std::size_t kDrainBytes = 64 * 1024;
// A connection's read buffer at most: a head must fit in it (it is larger than any head limit).
inline constexpr std::size_t kReadBufferBytes = 64 * 1024;

// --- [SECTION] Text helpers ----------------------------------------------------------------------------------

bool iequals(std::string_view a, std::string_view b);  // ASCII, case-insensitive
std::string_view trim(std::string_view text);          // spaces and tabs, both ends
// "%41+b" → "A b" when `plus_is_space` (a query or form), "A+b" otherwise (a path). A '%' not followed
// by two hex digits stays as it is.
std::string percent_decode(std::string_view text, bool plus_is_space);
// "a=1&b=two" → {a: 1, b: two}, appended to `params`.
void parse_params(std::string_view text, std::vector<std::pair<std::string, std::string>>& params);
// A JSON error answer: {"error": message}.
Response error_response(int status, std::string_view message, bool close);

// --- [SECTION] RequestParser ---------------------------------------------------------------------------------

// What made a head unacceptable, beyond Beast's own error codes.
enum class HeadProblem { None, TooManyFields, TargetTooLong, UnknownTransferEncoding };

// Fills a Request while Beast parses the bytes: counts the fields (Beast bounds only their total size),
// refuses a Transfer-Encoding other than chunked, and enforces the route's body limit while reading.
// Drive it with Beast's read_header() and then read() (or their async forms), on one buffer per connection.
class RequestParser final : public boost::beast::http::basic_parser<true> {
public:
    RequestParser(const Limits& limits, Request& request);

    void set_body_limit(std::uint64_t bytes) { body_max_ = bytes; }
    void discard_body() { discarding_ = true; }

    HeadProblem problem = HeadProblem::None;
    bool over_body_limit = false;
    bool expects_continue = false;
    bool form = false;  // application/x-www-form-urlencoded

private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;

    void on_request_impl(boost::beast::http::verb, string_view method, string_view target, int,
                         error_code& ec) override;
    void on_response_impl(int, string_view, int, error_code& ec) override;
    void on_field_impl(boost::beast::http::field name, string_view name_text, string_view value,
                       error_code& ec) override;
    void on_header_impl(error_code& ec) override;
    void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
    std::size_t on_body_impl(string_view data, error_code& ec) override { return take(data, ec); }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view data, error_code& ec) override { return take(data, ec); }
    void on_finish_impl(error_code&) override {}

    std::size_t take(string_view data, error_code& ec);

    const Limits& limits_;
    Request& request_;
    std::size_t fields_ = 0;
    bool transfer_encoding_ = false;
    bool discarding_ = false;
    std::uint64_t received_ = 0;
    std::uint64_t body_max_ = UINT64_MAX;
};

// --- [SECTION] Decisions, in the order a request meets them --------------------------------------------------

// 1. The head could not be read: its refusal (431, 414, 400; every one closes the connection), or nullopt
//    when the client ended its stream or went away (nothing to answer). A timeout is the caller's to answer.
std::optional<Response> refuse_head(const boost::beast::error_code& ec, HeadProblem problem, const Limits& limits);

// 2. The head is read: the request's path (percent-decoded), its query's parameters and declared length.
void complete_head(Request& request, const RequestParser& parser);

// A route's path may hold "{name}" segments, each standing for one non-empty segment ("/api/v1/cases/{id}").
bool path_matches(std::string_view pattern, std::string_view path);
const Route* find_route(const std::vector<Route>& routes, const std::string& method, const std::string& path);

// 3. What the head alone decides, before any admission or body: the route to go on with, or its refusal
//    (411 without a framing, 404, 413 for a declared length over the route's, 415 for an encoding it does
//    not take), which goes out through plan_refusal().
std::variant<const Route*, Response> decide_head(const Request& request, const RequestParser& parser,
                                                 const std::vector<Route>& routes);

// 4. When the route's admission runs: not at all (it has none), with its handler once the body has been
//    read (none is coming, or one of known length already on its way: the caller may still admit first if
//    it cannot afford to hold it), or before a byte of the body is read or "100 Continue" sent.
enum class Admission { None, WithHandler, BeforeBody };
Admission admission_for(const Route& route, const RequestParser& parser, const Request& request);

// 4a. An admission before the body: nullopt when admitted, else the refusal (through plan_refusal()).
//     Runs on a handler thread: it may read the store.
std::optional<Response> admit_head(const Route& route, Request& request);

// 5. A refusal decided before the body was read. Answer at once when there is no body left, or when the
//    body is large, chunked or not yet sent (Expect: 100-continue) - the response then closes the connection;
//    or read and drop the body first (DrainThenAnswer: the parser is set to discard it within kDrainBytes),
//    and close after all if that read fails.
enum class RefusalPlan { AnswerNow, DrainThenAnswer };
RefusalPlan plan_refusal(Response& response, RequestParser& parser, const Request& request);

// 6. Before reading an admitted body: the route's limit on the parser, room in the request for it.
void prepare_body(RequestParser& parser, Request& request, const Route& route);

// 6a. The body could not be read: its refusal (413, 408, 400; each closes), or nullopt when the client
//     ended its stream or went away.
std::optional<Response> refuse_body(const boost::beast::error_code& ec, const RequestParser& parser, const Route& route);

// 7. The whole request is in: a form body's parameters, the admission if it was left to now, the handler
//    (an exception becomes a 500), the answer gzipped for a client that takes it. On a handler thread.
Response respond(const Route& route, Request& request, const RequestParser& parser, bool admit_first);

// 8. Whether the connection serves another request after this answer, as far as the request and answer
//    say (the caller adds its own reasons to close): not when the answer closes (or says "Connection: close",
//    which sets `close`), the head was never complete, or the client asked to close.
bool keeps_alive(Response& response, const RequestParser* parser);

}  // namespace truthpoint::hub::http
