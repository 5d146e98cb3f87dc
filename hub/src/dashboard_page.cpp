// The regional manager's dashboard page (dashboard.hpp): one server-rendered HTML page per filter, no
// scripts. Every message goes through t() with a literal English msgid: tests/hub/dashboard_page_test
// reads this file for them and checks each is in assets/i18n/dashboard/dashboard.pot and translated.
#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "locale_format.hpp"
#include "truthpoint/core/vocabulary.hpp"
#include "truthpoint/hub/dashboard.hpp"

namespace truthpoint::hub {
namespace {

// The Okabe-Ito palette: told apart with every common colour-vision deficiency. Colour never carries a
// figure alone: each bar and cell also has its number, each band its word in the legend.
constexpr const char* kBlue = "#0072B2";
constexpr const char* kSkyBlue = "#56B4E9";
constexpr const char* kOrange = "#E69F00";
constexpr const char* kVermillion = "#D55E00";
constexpr const char* kGreen = "#009E73";
constexpr const char* kReactionColours[4] = {kVermillion, kOrange, kSkyBlue, kBlue};

constexpr const char* kPageStyle = R"css(
body { font-family: "Noto Sans", "DejaVu Sans", system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f6f6f4; line-height: 1.4; }
header.top { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap;
  padding: 0.8rem 1.5rem; background: #fff; border-bottom: 1px solid #ccc; }
header.top h1 { font-size: 1.4rem; margin: 0; }
.meta { color: #555; font-size: 0.9rem; }
main { padding: 0 1.5rem 2rem; max-width: 80rem; }
nav.filter { background: #fff; border: 1px solid #ccc; padding: 0.8rem; margin: 1rem 0; }
nav.filter form { display: flex; flex-wrap: wrap; gap: 0.6rem 1rem; align-items: end; }
nav.filter label { display: flex; flex-direction: column; font-size: 0.85rem; color: #333; }
nav.filter label.check { flex-direction: row; gap: 0.3rem; align-items: center; }
select, input, button { font: inherit; padding: 0.25rem 0.4rem; }
ol.crumbs { list-style: none; padding: 0; margin: 0.7rem 0 0; display: flex; flex-wrap: wrap; gap: 0.4rem; }
ol.crumbs li + li::before { content: "\203A"; margin-inline-end: 0.4rem; color: #777; }
section { background: #fff; border: 1px solid #ccc; padding: 0.6rem 1.2rem 1rem; margin: 1rem 0; }
section h2 { font-size: 1.2rem; margin: 0.4rem 0 0.6rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem 2.5rem; }
.figure .value { font-size: 1.8rem; font-weight: bold; }
.figure .label { color: #444; font-size: 0.9rem; }
.change { font-size: 0.9rem; }
.empty { color: #555; font-style: italic; }
table { border-collapse: collapse; margin: 0.4rem 0 0.8rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: start; vertical-align: top; }
th { background: #eee; }
td.n { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar { display: inline-block; height: 0.9rem; vertical-align: middle; border: 1px solid #333; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border: 1px solid #333; vertical-align: middle; }
.columns { display: flex; flex-wrap: wrap; gap: 0 2.5rem; }
.charts { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; }
.chart { margin: 0.5rem 0 1rem; width: 36rem; max-width: 100%; }
.chart figcaption { font-weight: bold; margin-bottom: 0.2rem; }
.chart svg { width: 100%; height: auto; background: #fff; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
table.heat td { width: 2.2rem; padding: 0.1rem; text-align: center; font-size: 0.75rem; line-height: 1.1; }
table.heat td small { display: block; font-size: 0.65rem; }
table.heat th { font-size: 0.75rem; padding: 0.1rem 0.2rem; }
.heat-wrap { overflow-x: auto; }
article.comment { border-top: 1px solid #ddd; padding: 0.5rem 0; }
article.comment p { margin: 0.3rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.verified { color: #005a8c; font-weight: bold; }
tr.silent td { background: #fbe3d3; }
article.case { border-inline-start: 4px solid #b3261e; padding: 0.2rem 0.8rem; margin: 0.8rem 0; }
article.case.acknowledged { border-color: #c77700; }
article.case.closed { border-color: #2e7d32; color: #444; }
article.case h3 { margin: 0.3rem 0; font-size: 1rem; }
ol.audit { margin: 0.2rem 0; font-size: 0.9rem; }
form.case-action { margin: 0.3rem 0; }
article.review { border-inline-start: 4px solid #1f5fa8; padding: 0.2rem 0.8rem; margin: 0.8rem 0; background: #fff; }
article.review h3 { margin: 0.3rem 0; font-size: 1rem; }
article.review .rating { color: #8a5a00; letter-spacing: 0.1em; }
ul.flags { list-style: none; padding: 0; margin: 0.3rem 0; display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: baseline; }
ul.flags li.flag { background: #fde7b0; border: 1px solid #8a5a00; color: #5c3b00; padding: 0 0.4rem; font-weight: bold; }
form.review-action { display: inline-block; margin: 0.3rem 0; margin-inline-end: 1rem; }
.badge { display: inline-block; border: 1px solid #8a3a00; color: #8a3a00; padding: 0 0.3rem; font-weight: bold; }
ul.topics { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; list-style: none; padding: 0; }
a { color: #005a8c; }
a[aria-current] { font-weight: bold; color: #1b1b1b; text-decoration: none; }
form.inline { display: inline; margin: 0; }
@media print {
  body { background: #fff; font-size: 10pt; }
  nav.filter form, form.inline, .no-print, .export { display: none !important; }
  header.top { border: none; padding: 0 0 0.5rem; }
  nav.filter { border: none; padding: 0; margin: 0 0 0.5rem; }
  main { padding: 0; max-width: none; }
  section { border: none; border-top: 2px solid #333; padding: 0.3rem 0; }
  h2, h3 { break-after: avoid-page; }
  .chart, table, article.comment { break-inside: avoid; }
  .visually-hidden { position: static; width: auto; height: auto; overflow: visible; clip-path: none; white-space: normal; }
  /* Two charts a row; a day's table behind each (for screen readers) would take a page a chart on paper,
     and the export holds those numbers. */
  .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5rem 1rem; }
  .chart { width: auto; margin: 0; }
  table.chart-data { display: none; }
  a { color: inherit; text-decoration: none; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
)css";

// The query's parts, as the URL of a view holds them.
struct Query {
    std::string region, store, sku, period, from, to, pain;
    bool misuse = false;
};

std::string url_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        }
    }
    return out;
}

std::string query_string(const Query& q) {
    std::string out;
    const auto add = [&](const char* name, const std::string& value) {
        if (value.empty()) return;
        out += out.empty() ? '?' : '&';
        out += name;
        out += '=';
        out += url_encode(value);
    };
    add("region", q.region);
    add("store", q.store);
    add("sku", q.sku);
    add("period", q.period);
    if (q.period == "custom") {
        add("from", q.from);
        add("to", q.to);
    }
    if (q.misuse) add("misuse", "1");
    add("pain", q.pain);
    return out.empty() ? "?" : out;
}

template <std::size_t N>
const core::Answer* find_in(const std::array<core::Answer, N>& answers, std::string_view wire) {
    for (const auto& answer : answers) {
        if (answer.wire == wire) return &answer;
    }
    return nullptr;
}

class PageWriter {
public:
    PageWriter(const DashboardPage& page, const core::Translations& texts)
        : page_(page), texts_(texts), lang_(language_supported(page.language) ? page.language : "en") {
        const auto& f = page.filter;
        here_.region = f.region.value_or("");
        here_.store = f.store_id.value_or("");
        here_.sku = f.sku.value_or("");
        here_.period = page.period;
        here_.from = f.from;
        here_.to = f.to;
        here_.misuse = f.include_misuse;
        here_.pain = page.pain_topic.value_or("");
    }

    std::string write() {
        const bool rtl = core::is_right_to_left(lang_);
        out_ += "<!DOCTYPE html>\n<html lang=\"" + lang_ + "\" dir=\"" + (rtl ? "rtl" : "ltr") + "\">\n<head>\n";
        out_ += "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
        out_ += "<title>" + esc(t("Truthpoint dashboard")) + " · " + esc(place_title()) + "</title>\n";
        out_ += std::string("<style>") + kPageStyle + "</style>\n</head>\n<body>\n";
        header();
        out_ += "<main>\n";
        filter_nav();
        cases();
        reviews();
        fmot();
        smot();
        trends();
        heatmap();
        rankings();
        feedback();
        kiosks();
        out_ += "</main>\n</body>\n</html>\n";
        return std::move(out_);
    }

private:
    static bool language_supported(std::string_view language) {
        return std::find(kDashboardLanguages.begin(), kDashboardLanguages.end(), language) != kDashboardLanguages.end();
    }

    const std::string& t(std::string_view msgid) const { return texts_.text(lang_, msgid); }
    static std::string esc(std::string_view text) { return html_escape(text); }

    // "%s" filled in order with already formatted (localized) texts.
    std::string fill(std::string_view pattern, std::initializer_list<core::FormatArg> args) const {
        return core::format_text(pattern, lang_, args);
    }

    std::string count(std::int64_t n) const {
        auto text = format_count(lang_, n);
        return text ? text.value() : std::to_string(n);
    }
    std::string decimal(double value, int digits, bool signed_change = false) const {
        auto text = format_decimal(lang_, value, digits, signed_change);
        if (text) return text.value();
        char plain[32];
        std::snprintf(plain, sizeof plain, signed_change ? "%+.*f" : "%.*f", digits, value);
        return plain;
    }
    // Of `whole`; "–" when there is nothing to divide by, never NaN.
    std::string share(std::int64_t part, std::int64_t whole) const {
        if (whole <= 0) return "–";
        auto text = format_percent(lang_, static_cast<double>(part) / static_cast<double>(whole));
        return text ? text.value() : std::to_string(part * 100 / whole) + "%";
    }
    std::string day(std::string_view ymd, bool with_year = true) const {
        auto text = format_day(lang_, ymd, with_year);
        return text ? text.value() : std::string(ymd);
    }
    std::string optional_decimal(const std::optional<double>& value, int digits) const {
        return value && std::isfinite(*value) ? decimal(*value, digits) : "–";
    }

    std::string label_of(std::string_view wire, const core::Answer* answer) const {
        return answer != nullptr ? t(answer->label) : std::string(wire);
    }

    std::string reaction_name(std::size_t i) const {
        switch (i) {
            case 0: return t("Very unhappy");
            case 1: return t("Unhappy");
            case 2: return t("Happy");
            default: return t("Very happy");
        }
    }

    std::string store_name(const std::string& id) const {
        for (const auto& store : page_.stores) {
            if (store.id == id && !store.name.empty()) return store.name;
        }
        return id;
    }
    std::string product_name(const std::string& sku) const {
        for (const auto& product : page_.products) {
            if (product.id == sku && !product.name.empty()) return product.name;
        }
        return sku;
    }
    std::string place_title() const {
        if (!here_.sku.empty()) return product_name(here_.sku);
        if (!here_.store.empty()) return store_name(here_.store);
        if (!here_.region.empty()) return here_.region;
        return t("Every region");
    }

    std::string link(const Query& q) const { return "/" + esc(query_string(q)); }

    void empty_note() { out_ += "<p class=\"empty\">" + esc(t("No answers in this period")) + "</p>\n"; }

    void section_start(const char* id, std::string_view heading) {
        out_ += std::string("<section id=\"") + id + "\" aria-labelledby=\"" + id + "-h\">\n<h2 id=\"" + id + "-h\">" +
                esc(heading) + "</h2>\n";
    }

    void header() {
        out_ += "<header class=\"top\">\n<div><h1>" + esc(t("Truthpoint dashboard")) + "</h1>\n";
        out_ += "<div class=\"meta\">" +
                esc(fill(t("%s to %s, compared with %s to %s"),
                         {day(page_.current.from), day(page_.current.to), day(page_.previous.from),
                          day(page_.previous.to)})) +
                "</div>\n";
        out_ += "<div class=\"meta\" id=\"viewer\">" +
                esc(fill(t("Signed in as %s (%s)"),
                         {page_.viewer_name, page_.viewer_is_admin
                                                 ? t("admin, every region")
                                                 : fill(t("manager of region %s"), {page_.filter.region.value_or("")})})) + "</div></div>\n";
        // The language chooser: each language in its own name, so a reader finds theirs in any page language.
        out_ += "<div class=\"no-print\"><form class=\"inline\" method=\"post\" action=\"/language\" id=\"language-form\">"
                "<input type=\"hidden\" name=\"back\" value=\"" + link(here_) + "\">"
                "<label>" + esc(t("Language")) + " <select name=\"language\">";
        for (const auto language : kDashboardLanguages) {
            out_ += "<option value=\"" + std::string(language) + "\" lang=\"" + std::string(language) + "\"" +
                    (language == lang_ ? " selected" : "") + ">" + esc(core::native_language_name(language)) +
                    "</option>";
        }
        out_ += "</select></label> <button type=\"submit\">" + esc(t("Change language")) + "</button></form> "
                "<form class=\"inline\" method=\"post\" action=\"/logout\"><button type=\"submit\" id=\"sign-out\">" +
                esc(t("Sign out")) + "</button></form></div>\n</header>\n";
    }

    void select(const char* name, std::string_view label, std::string_view all_label,
                const std::vector<PlaceChoice>& choices, const std::string& chosen) {
        out_ += std::string("<label>") + esc(label) + " <select name=\"" + name + "\">";
        out_ += "<option value=\"\">" + esc(all_label) + "</option>";
        for (const auto& choice : choices) {
            out_ += "<option value=\"" + esc(choice.id) + "\"" + (choice.id == chosen ? " selected" : "") + ">" +
                    esc(choice.name.empty() ? choice.id : choice.name) + "</option>";
        }
        out_ += "</select></label>\n";
    }

    void filter_nav() {
        out_ += "<nav class=\"filter\" aria-label=\"" + esc(t("Filter")) + "\">\n";
        out_ += "<form method=\"get\" action=\"/\" id=\"filter\">\n";
        if (page_.viewer_is_admin) select("region", t("Region"), t("Every region"), page_.regions, here_.region);
        select("store", t("Store"), t("Every store"), page_.stores, here_.store);
        select("sku", t("Product"), t("Every product"), page_.products, here_.sku);
        out_ += "<label>" + esc(t("Period")) + " <select name=\"period\">";
        const std::pair<const char*, std::string> periods[] = {
            {"today", t("Today")}, {"7d", t("Last 7 days")}, {"30d", t("Last 30 days")}, {"custom", t("Custom")}};
        for (const auto& [value, label] : periods) {
            out_ += std::string("<option value=\"") + value + "\"" + (page_.period == value ? " selected" : "") + ">" +
                    esc(label) + "</option>";
        }
        out_ += "</select></label>\n";
        out_ += "<label>" + esc(t("From")) + " <input type=\"date\" name=\"from\" value=\"" + esc(page_.filter.from) +
                "\"></label>\n";
        out_ += "<label>" + esc(t("To")) + " <input type=\"date\" name=\"to\" value=\"" + esc(page_.filter.to) +
                "\"></label>\n";
        out_ += "<label class=\"check\"><input type=\"checkbox\" name=\"misuse\" value=\"1\"" +
                std::string(page_.filter.include_misuse ? " checked" : "") + "> " +
                esc(t("Include taps flagged as misuse")) + "</label>\n";
        out_ += "<button type=\"submit\">" + esc(t("Show")) + "</button>\n</form>\n";

        // Breadcrumbs: each level a link up, keeping the period and the misuse toggle.
        out_ += "<ol class=\"crumbs\" aria-label=\"" + esc(t("Where you are")) + "\">\n";
        Query up = here_;
        up.store.clear();
        up.sku.clear();
        up.pain.clear();
        if (page_.viewer_is_admin) {
            Query all = up;
            all.region.clear();
            crumb(t("Every region"), all, here_.region.empty() && here_.store.empty() && here_.sku.empty());
        }
        if (!here_.region.empty()) crumb(here_.region, up, here_.store.empty() && here_.sku.empty());
        if (!here_.store.empty()) {
            Query store = up;
            store.store = here_.store;
            crumb(store_name(here_.store), store, here_.sku.empty());
        }
        if (!here_.sku.empty()) crumb(product_name(here_.sku), here_, true);
        out_ += "</ol>\n";
        out_ += "<p class=\"export meta\">" + esc(t("Download these answers:")) + " <a id=\"export-csv\" href=\"" +
                export_link("csv") + "\">CSV</a> · <a id=\"export-ndjson\" href=\"" + export_link("ndjson") +
                "\">NDJSON</a></p>\n";
        out_ += "</nav>\n";
    }

    // The export of exactly this filter (the feedback's pain topic is the page's, not the export's).
    std::string export_link(const char* format) const {
        Query q = here_;
        q.pain.clear();
        const std::string rest = query_string(q);
        return esc("/api/v1/export?format=" + std::string(format) + (rest == "?" ? "" : "&" + rest.substr(1)));
    }

    void crumb(const std::string& label, const Query& q, bool current) {
        out_ += "<li><a href=\"" + link(q) + "\"" + (current ? " aria-current=\"page\"" : "") + ">" + esc(label) +
                "</a></li>\n";
    }

    // A figure with its label and, when both periods have one, its change.
    void figure(const char* id, std::string_view label, const std::string& value,
                const std::optional<double>& now = std::nullopt, const std::optional<double>& before = std::nullopt) {
        out_ += std::string("<div class=\"figure\" id=\"") + id + "\"><div class=\"value\">" + esc(value) +
                "</div><div class=\"label\">" + esc(label) + "</div>";
        if (now && before && std::isfinite(*now) && std::isfinite(*before)) {
            const double change = *now - *before;
            const char* word = change > 0.05 ? "up" : change < -0.05 ? "down" : "same";
            out_ += std::string("<div class=\"change ") + word + "\">" +
                    esc(fill(t("%s vs the previous period"), {decimal(change, 1, true)})) + "</div>";
        }
        out_ += "</div>\n";
    }

    // A row: name, count, share and a bar as long as the share (the number beside it, not colour alone).
    void bar_row(const std::string& name, std::int64_t n, std::int64_t whole, const char* colour) {
        const double width = whole > 0 ? 8.0 * static_cast<double>(n) / static_cast<double>(whole) : 0;
        char bar[160];
        std::snprintf(bar, sizeof bar, "<span class=\"bar\" style=\"width:%.2frem;background:%s\"></span>", width, colour);
        out_ += "<tr><td>" + esc(name) + "</td><td class=\"n\">" + count(n) + "</td><td class=\"n\">" +
                esc(share(n, whole)) + "</td><td>" + (n > 0 ? bar : "") + "</td></tr>\n";
    }

    void table_head(std::initializer_list<std::string> headings, const char* id = nullptr) {
        out_ += "<table";
        if (id != nullptr) out_ += std::string(" id=\"") + id + "\"";
        out_ += "><thead><tr>";
        for (const auto& heading : headings) out_ += "<th scope=\"col\">" + esc(heading) + "</th>";
        out_ += "</tr></thead><tbody>\n";
    }
    void table_end() { out_ += "</tbody></table>\n"; }

    void answer_list(const std::vector<AnswerCount>& answers, std::int64_t whole, const char* id,
                     const std::string& heading, const auto& label) {
        out_ += "<div><h3>" + esc(heading) + "</h3>\n";
        if (answers.empty()) {
            empty_note();
        } else {
            table_head({t("Answer"), t("Count"), t("Share"), ""}, id);
            for (const auto& answer : answers) bar_row(label(answer.answer), answer.events, whole, kGreen);
            table_end();
        }
        out_ += "</div>\n";
    }

    void fmot() {
        const FmotFigures& now = page_.current.fmot;
        const FmotFigures& before = page_.previous.fmot;
        section_start("fmot", t("At the shelf: first moment of truth"));
        if (now.answers == 0) {
            empty_note();
            out_ += "</section>\n";
            return;
        }
        out_ += "<div class=\"figures\">\n";
        figure("fmot-index", t("Index (0-100)"), optional_decimal(now.index, 1), now.index, before.index);
        figure("fmot-answers", t("Answers"), count(now.answers));
        if (now.median_ms_to_decide) {
            figure("fmot-decide", t("Median time to decide"),
                   fill(t("%s s"), {decimal(static_cast<double>(*now.median_ms_to_decide) / 1000.0, 1)}));
        }
        out_ += "</div>\n<p class=\"meta\">" +
                esc(t("Index: very unhappy 0, unhappy 33, happy 67, very happy 100, averaged over the answers.")) +
                "</p>\n<h3>" + esc(t("Reactions")) + "</h3>\n";
        table_head({t("Reaction"), t("Count"), t("Share"), ""}, "reactions");
        for (std::size_t i = 0; i < 4; ++i) bar_row(reaction_name(i), now.reactions[i], now.answers, kReactionColours[i]);
        table_end();

        out_ += "<h3>" + esc(t("What drove each reaction")) + "</h3>\n<div class=\"columns\">\n";
        bool any_driver = false;
        for (std::size_t i = 0; i < 4; ++i) {
            if (now.drivers_by_reaction[i].empty()) continue;  // only the reactions shoppers explained
            any_driver = true;
            std::int64_t named = 0;
            for (const auto& d : now.drivers_by_reaction[i]) named += d.events;
            answer_list(now.drivers_by_reaction[i], named, nullptr, reaction_name(i),
                        [&](const std::string& wire) { return label_of(wire, find_in(core::kDrivers, wire)); });
        }
        out_ += "</div>\n";
        if (!any_driver) empty_note();

        // The funnel: answers → intents → why not.
        const std::int64_t intents = now.intents[0] + now.intents[1] + now.intents[2];
        out_ += "<h3>" + esc(t("From reaction to intent")) + "</h3>\n";
        table_head({t("Step"), t("Count"), t("Share"), ""}, "intent-funnel");
        bar_row(t("Answers"), now.answers, now.answers, kBlue);
        bar_row(t("Said what they intend"), intents, now.answers, kSkyBlue);
        for (std::size_t i = 0; i < 3; ++i) {
            bar_row(label_of(core::kIntents[i].wire, &core::kIntents[i]), now.intents[i], intents, kReactionColours[3 - i]);
        }
        table_end();
        std::int64_t why_not_total = 0;
        for (const auto& w : now.why_not) why_not_total += w.events;
        answer_list(now.why_not, why_not_total, "why-not", t("Why not buying"),
                    [&](const std::string& wire) { return label_of(wire, find_in(core::kWhyNots, wire)); });

        out_ += "<h3>" + esc(t("What staff saw at the shelf")) + "</h3>\n";
        const std::int64_t picked = std::max<std::int64_t>(now.shelf[0], 0);
        table_head({t("Observation"), t("Count"), t("Share of picked up"), ""}, "shelf");
        for (std::size_t i = 0; i < core::kShelfObservations.size(); ++i) {
            bar_row(label_of(core::kShelfObservations[i].wire, &core::kShelfObservations[i]),
                    std::max<std::int64_t>(now.shelf[i], 0), picked, kOrange);
        }
        table_end();
        out_ += "</section>\n";
    }

    void smot() {
        const SmotFigures& now = page_.current.smot;
        const SmotFigures& before = page_.previous.smot;
        section_start("smot", t("After the purchase: second and ultimate moments"));
        const std::int64_t recommend = now.promoters + now.passives + now.detractors;
        const std::int64_t expectations = now.expectations[0] + now.expectations[1] + now.expectations[2];
        if (now.rated == 0 && recommend == 0 && expectations == 0 && now.glory.empty() && now.pain.empty() &&
            now.reviews_shared == 0 && now.sorry_cards == 0 && now.apologies == 0 &&
            now.sorry_cards_redeemed == 0) {
            empty_note();
            out_ += "</section>\n";
            return;
        }
        out_ += "<div class=\"figures\">\n";
        figure("smot-rating", t("Average rating (1-5)"), optional_decimal(now.average_rating, 1), now.average_rating,
               before.average_rating);
        figure("smot-recommend", t("Recommendation score (-100 to 100)"), optional_decimal(now.recommend_score, 0),
               now.recommend_score, before.recommend_score);
        figure("smot-verified", t("Verified purchases"), share(now.verified, now.rated));
        figure("umot-reviews", t("Reviews shared"), count(now.reviews_shared));
        figure("sorry-cards", t("Sorry cards issued"), count(now.sorry_cards));
        figure("sorry-apologies", t("Apologies without an offer"), count(now.apologies));
        figure("sorry-redeemed", t("Sorry cards redeemed at the till"), count(now.sorry_cards_redeemed));
        out_ += "</div>\n<p class=\"meta\">" +
                esc(t("The recommendation score is the share of promoters minus the share of detractors.")) +
                "</p>\n<div class=\"columns\">\n<div><h3>" + esc(t("Ratings")) + "</h3>\n";
        table_head({t("Stars"), t("Count"), t("Share"), ""}, "ratings");
        for (int stars = 5; stars >= 1; --stars) {
            bar_row(fill(t("%s stars"), {count(stars)}), now.ratings[static_cast<std::size_t>(stars - 1)], now.rated,
                    kReactionColours[std::min(3, std::max(0, stars - 2))]);
        }
        table_end();
        out_ += "</div>\n<div><h3>" + esc(t("Would recommend")) + "</h3>\n";
        table_head({t("Group"), t("Count"), t("Share"), ""}, "recommend");
        bar_row(t("Promoters (9-10)"), now.promoters, recommend, kBlue);
        bar_row(t("Passives (7-8)"), now.passives, recommend, kOrange);
        bar_row(t("Detractors (0-6)"), now.detractors, recommend, kVermillion);
        table_end();
        out_ += "</div>\n<div><h3>" + esc(t("Expectations")) + "</h3>\n";
        table_head({t("Answer"), t("Count"), t("Share"), ""}, "expectations");
        for (std::size_t i = 0; i < 3; ++i) {
            bar_row(t(core::kExpectations[i].label), now.expectations[i], expectations, kReactionColours[i + 1]);
        }
        table_end();
        out_ += "</div>\n</div>\n<div class=\"columns\">\n";
        const auto topic = [&](const std::string& wire) { return label_of(wire, find_in(core::kPostPurchaseTopics, wire)); };
        answer_list(now.glory, now.rated, "glory", t("Moments of glory"), topic);
        answer_list(now.pain, now.rated, "pain", t("Moments of pain"), topic);
        out_ += "</div>\n</section>\n";
    }

    // One chart: a line (or bars for counts) over the trend's days, mirrored for right-to-left readers,
    // with the same figures in a table behind it for screen readers and print.
    void chart(const char* id, const std::string& title, const std::vector<std::optional<double>>& values, bool bars,
               double low, double high, int digits) {
        const bool rtl = core::is_right_to_left(lang_);
        const double width = 720, height = 200, left = 48, right = 16, top = 14, bottom = 34;
        const double plot_w = width - left - right, plot_h = height - top - bottom;
        const std::size_t n = values.size();
        for (const auto& v : values) {
            if (v) high = std::max(high, *v), low = std::min(low, *v);
        }
        if (bars) high = nice_ceiling(high);  // counts: an axis of 0, 5, 10 rather than 0, 105, 210
        if (high <= low) high = low + 1;
        const auto x_of = [&](std::size_t i) {
            const double step = plot_w / static_cast<double>(std::max<std::size_t>(n, 1));
            const double x = left + step * (static_cast<double>(i) + 0.5);
            return rtl ? width - x + left - right : x;  // first day at the right for right-to-left readers
        };
        const auto y_of = [&](double v) { return top + plot_h * (1.0 - (v - low) / (high - low)); };
        char buffer[256];
        out_ += "<figure class=\"chart\" id=\"" + std::string(id) + "\">\n<figcaption>" + esc(title) + "</figcaption>\n";
        out_ += "<svg viewBox=\"0 0 720 200\" width=\"720\" height=\"200\" "
                "role=\"img\" aria-label=\"" + esc(title) + "\">\n";
        // Axis lines and the low/high labels, on the reader's starting side.
        const double axis_x = rtl ? width - left + right - 4 : left - 4;
        const char* anchor = rtl ? "start" : "end";
        for (const double v : {low, (low + high) / 2, high}) {
            std::snprintf(buffer, sizeof buffer,
                          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                          "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\" fill=\"#333\">",
                          left, width - right, y_of(v), y_of(v), axis_x, y_of(v) + 4, anchor);
            out_ += buffer + esc(decimal(v, 0)) + "</text>\n";
        }
        std::string path;
        for (std::size_t i = 0; i < n; ++i) {
            if (!values[i]) {
                path += path.empty() || path.back() == ' ' ? "" : " ";  // a day without a figure breaks the line
                continue;
            }
            const double x = x_of(i), y = y_of(*values[i]);
            if (bars) {
                const double bar_w = std::max(2.0, plot_w / static_cast<double>(n) * 0.7);
                std::snprintf(buffer, sizeof buffer,
                              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#333\" "
                              "stroke-width=\"0.5\"/>\n",
                              x - bar_w / 2, y, bar_w, std::max(0.0, y_of(low) - y), kSkyBlue);
                out_ += buffer;
            } else {
                std::snprintf(buffer, sizeof buffer, "%s%.1f,%.1f", path.empty() || path.back() == ' ' ? "M" : " L", x, y);
                path += buffer;
                std::snprintf(buffer, sizeof buffer, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x, y, kBlue);
                out_ += buffer;
            }
        }
        if (!path.empty()) out_ += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + kBlue + "\" stroke-width=\"2\"/>\n";
        // Day labels: the first, the last and a few between, so they never overlap.
        const std::size_t every = std::max<std::size_t>(1, (n + 6) / 7);
        for (std::size_t i = 0; i < n; ++i) {
            if (i % every != 0 && i + 1 != n) continue;
            std::snprintf(buffer, sizeof buffer, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">",
                          x_of(i), height - 12);
            out_ += buffer + esc(day(page_.trend[i].starts, false)) + "</text>\n";
        }
        out_ += "</svg>\n";
        out_ += "<table class=\"visually-hidden chart-data\"><caption>" + esc(title) + "</caption><thead><tr><th scope=\"col\">" +
                esc(page_.trend_step == "week" ? t("Week starting") : t("Day")) + "</th><th scope=\"col\">" + esc(title) +
                "</th></tr></thead><tbody>\n";
        for (std::size_t i = 0; i < n; ++i) {
            out_ += "<tr><td>" + esc(day(page_.trend[i].starts)) + "</td><td class=\"n\">" +
                    esc(values[i] ? decimal(*values[i], digits) : "–") + "</td></tr>\n";
        }
        out_ += "</tbody></table>\n</figure>\n";
    }

    void trends() {
        section_start("trends", page_.trend_step == "week" ? t("Trends by week") : t("Trends by day"));
        std::int64_t answers = 0, rated = 0, pains = 0;
        for (const auto& point : page_.trend) answers += point.answers, rated += point.rated, pains += point.pains;
        if (page_.trend.empty() || (answers == 0 && rated == 0 && pains == 0)) {
            empty_note();
            out_ += "</section>\n";
            return;
        }
        std::vector<std::optional<double>> index, count_of_answers, rating, score, pain;
        for (const auto& point : page_.trend) {
            index.push_back(point.index);
            count_of_answers.push_back(static_cast<double>(point.answers));
            rating.push_back(point.average_rating);
            score.push_back(point.recommend_score);
            pain.push_back(static_cast<double>(point.pains));
        }
        out_ += "<div class=\"charts\">\n";
        chart("chart-index", t("Index (0-100)"), index, false, 0, 100, 1);
        chart("chart-answers", t("Answers"), count_of_answers, true, 0, 1, 0);
        chart("chart-rating", t("Average rating (1-5)"), rating, false, 1, 5, 1);
        chart("chart-recommend", t("Recommendation score (-100 to 100)"), score, false, -100, 100, 0);
        chart("chart-pains", t("Pains named"), pain, true, 0, 1, 0);
        out_ += "</div>\n</section>\n";
    }

    // The smallest of 2, 4, 10 times a power of ten at or above `value`: its half, the middle line, is a
    // whole number too.
    static double nice_ceiling(double value) {
        if (value <= 2) return 2;
        const double power = std::pow(10.0, std::floor(std::log10(value)));
        for (const double step : {1.0, 2.0, 4.0, 10.0}) {
            if (value <= step * power) return step * power;
        }
        return 10 * power;
    }

    // The index band of a heat-map cell: its colour and, for the legend, its word.
    static const char* band_colour(double index) {
        return index < 40 ? kVermillion : index < 60 ? kOrange : index < 80 ? kSkyBlue : kBlue;
    }

    void heatmap() {
        section_start("heatmap", t("When shoppers answer: weekday and hour, store's local time"));
        std::int64_t total = 0;
        std::int64_t grid[7][24] = {};
        std::optional<double> grid_index[7][24];
        for (const auto& cell : page_.heat) {
            if (cell.iso_weekday < 1 || cell.iso_weekday > 7 || cell.hour < 0 || cell.hour > 23) continue;
            grid[cell.iso_weekday - 1][cell.hour] += cell.answers;
            grid_index[cell.iso_weekday - 1][cell.hour] = cell.index;
            total += cell.answers;
        }
        if (total == 0) {
            empty_note();
            out_ += "</section>\n";
            return;
        }
        out_ += "<p class=\"meta\">" + esc(t("Each cell: the index, and below it the number of answers.")) + "</p>\n";
        out_ += "<ul class=\"topics\" id=\"heat-legend\">";
        const std::pair<double, std::string> bands[] = {
            {20, t("Index below 40")}, {50, t("40 to 59")}, {70, t("60 to 79")}, {90, t("80 and above")}};
        for (const auto& [sample, word] : bands) {
            out_ += std::string("<li><span class=\"swatch\" style=\"background:") + band_colour(sample) + "\"></span> " +
                    esc(word) + "</li>";
        }
        out_ += "</ul>\n<div class=\"heat-wrap\"><table class=\"heat\" id=\"heat\"><thead><tr><th></th>";
        for (int hour = 0; hour < 24; ++hour) out_ += "<th scope=\"col\">" + esc(count(hour)) + "</th>";
        out_ += "</tr></thead><tbody>\n";
        for (int weekday = 1; weekday <= 7; ++weekday) {
            auto name = weekday_name(lang_, weekday);
            out_ += "<tr><th scope=\"row\">" + esc(name ? name.value() : std::to_string(weekday)) + "</th>";
            for (int hour = 0; hour < 24; ++hour) {
                const auto n = grid[weekday - 1][hour];
                const auto& index = grid_index[weekday - 1][hour];
                if (n == 0 || !index) {
                    out_ += "<td></td>";
                    continue;
                }
                const char* colour = band_colour(*index);
                const bool dark = colour == kBlue || colour == kVermillion;
                out_ += std::string("<td data-day=\"") + std::to_string(weekday) + "\" data-hour=\"" + std::to_string(hour) +
                        "\" style=\"background:" + colour + ";color:" + (dark ? "#fff" : "#000") + "\">" +
                        esc(decimal(*index, 0)) + "<small>" + esc(count(n)) + "</small></td>";
            }
            out_ += "</tr>\n";
        }
        out_ += "</tbody></table></div>\n</section>\n";
    }

    void ranking(const char* id, const std::string& heading, const std::vector<RankingRow>& rows, bool stores) {
        out_ += "<div><h3>" + esc(heading) + "</h3>\n";
        if (rows.empty()) {
            empty_note();
            out_ += "</div>\n";
            return;
        }
        table_head({"#", stores ? t("Store") : t("Product"), t("Adjusted index"), t("Index"), t("Answers")}, id);
        std::int64_t rank = 0;
        for (const auto& row : rows) {
            Query drill = here_;
            drill.pain.clear();
            (stores ? drill.store : drill.sku) = row.id;
            const std::string name = row.name.empty() ? (stores ? store_name(row.id) : product_name(row.id)) : row.name;
            out_ += "<tr><td class=\"n\">" + esc(count(++rank)) + "</td><td><a href=\"" + link(drill) + "\">" + esc(name) +
                    "</a></td><td class=\"n\">" + esc(decimal(row.adjusted_index, 1)) + "</td><td class=\"n\">" +
                    esc(optional_decimal(row.index, 1)) + "</td><td class=\"n\">" + esc(count(row.answers)) + "</td></tr>\n";
        }
        table_end();
        out_ += "</div>\n";
    }

    void rankings() {
        section_start("rankings", t("Rankings"));
        out_ += "<p class=\"meta\">" +
                esc(t("Ordered by the index adjusted for small samples: few answers count for less.")) + "</p>\n";
        out_ += "<div class=\"columns\">\n";
        ranking("store-ranking", t("Stores"), page_.store_ranking, true);
        ranking("product-ranking", t("Products"), page_.product_ranking, false);
        out_ += "</div>\n</section>\n";
    }

    void feedback() {
        section_start("feedback", t("Open feedback"));
        if (!page_.pain_topics.empty()) {
            out_ += "<ul class=\"topics no-print\" id=\"pain-filter\" aria-label=\"" + esc(t("Show comments about")) + "\">";
            Query all = here_;
            all.pain.clear();
            out_ += "<li><a href=\"" + link(all) + "\"" + (here_.pain.empty() ? " aria-current=\"true\"" : "") + ">" +
                    esc(t("Every comment")) + "</a></li>";
            for (const auto& topic : page_.pain_topics) {
                Query q = here_;
                q.pain = topic;
                out_ += "<li><a href=\"" + link(q) + "\"" + (here_.pain == topic ? " aria-current=\"true\"" : "") + ">" +
                        esc(label_of(topic, find_in(core::kPostPurchaseTopics, topic))) + "</a></li>";
            }
            out_ += "</ul>\n";
        }
        if (page_.feedback.empty()) {
            empty_note();
            out_ += "</section>\n";
            return;
        }
        for (const auto& row : page_.feedback) {
            out_ += "<article class=\"comment\"><div class=\"meta\">";
            if (row.rating) out_ += stars_of(*row.rating) + " ";
            out_ += esc(day(row.local_date)) + " · " + esc(store_name(row.store_id));
            if (!row.sku.empty()) out_ += " · " + esc(product_name(row.sku));
            const char* language_name = core::native_language_name(row.locale);
            out_ += " · <span lang=\"" + esc(core::language_of(row.locale)) + "\">" +
                    esc(*language_name != '\0' ? std::string(language_name) : row.locale) + "</span>";
            if (row.verified) out_ += " · <span class=\"verified\">\u2714 " + esc(t("Verified purchase")) + "</span>";
            for (const auto& topic : row.pain_topics) {
                out_ += " · <span class=\"pain\">" + esc(label_of(topic, find_in(core::kPostPurchaseTopics, topic))) + "</span>";
            }
            // The shopper's own words: untrusted, escaped, and in their own direction whatever the page's.
            out_ += "</div><p dir=\"auto\" lang=\"" + esc(core::language_of(row.locale)) + "\">" + esc(row.comment) +
                    "</p></article>\n";
        }
        out_ += "</section>\n";
    }

    // A rating of 1-5 as filled and empty stars, with the words for screen readers.
    std::string stars_of(int rating) const {
        const int stars = std::clamp(rating, 0, 5);
        std::string shown;
        for (int i = 0; i < 5; ++i) shown += i < stars ? "\u2605" : "\u2606";
        return "<span class=\"rating\" role=\"img\" aria-label=\"" + esc(fill(t("%s of 5 stars"), {count(stars)})) + "\">" +
               shown + "</span>";
    }

    std::string age(const std::optional<core::Timestamp>& then) const {
        if (!then) return t("Never");
        const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(page_.generated_at - *then).count();
        if (minutes < 60) return fill(t("%s min ago"), {count(std::max<std::int64_t>(minutes, 0))});
        if (minutes < 48 * 60) return fill(t("%s h ago"), {count(minutes / 60)});
        return fill(t("%s days ago"), {count(minutes / (24 * 60))});
    }

    void kiosks() {
        section_start("kiosks", t("Kiosk health"));
        if (page_.kiosks.empty()) {
            out_ += "<p class=\"empty\">" + esc(t("No kiosks in this view")) + "</p>\n</section>\n";
            return;
        }
        table_head({t("Kiosk"), t("Store"), t("Last contact"), t("Waiting to send"), t("Oldest waiting"),
                    t("Version"), t("Quarantined")},
                   "kiosk-health");
        for (const auto& kiosk : page_.kiosks) {
            out_ += std::string("<tr") + (kiosk.silent ? " class=\"silent\"" : "") + "><td>" + esc(kiosk.kiosk_id);
            if (kiosk.silent) out_ += " <span class=\"badge\">" + esc(t("Silent")) + "</span>";
            if (kiosk.revoked) out_ += " <span class=\"badge\">" + esc(t("Revoked")) + "</span>";
            out_ += "</td><td>" + esc(store_name(kiosk.store_id)) + "</td><td>" + esc(age(kiosk.last_contact)) +
                    "</td><td class=\"n\">" + esc(count(kiosk.pending)) + "</td><td class=\"n\">" +
                    esc(kiosk.oldest_pending_s
                            ? fill(t("%s min"), {count(*kiosk.oldest_pending_s / 60)})
                            : std::string("–")) +
                    "</td><td>" + esc(kiosk.version.empty() ? "–" : kiosk.version) + "</td><td class=\"n\">" +
                    esc(count(kiosk.quarantined)) + "</td></tr>\n";
        }
        table_end();
        out_ += "</section>\n";
    }

    std::string rule_name(std::string_view rule) const {
        if (rule == "unhappy_share") return t("Many unhappy shoppers");
        if (rule == "pain") return t("A shopper's pain");
        if (rule == "kiosk_silent") return t("Kiosk silent");
        if (rule == "kiosk_backlog") return t("Kiosk backlog");
        return std::string(rule);
    }
    std::string state_name(CaseState state) const {
        switch (state) {
            case CaseState::Open: return t("Open");
            case CaseState::Acknowledged: return t("Acknowledged");
            case CaseState::Closed: return t("Closed");
        }
        return {};
    }
    std::string cause_name(std::string_view cause) const {
        if (cause == "product") return t("The product");
        if (cause == "service") return t("Service");
        if (cause == "stock") return t("Stock");
        if (cause == "price") return t("Price");
        if (cause == "kiosk") return t("The kiosk");
        if (cause == "false_alarm") return t("False alarm");
        return t("Other");
    }
    std::string action_name(std::string_view action) const {
        if (action == "opened") return t("Opened");
        if (action == "acknowledged") return t("Acknowledged");
        if (action == "closed") return t("Closed");
        return std::string(action);
    }

    // A case's form: its id and the page to come back to, a note, and what `extra` adds.
    void case_form(const CaseRecord& record, const char* action, const char* button_class, const std::string& button,
                   const std::string& extra) {
        out_ += std::string("<form class=\"case-action\" method=\"post\" action=\"") + action + "\">"
                "<input type=\"hidden\" name=\"case\" value=\"" + esc(record.id) + "\">"
                "<input type=\"hidden\" name=\"back\" value=\"" + link(here_) + "\">" + extra +
                "<label>" + esc(t("Note")) + " <input type=\"text\" name=\"note\" maxlength=\"2000\"></label> "
                "<button type=\"submit\" class=\"" + button_class + "\">" + esc(button) + "</button></form>\n";
    }

    // Alerts as cases: what each is, how long it has been open, who did what, and the forms to act on it.
    void cases() {
        section_start("cases", t("Alerts and cases"));
        if (page_.cases.empty()) {
            out_ += "<p class=\"empty\">" + esc(t("No cases in this view")) + "</p>\n</section>\n";
            return;
        }
        for (const CaseDetail& detail : page_.cases) {
            const CaseRecord& record = detail.record;
            const bool closed = record.state == CaseState::Closed;
            out_ += std::string("<article class=\"case ") + std::string(to_string(record.state)) + "\" id=\"case-" +
                    esc(record.id) + "\">\n<h3>" + esc(rule_name(record.rule)) + " · " + esc(store_name(record.store_id));
            if (!record.kiosk_id.empty()) out_ += " · " + esc(record.kiosk_id);
            out_ += " <span class=\"badge state\">" + esc(state_name(record.state)) + "</span></h3>\n";
            out_ += "<p>" + esc(record.summary) + "</p>\n<p class=\"meta\">" +
                    esc(fill(t("Opened %s"), {age(record.opened_at)}));
            if (record.triggered > 1) out_ += " · " + esc(fill(t("fired %s times"), {count(record.triggered)}));
            if (closed && record.close_cause) {
                out_ += " · " + esc(fill(t("cause: %s"), {cause_name(*record.close_cause)}));
            }
            out_ += "</p>\n<ol class=\"audit\">";
            for (const CaseAuditEntry& entry : detail.audit) {
                out_ += "<li>" + esc(fill(t("%s, %s by %s"), {age(entry.at), action_name(entry.action), entry.actor}));
                if (!entry.note.empty()) out_ += ": <q>" + esc(entry.note) + "</q>";
                out_ += "</li>";
            }
            out_ += "</ol>\n";
            if (!closed) {
                out_ += "<div class=\"no-print\">";
                if (record.state == CaseState::Open) case_form(record, "/cases/acknowledge", "acknowledge", t("Acknowledge"), "");
                std::string causes = "<label>" + esc(t("Cause")) + " <select name=\"cause\" required><option value=\"\">" +
                                     esc(t("Choose a cause")) + "</option>";
                for (const std::string_view cause : kCloseCauses) {
                    causes += "<option value=\"" + std::string(cause) + "\">" + esc(cause_name(cause)) + "</option>";
                }
                causes += "</select></label> ";
                case_form(record, "/cases/close", "close", t("Close the case"), causes);
                out_ += "</div>\n";
            }
            out_ += "</article>\n";
        }
        out_ += "</section>\n";
    }

    std::string flag_name(const std::string& flag) const {
        if (flag == "e-mail") return t("e-mail");
        if (flag == "link") return t("link");
        if (flag == "phone number") return t("phone number");
        if (flag == "card number") return t("card number");
        if (flag.starts_with("profanity (") && flag.ends_with(")")) {
            return fill(t("profanity (%s)"), {flag.substr(11, flag.size() - 12)});
        }
        return flag;
    }

    // A review's form: its id and the page to come back to, and what `extra` adds.
    void review_form(const ReviewRecord& review, const char* action, const char* button_class, const std::string& button,
                     const std::string& extra) {
        out_ += std::string("<form class=\"review-action\" method=\"post\" action=\"") + action + "\">"
                "<input type=\"hidden\" name=\"review\" value=\"" + esc(review.id) + "\">"
                "<input type=\"hidden\" name=\"back\" value=\"" + link(here_) + "\">" + extra +
                "<button type=\"submit\" class=\"" + button_class + "\">" + esc(button) + "</button></form>\n";
    }

    // Shared reviews waiting for a manager: the shopper's words as written (escaped, in their own direction),
    // what the hub flagged in them, and the forms to approve or reject (with a reason) each.
    void reviews() {
        section_start("reviews", t("Reviews waiting for moderation"));
        if (page_.reviews.empty()) {
            out_ += "<p class=\"empty\">" + esc(t("No reviews waiting for moderation")) + "</p>\n</section>\n";
            return;
        }
        for (const PendingReview& pending : page_.reviews) {
            const ReviewRecord& review = pending.review;
            out_ += "<article class=\"review\" id=\"review-" + esc(review.id) + "\">\n<h3>" + stars_of(review.rating) + " · <bdi>" +
                    esc(pending.product_name.empty() ? review.sku : pending.product_name) + "</bdi> · <bdi>" +
                    esc(store_name(review.store_id)) + "</bdi> · <bdi class=\"locale\">" + esc(review.locale) +
                    "</bdi></h3>\n";
            if (review.text.empty()) {
                out_ += "<p class=\"meta\">" + esc(t("Rating only, no text")) + "</p>\n";
            } else {
                out_ += "<p class=\"review-text\" dir=\"auto\" lang=\"" + esc(core::language_of(review.locale)) + "\">" +
                        esc(review.text) + "</p>\n";
            }
            out_ += "<p class=\"meta\">" + esc(fill(t("Shared %s"), {age(review.occurred_at)})) + "</p>\n";
            if (!pending.flags.empty()) {
                out_ += "<ul class=\"flags\" aria-label=\"" + esc(t("Check before approving:")) + "\"><li>" +
                        esc(t("Check before approving:")) + "</li>";
                for (const std::string& flag : pending.flags) out_ += "<li class=\"flag\">" + esc(flag_name(flag)) + "</li>";
                out_ += "</ul>\n";
            }
            out_ += "<div class=\"no-print\">";
            review_form(review, "/reviews/approve", "approve", t("Approve"), "");
            review_form(review, "/reviews/reject", "reject", t("Reject"),
                        "<label>" + esc(t("Reason for rejecting")) +
                            " <input type=\"text\" name=\"reason\" required maxlength=\"2000\"></label> ");
            out_ += "</div>\n</article>\n";
        }
        out_ += "</section>\n";
    }

    const DashboardPage& page_;
    const core::Translations& texts_;
    std::string lang_;
    Query here_;
    std::string out_;
};

}  // namespace

core::Result<core::Translations> load_dashboard_texts(const std::string& assets_dir) {
    std::string dir = assets_dir;
    if (dir.empty()) {
        const char* from_env = std::getenv("TRUTHPOINT_ASSETS_DIR");
        dir = from_env != nullptr                                                      ? from_env
              : std::filesystem::exists(TRUTHPOINT_INSTALLED_ASSETS "/i18n/dashboard") ? TRUTHPOINT_INSTALLED_ASSETS
                                                                                       : TRUTHPOINT_SOURCE_ASSETS;
    }
    return core::Translations::load(dir + "/i18n/dashboard",
                                    std::vector<std::string>(kDashboardLanguages.begin(), kDashboardLanguages.end()));
}

std::string render_dashboard_page(const DashboardPage& page, const core::Translations& texts) {
    return PageWriter(page, texts).write();
}

}  // namespace truthpoint::hub
