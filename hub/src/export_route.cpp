// The page's export (see export_route.hpp): export_events, written through the server's chunked stream.
#include "export_route.hpp"

#include <iostream>
#include <ostream>
#include <streambuf>

#include <nlohmann/json.hpp>

#include "truthpoint/hub/export.hpp"

namespace truthpoint::hub {
namespace {

// An ostream's bytes handed to the server's writer; once the client is gone the stream goes bad, which
// stops export_events at the next row.
class WriterBuffer : public std::streambuf {
public:
    explicit WriterBuffer(const http::Response::BodyWriter& write) : write_(write) { setp(buffer_, buffer_ + sizeof buffer_); }

protected:
    int_type overflow(int_type c) override {
        if (!flush()) return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return flush() ? 0 : -1; }

private:
    bool flush() {
        const auto size = static_cast<std::size_t>(pptr() - pbase());
        setp(buffer_, buffer_ + sizeof buffer_);
        return size == 0 || write_(std::string_view(buffer_, size));
    }

    const http::Response::BodyWriter& write_;
    char buffer_[16 * 1024];
};

void send_error(http::Response& response, int status, const std::string& message) {
    response.status = status;
    response.set_content(nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         "application/json");
}

}  // namespace

void handle_export(Store& store, const std::optional<std::string>& visible_region, const http::Request& request,
                   http::Response& response) {
    auto query = parse_export_query([&](std::string_view name) -> std::optional<std::string> {
        if (!request.has_param(name)) return std::nullopt;
        return request.get_param_value(name);
    });
    if (!query) return send_error(response, 400, query.error().message);
    DashboardFilter& filter = query->filter;
    if (visible_region) {
        if (filter.region && *filter.region != *visible_region) {
            return send_error(response, 403, "region '" + *filter.region + "' is not yours: you see region '" +
                                                 *visible_region + "' only");
        }
        filter.region = visible_region;
    }
    response.status = 200;
    response.set_header("Content-Type", query->format == ExportFormat::Csv ? "text/csv; charset=utf-8"
                                                                           : "application/x-ndjson");
    response.set_header("Content-Disposition", "attachment; filename=\"" + export_file_name(*query) + "\"");
    response.set_header("Cache-Control", "no-store");
    response.set_header("X-Content-Type-Options", "nosniff");
    // Runs after this handler returned, on the same handler thread: it holds the store, which outlives the
    // server, and its own copy of the filter.
    response.stream = [&store, format = query->format, events = export_filter(filter)](const http::Response::BodyWriter& write) {
        WriterBuffer buffer(write);
        std::ostream out(&buffer);
        auto written = export_events(store, format, events, out);
        if (!written && out) {
            // The head already said 200: ending without the last chunk is how the client learns of it.
            std::cerr << nlohmann::json{{"time", core::format_rfc3339(core::now_utc())}, {"level", "error"},
                                        {"message", "export cut short: " + written.error().message}}.dump()
                      << std::endl;
        }
        return static_cast<bool>(written);
    };
}

}  // namespace truthpoint::hub
