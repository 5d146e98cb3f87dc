// `truthpoint-hub export`: stored events as CSV (RFC 4180, header row) or NDJSON, in received order.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "truthpoint/hub/dashboard_view.hpp"
#include "truthpoint/hub/result.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

enum class ExportFormat { Csv, Ndjson };

std::optional<ExportFormat> parse_export_format(std::string_view name);

// The CSV columns, in order.
inline constexpr std::string_view kCsvHeader =
    "id,type,occurred_at,received_at,kiosk_id,store_id,session_id,locale,sku,data,verified_purchase";

// An event as NDJSON export and GET /api/v1/events give it: the wire envelope plus kiosk_id, store_id,
// received_at and verified_purchase; no "sku" for events without a product.
nlohmann::json stored_event_to_json(const StoredEvent& event);

// Writes every event matching `filter`, then flushes. Returns how many were written.
Result<std::size_t> export_events(Store& store, ExportFormat format, const EventFilter& filter, std::ostream& out);

// The events a dashboard view counts: its region, store, product, local days and misuse toggle.
EventFilter export_filter(const DashboardFilter& filter);

// GET /api/v1/export's query: ?format=csv|ndjson (default csv)&region=&store=&sku=&from=&to=&misuse=1, the
// dashboard's own terms (an absent day leaves that end open). InvalidArgument whose message names the
// parameter. `param` gives a parameter's value, nullopt when absent.
struct ExportQuery {
    ExportFormat format = ExportFormat::Csv;
    DashboardFilter filter;
};
Result<ExportQuery> parse_export_query(const std::function<std::optional<std::string>(std::string_view)>& param);

// The download's file name, naming the filter: "truthpoint_north_s-042_all-products_2026-11-01_2026-11-30.csv".
std::string export_file_name(const ExportQuery& query);

// One CSV field: quoted (with doubled quotes) when it holds a comma, quote, CR or LF; a field that starts
// with '=', '+', '-', '@', tab or CR is quoted with an apostrophe in front, so a spreadsheet shows it as
// text instead of running it as a formula. NDJSON is left as sent.
std::string csv_field(std::string_view text);

}  // namespace truthpoint::hub
