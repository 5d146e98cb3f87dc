// The request path's parser and decisions (see http_request.hpp), apart from any socket.
#include "http_request.hpp"

#include <algorithm>
#include <cctype>
#include <exception>

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>
#include <zlib.h>

namespace truthpoint::hub::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string too_large(const Route& route) {
    const std::size_t limit = route.max_body_bytes;
    const std::string size = limit % (1024 * 1024) == 0 ? std::to_string(limit / (1024 * 1024)) + " MiB"
                             : limit % 1024 == 0       ? std::to_string(limit / 1024) + " KiB"
                                                       : std::to_string(limit) + " bytes";
    return "the request body is larger than " + size + ", the most this endpoint takes";
}

Response internal_error(bool close) {
    return error_response(500, "internal error in the hub; the operator's log has the details", close);
}

bool compressible(std::string_view content_type) {
    const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
    return type.substr(0, 5) == "text/" || type == "application/json" || type == "application/javascript" ||
           type == "image/svg+xml" || type == "application/xml";
}

// Whether the client takes gzip: "gzip" or "*" listed without q=0.
bool accepts_gzip(std::string_view header) {
    while (!header.empty()) {
        const auto end = header.find(',');
        std::string_view item = trim(header.substr(0, end));
        header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
        const auto semicolon = item.find(';');
        const std::string_view coding = trim(item.substr(0, semicolon));
        if (!iequals(coding, "gzip") && coding != "*") continue;
        if (semicolon == std::string_view::npos) return true;
        std::string_view parameter = trim(item.substr(semicolon + 1));
        if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
            parameter.remove_prefix(2);
            return parameter.find_first_not_of("0.") != std::string_view::npos;  // q=0, q=0.0, q=0.000: refused
        }
        return true;
    }
    return false;
}

std::optional<std::string> gzip_of(const std::string& data) {
    z_stream stream{};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END) return {};
    return out;
}

// A text answer is gzipped for a client that takes it. Either way it says that it varies with
// Accept-Encoding, so that a cache never serves one encoding under the other's ETag.
void compress_for(const Request& request, Response& response) {
    const std::string type = response.get_header_value("Content-Type");
    if (!compressible(type) || response.body.empty()) return;
    response.set_header("Vary", "Accept-Encoding");
    // Below this, gzip saves nothing worth a deflate state (a batch's answer is a few dozen bytes).
    constexpr std::size_t kWorthCompressing = 256;
    if (response.body.size() < kWorthCompressing || !response.get_header_value("Content-Encoding").empty()) return;
    if (!accepts_gzip(request.get_header_value("Accept-Encoding"))) return;
    if (auto zipped = gzip_of(response.body)) {
        response.body = std::move(*zipped);
        response.set_header("Content-Encoding", "gzip");
    }
}

}  // namespace

// --- Text helpers --------------------------------------------------------------------------------------------

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
            hex_digit(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2])));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

void parse_params(std::string_view text, std::vector<std::pair<std::string, std::string>>& params) {
    while (!text.empty()) {
        const auto end = text.find('&');
        const std::string_view pair = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (pair.empty()) continue;
        const auto equals = pair.find('=');
        params.emplace_back(percent_decode(pair.substr(0, equals), true),
                            equals == std::string_view::npos ? std::string{} : percent_decode(pair.substr(equals + 1), true));
    }
}

Response error_response(int status, std::string_view message, bool close) {
    Response response;
    response.status = status;
    // The message may quote what the client sent (a percent-decoded path, a header's value), which need not be
    // UTF-8: such bytes become U+FFFD, where a plain dump() would throw on the connection's strand.
    response.set_content(nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         "application/json");
    response.close = close;
    return response;
}

// --- RequestParser -------------------------------------------------------------------------------------------

RequestParser::RequestParser(const Limits& limits, Request& request) : limits_(limits), request_(request) {
    header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_head_bytes, UINT32_MAX)));
    body_limit(boost::none);  // ours, per route: set_body_limit
}

void RequestParser::on_request_impl(bhttp::verb, string_view method, string_view target, int, error_code& ec) {
    if (target.size() > limits_.max_target_bytes) {
        problem = HeadProblem::TargetTooLong;
        ec = bhttp::error::bad_target;
        return;
    }
    request_.method.assign(method.data(), method.size());
    request_.target.assign(target.data(), target.size());
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) { ec = bhttp::error::bad_version; }

void RequestParser::on_field_impl(bhttp::field name, string_view name_text, string_view value, error_code& ec) {
    if (++fields_ > limits_.max_header_fields) {
        problem = HeadProblem::TooManyFields;
        ec = bhttp::error::header_limit;
        return;
    }
    const std::string_view value_view(value.data(), value.size());
    if (name == bhttp::field::transfer_encoding) transfer_encoding_ = true;
    if (name == bhttp::field::expect && iequals(trim(value_view), "100-continue")) expects_continue = true;
    if (name == bhttp::field::content_type) {
        form = iequals(trim(value_view.substr(0, value_view.find(';'))), "application/x-www-form-urlencoded");
    }
    request_.headers.push_back({std::string(name_text.data(), name_text.size()), std::string(value_view)});
}

void RequestParser::on_header_impl(error_code& ec) {
    // RFC 9112 6.3: a request whose Transfer-Encoding does not end in chunked has no knowable length.
    if (transfer_encoding_ && !chunked()) {
        problem = HeadProblem::UnknownTransferEncoding;
        ec = bhttp::error::bad_transfer_encoding;
    }
}

std::size_t RequestParser::take(string_view data, error_code& ec) {
    received_ += data.size();
    if (received_ > body_max_) {
        over_body_limit = true;
        ec = bhttp::error::body_limit;
        return 0;
    }
    if (!discarding_) request_.body.append(data.data(), data.size());
    return data.size();
}

// --- Decisions -----------------------------------------------------------------------------------------------

std::optional<Response> refuse_head(const error_code& ec, HeadProblem problem, const Limits& limits) {
    namespace net = boost::asio;
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::bad_descriptor) {
        return std::nullopt;
    }
    switch (problem) {
        case HeadProblem::TooManyFields:
            return error_response(431, "too many header fields (at most " + std::to_string(limits.max_header_fields) + ")",
                                  true);
        case HeadProblem::TargetTooLong:
            return error_response(414, "the request target is longer than " + std::to_string(limits.max_target_bytes) +
                                           " bytes", true);
        case HeadProblem::UnknownTransferEncoding:
            return error_response(400, "a Transfer-Encoding other than chunked is not accepted", true);
        case HeadProblem::None: break;
    }
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
        return error_response(431, "the request line and headers are larger than " +
                                       std::to_string(limits.max_head_bytes) + " bytes", true);
    }
    if (ec == bhttp::error::multiple_content_length) {
        return error_response(400, "the request has several Content-Length values that differ", true);
    }
    return error_response(400, "the request is not valid HTTP/1.1 (" + ec.message() + ")", true);
}

void complete_head(Request& request, const RequestParser& parser) {
    const std::string_view target = request.target;
    const auto question = target.find('?');
    request.path = percent_decode(target.substr(0, question), false);
    if (question != std::string_view::npos) parse_params(target.substr(question + 1), request.params);
    if (const auto length = parser.content_length()) request.content_length = *length;
}

bool path_matches(std::string_view pattern, std::string_view path) {
    for (;;) {
        const auto pattern_end = pattern.find('/');
        const auto path_end = path.find('/');
        const std::string_view wanted = pattern.substr(0, pattern_end);
        const std::string_view segment = path.substr(0, path_end);
        const bool any = wanted.size() > 2 && wanted.front() == '{' && wanted.back() == '}';
        if (any ? segment.empty() : wanted != segment) return false;
        if (pattern_end == std::string_view::npos || path_end == std::string_view::npos) {
            return pattern_end == path_end;
        }
        pattern.remove_prefix(pattern_end + 1);
        path.remove_prefix(path_end + 1);
    }
}

const Route* find_route(const std::vector<Route>& routes, const std::string& method, const std::string& path) {
    const std::string& wanted = method == "HEAD" ? std::string("GET") : method;
    for (const Route& route : routes) {
        if (route.method == wanted && path_matches(route.path, path)) return &route;
    }
    return nullptr;
}

std::variant<const Route*, Response> decide_head(const Request& request, const RequestParser& parser,
                                                 const std::vector<Route>& routes) {
    const bool has_body = !parser.is_done();
    const bool framed = parser.chunked() || parser.content_length().has_value();
    const std::string& method = request.method;
    if (!framed && (method == "POST" || method == "PUT" || method == "PATCH")) {
        // Without a length the end of the body is unknowable: answer now instead of waiting for it.
        return error_response(411, "a " + method + " needs a Content-Length (or chunked encoding)", true);
    }
    const Route* route = find_route(routes, method, request.path);
    if (route == nullptr) {
        return error_response(
            404, "no such endpoint: " + method + " " + request.path + " (see docs/openapi.yaml for the hub's API)", false);
    }
    if (has_body && request.content_length && *request.content_length > route->max_body_bytes) {
        return error_response(413, too_large(*route), true);
    }
    if (has_body && !route->decodes_content) {
        const std::string encoding = request.get_header_value("Content-Encoding");
        if (!encoding.empty() && !iequals(encoding, "identity")) {
            return error_response(
                415, "this endpoint takes no Content-Encoding ('" + encoding + "'): send the body as it is", true);
        }
    }
    return route;
}

Admission admission_for(const Route& route, const RequestParser& parser, const Request& request) {
    if (!route.admit) return Admission::None;
    const bool has_body = !parser.is_done();
    if (!parser.expects_continue && (!has_body || request.content_length)) return Admission::WithHandler;
    return Admission::BeforeBody;
}

std::optional<Response> admit_head(const Route& route, Request& request) {
    Response response;
    try {
        if (route.admit(request, response)) return std::nullopt;
    } catch (const std::exception&) {
        return internal_error(true);
    }
    return response;
}

RefusalPlan plan_refusal(Response& response, RequestParser& parser, const Request& request) {
    if (parser.is_done()) return RefusalPlan::AnswerNow;
    if (!response.close && !parser.expects_continue && request.content_length && *request.content_length <= kDrainBytes) {
        parser.discard_body();
        parser.set_body_limit(kDrainBytes);
        return RefusalPlan::DrainThenAnswer;
    }
    response.close = true;
    return RefusalPlan::AnswerNow;
}

void prepare_body(RequestParser& parser, Request& request, const Route& route) {
    parser.set_body_limit(route.max_body_bytes);
    // The slack lets a JSON parser pad the body in place (simdjson wants 64 bytes) without a copy.
    if (request.content_length) request.body.reserve(*request.content_length + 64);
}

std::optional<Response> refuse_body(const error_code& ec, const RequestParser& parser, const Route& route) {
    namespace net = boost::asio;
    if (parser.over_body_limit) return error_response(413, too_large(route), true);
    if (ec == beast::error::timeout) return error_response(408, "the request body did not arrive in time", true);
    if (ec == bhttp::error::partial_message || ec == net::error::eof || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset) {
        return std::nullopt;
    }
    return error_response(400, "the request body is not valid HTTP/1.1 framing (" + ec.message() + ")", true);
}

Response respond(const Route& route, Request& request, const RequestParser& parser, bool admit_first) {
    if (parser.form) parse_params(request.body, request.params);
    Response response;
    try {
        if (!admit_first || route.admit(request, response)) route.handle(request, response);
    } catch (const std::exception&) {
        response = internal_error(false);
    }
    compress_for(request, response);
    return response;
}

bool keeps_alive(Response& response, const RequestParser* parser) {
    if (iequals(response.get_header_value("Connection"), "close")) response.close = true;
    return !response.close && parser != nullptr && parser->is_header_done() && parser->keep_alive();
}

}  // namespace truthpoint::hub::http
