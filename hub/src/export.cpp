// CSV and NDJSON export of stored events, streamed row by row (no whole-table buffer).
#include "truthpoint/hub/export.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "local_time.hpp"

namespace truthpoint::hub {
namespace {

// Ids that reach a header and a file name: the hub's plain id alphabet (as `kiosk add` enforces).
bool plain_id(std::string_view text) {
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.';
    });
}

std::string file_name_part(std::string_view text) {
    std::string part(text.substr(0, 64));
    for (char& c : part) {
        if (!plain_id(std::string_view(&c, 1))) c = '_';
    }
    return part;
}

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view name) {
    if (name == "csv") return ExportFormat::Csv;
    if (name == "ndjson") return ExportFormat::Ndjson;
    return std::nullopt;
}

std::string csv_field(std::string_view text) {
    // A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection"):
    // a leading apostrophe makes it text, and the cell is quoted so the apostrophe stays part of it.
    const bool formula = !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
    if (!formula && text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string quoted = formula ? "\"'" : "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

nlohmann::json stored_event_to_json(const StoredEvent& event) {
    nlohmann::json json = {
        {"id", event.id},
        {"type", event.type},
        {"occurred_at", event.occurred_at},
        {"received_at", event.received_at},
        {"kiosk_id", event.kiosk_id},
        {"store_id", event.store_id},
        {"session_id", event.session_id},
        {"locale", event.locale},
        {"data", nlohmann::json::parse(event.data, nullptr, /*allow_exceptions=*/false)},
        {"verified_purchase", event.verified_purchase},
    };
    if (!event.sku.empty()) json["sku"] = event.sku;
    return json;
}

Result<std::size_t> export_events(Store& store, ExportFormat format, const EventFilter& filter, std::ostream& out) {
    std::size_t written = 0;
    // RFC 4180 asks for CRLF line ends; spreadsheets and csv readers accept them everywhere.
    if (format == ExportFormat::Csv) out << kCsvHeader << "\r\n";
    auto status = store.for_each_event(filter, [&](const StoredEvent& event) {
        if (format == ExportFormat::Csv) {
            out << csv_field(event.id) << ',' << csv_field(event.type) << ',' << csv_field(event.occurred_at) << ','
                << csv_field(event.received_at) << ',' << csv_field(event.kiosk_id) << ','
                << csv_field(event.store_id) << ',' << csv_field(event.session_id) << ','
                << csv_field(event.locale) << ',' << csv_field(event.sku) << ',' << csv_field(event.data) << ','
                << (event.verified_purchase ? "true" : "false") << "\r\n";
        } else {
            out << stored_event_to_json(event).dump() << '\n';
        }
        ++written;
        return static_cast<bool>(out);  // stop reading when stdout is gone
    });
    out.flush();
    if (!status) return status.error();
    if (!out) return make_error(ErrorCode::Unavailable, "could not write the export (is the output closed or full?)");
    return written;
}

}  // namespace truthpoint::hub

namespace truthpoint::hub {

EventFilter export_filter(const DashboardFilter& filter) {
    EventFilter events;
    events.region = filter.region;
    events.store_id = filter.store_id;
    events.sku = filter.sku;
    if (!filter.from.empty()) events.from_day = filter.from;
    if (!filter.to.empty()) events.to_day = filter.to;
    events.include_misuse = filter.include_misuse;
    return events;
}

Result<ExportQuery> parse_export_query(const std::function<std::optional<std::string>(std::string_view)>& param) {
    ExportQuery query;
    const auto invalid = [](std::string_view name, const std::string& value, const std::string& why) {
        return make_error(ErrorCode::InvalidArgument, std::string(name) + ": '" + value + "' " + why);
    };
    if (auto format = param("format")) {
        const auto parsed = parse_export_format(*format);
        if (!parsed) return invalid("format", *format, "is not csv or ndjson");
        query.format = *parsed;
    }
    DashboardFilter& filter = query.filter;
    for (const auto& [name, field] : {std::pair{"region", &filter.region}, std::pair{"store", &filter.store_id}}) {
        auto value = param(name);
        if (!value || value->empty()) continue;  // an empty choice on the page means "every"
        if (!plain_id(*value)) return invalid(name, *value, "is not an id: 1 to 64 letters, digits, '-', '_' or '.'");
        *field = std::move(*value);
    }
    if (auto sku = param("sku"); sku && !sku->empty()) {
        if (sku->size() > 64) return invalid("sku", sku->substr(0, 64) + "...", "is longer than 64 characters");
        filter.sku = std::move(*sku);
    }
    for (const auto& [name, field] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
        auto value = param(name);
        if (!value || value->empty()) continue;
        if (!is_local_date(*value)) return invalid(name, value->substr(0, 32), "is not a day: write YYYY-MM-DD");
        *field = std::move(*value);
    }
    if (!filter.from.empty() && !filter.to.empty() && filter.to < filter.from) {
        return invalid("to", filter.to, "is before from ('" + filter.from + "')");
    }
    if (auto misuse = param("misuse")) {
        if (*misuse != "0" && *misuse != "1") return invalid("misuse", misuse->substr(0, 32), "is not 0 or 1");
        filter.include_misuse = *misuse == "1";
    }
    return query;
}

std::string export_file_name(const ExportQuery& query) {
    const DashboardFilter& filter = query.filter;
    std::string name = "truthpoint_" + file_name_part(filter.region.value_or("all-regions"));
    name += "_" + file_name_part(filter.store_id.value_or("all-stores"));
    name += "_" + file_name_part(filter.sku.value_or("all-products"));
    name += "_" + (filter.from.empty() ? std::string("start") : filter.from);
    name += "_" + (filter.to.empty() ? std::string("end") : filter.to);
    if (filter.include_misuse) name += "_with-misuse";
    return name + (query.format == ExportFormat::Csv ? ".csv" : ".ndjson");
}

}  // namespace truthpoint::hub
