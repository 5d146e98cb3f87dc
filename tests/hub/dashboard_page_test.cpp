// The regional manager's dashboard page rendered from hand-built DashboardPage values (the storage that
// fills one is tested with the server), in the five languages with the shipped catalogs; and the catalogs
// themselves against dashboard_page.cpp's messages. The sample pages are also written to
// <build>/test-artifacts/dashboard-pages/ for a look in a browser.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/po_files.hpp"
#include "truthpoint/core/translations.hpp"
#include "truthpoint/core/vocabulary.hpp"
#include "truthpoint/hub/dashboard.hpp"
#include "truthpoint/hub/reviews.hpp"

using namespace truthpoint;
using hub::DashboardPage;
using testing::read_file;

namespace {

const std::string kSource = TRUTHPOINT_SOURCE_DIR;
const std::string kCatalogs = kSource + "/assets/i18n/dashboard";
const std::vector<std::string> kTranslated{"fa", "ar", "el", "tr"};

const core::Translations& texts() {
    static const core::Translations loaded = [] {
        auto all = hub::load_dashboard_texts(kSource + "/assets");
        if (!all) FAIL(all.error().message);
        return std::move(all.value());
    }();
    return loaded;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
    return n;
}

core::Timestamp at(int y, unsigned mo, unsigned d, int h, int mi) {
    using namespace std::chrono;
    return core::Timestamp{duration_cast<milliseconds>(sys_days{year{y} / month{mo} / day{d}}.time_since_epoch() +
                                                      hours{h} + minutes{mi})};
}

// A store's week in Nowruz: every section has something to show.
DashboardPage sample_page(const std::string& language) {
    DashboardPage page;
    page.language = language;
    page.viewer_name = "Maryam";
    page.viewer_is_admin = false;
    page.filter.region = "north";
    page.filter.store_id = "s-tehran";
    page.filter.from = "2026-03-21";
    page.filter.to = "2026-03-27";
    page.period = "7d";
    page.generated_at = at(2026, 3, 27, 12, 0);
    page.regions = {{"north", "north", ""}};
    page.stores = {{"s-tehran", "Tehran Vanak", "Asia/Tehran"}, {"s-tabriz", "Tabriz", "Asia/Tehran"}};
    page.products = {{"sku-1", "Saffron 5 g", ""}, {"sku-2", "Green tea", ""}};

    auto& f = page.current.fmot;
    page.current.from = "2026-03-21";
    page.current.to = "2026-03-27";
    f.reactions = {120, 230, 520, 364};
    f.answers = 1234;
    f.index = 63.5;
    f.drivers_by_reaction[0] = {{"price", 70}, {"packaging", 12}};
    f.drivers_by_reaction[3] = {{"brand", 90}, {"recommendation", 40}, {"unknown_driver", 2}};
    f.intents = {300, 200, 150};
    f.why_not = {{"price", 80}, {"comparing", 40}};
    f.median_ms_to_decide = 4000;
    f.timed_decisions = 600;
    f.shelf = {50, 20, 25, 5, 8, 3};
    page.previous.from = "2026-03-14";
    page.previous.to = "2026-03-20";
    page.previous.fmot.answers = 1000;
    page.previous.fmot.index = 60.4;

    auto& s = page.current.smot;
    s.ratings = {5, 8, 20, 60, 90};
    s.rated = 183;
    s.average_rating = 4.2;
    s.verified = 100;
    s.expectations = {10, 80, 40};
    s.promoters = 70, s.passives = 40, s.detractors = 20;
    s.recommend_score = 38.5;
    s.glory = {{"quality", 40}, {"freshness", 20}};
    s.pain = {{"checkout", 15}, {"availability", 9}};
    s.reviews_shared = 12;
    s.sorry_cards = 4;
    s.apologies = 2;
    page.previous.smot.average_rating = 4.0;
    page.previous.smot.recommend_score = 30;

    for (int d = 0; d < 7; ++d) {
        hub::TrendPoint point;
        point.starts = "2026-03-2" + std::to_string(1 + d);
        point.answers = 150 + d * 10;
        point.index = 55 + d * 2.5;
        point.rated = 20 + d;
        point.average_rating = 3.8 + d * 0.1;
        point.recommend_score = 20 + d * 4;
        point.pains = 3 + d % 3;
        if (d == 2) point.average_rating.reset();  // a day without ratings: a gap, not a zero
        page.trend.push_back(point);
    }
    for (int weekday = 1; weekday <= 7; ++weekday) {
        for (int hour = 0; hour < 24; ++hour) {
            hub::HeatCell cell{weekday, hour, 0, std::nullopt};
            if (hour >= 9 && hour <= 21) {
                cell.answers = (hour * 7 + weekday * 3) % 25 + 1;
                cell.index = static_cast<double>((hour * 13 + weekday * 17) % 100);
            }
            page.heat.push_back(cell);
        }
    }
    page.store_ranking = {{"s-tehran", "Tehran Vanak", 900, 66.1, 65.8}, {"s-tabriz", "", 3, 100, 64.2}};
    page.product_ranking = {{"sku-1", "", 700, 70.2, 69.9}, {"sku-2", "", 534, 55.0, 55.3}};
    page.pain_topics = {"checkout", "availability"};
    hub::FeedbackRow comment;
    comment.local_date = "2026-03-26";
    comment.store_id = "s-tehran";
    comment.sku = "sku-1";
    comment.kiosk_id = "k-1";
    comment.locale = "fa";
    comment.rating = 2;
    comment.verified = true;
    comment.pain_topics = {"checkout"};
    comment.comment = "صف صندوق خیلی طولانی بود <script>alert('x')</script> & \"quoted\"";
    page.feedback.push_back(comment);
    comment.locale = "en";
    comment.rating = 5;
    comment.verified = false;
    comment.pain_topics = {};
    comment.comment = "Lovely saffron, will buy again.";
    page.feedback.push_back(comment);
    page.kiosks = {{"k-1", "s-tehran", "1.4.0", at(2026, 3, 27, 11, 55), at(2026, 3, 27, 11, 55), 0, 0, std::nullopt,
                    false, false},
                   {"k-2", "s-tehran", "1.3.2", at(2026, 3, 25, 8, 0), at(2026, 3, 25, 8, 0), 42, 1, 7200, false, true}};
    return page;
}

DashboardPage empty_page(const std::string& language) {
    DashboardPage page;
    page.language = language;
    page.viewer_name = "Admin";
    page.viewer_is_admin = true;
    page.filter.from = page.current.from = "2026-12-05";
    page.filter.to = page.current.to = "2026-12-05";
    page.previous.from = page.previous.to = "2026-12-04";
    page.period = "today";
    return page;
}

void keep_for_a_look(const std::string& name, const std::string& html) {
    const std::filesystem::path dir = std::filesystem::path(TRUTHPOINT_BINARY_DIR) / "test-artifacts" / "dashboard-pages";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / (name + ".html"), std::ios::binary) << html;
}

}  // namespace

TEST_CASE("the dashboard page has every section, the filter and the language chooser", "[hub][dashboard][page]") {
    const std::string html = hub::render_dashboard_page(sample_page("en"), texts());
    keep_for_a_look("sample-en", html);
    CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">"));
    for (const char* id : {"fmot", "smot", "trends", "heatmap", "rankings", "feedback", "kiosks"}) {
        CHECK_THAT(html, Catch::Contains("<section id=\"" + std::string(id) + "\""));
    }
    // The filter form is a GET to "/", the URL holds the filter; a manager gets no region choice.
    CHECK_THAT(html, Catch::Contains("<form method=\"get\" action=\"/\" id=\"filter\">"));
    CHECK_THAT(html, !Catch::Contains("name=\"region\""));
    CHECK_THAT(html, Catch::Contains("<option value=\"s-tehran\" selected>Tehran Vanak</option>"));
    CHECK_THAT(html, Catch::Contains("<option value=\"7d\" selected>Last 7 days</option>"));
    CHECK_THAT(html, Catch::Contains("<input type=\"date\" name=\"from\" value=\"2026-03-21\">"));
    // Breadcrumbs and drill-down links carry the rest of the filter.
    CHECK_THAT(html, Catch::Contains("<a href=\"/?region=north&amp;period=7d\">north</a>"));
    CHECK_THAT(html, Catch::Contains("<a href=\"/?region=north&amp;store=s-tehran&amp;period=7d\" aria-current=\"page\">"
                                     "Tehran Vanak</a>"));
    CHECK_THAT(html, Catch::Contains("<a href=\"/?region=north&amp;store=s-tehran&amp;sku=sku-1&amp;period=7d\">Saffron 5 g</a>"));
    CHECK_THAT(html, Catch::Contains("href=\"/api/v1/export?format=csv&amp;region=north&amp;store=s-tehran&amp;period=7d\""));
    CHECK_THAT(html, Catch::Contains("<a href=\"/?region=north&amp;store=s-tehran&amp;period=7d&amp;pain=checkout\">Checkout</a>"));
    // Figures, with their change against the previous period.
    CHECK_THAT(html, Catch::Contains("<div class=\"value\">63.5</div><div class=\"label\">Index (0-100)</div>"
                                     "<div class=\"change up\">+3.1 vs the previous period</div>"));
    CHECK_THAT(html, Catch::Contains("<div class=\"value\">1,234</div>"));
    CHECK_THAT(html, Catch::Contains("<tr><td>Very happy</td><td class=\"n\">364</td><td class=\"n\">29%</td>"));
    CHECK_THAT(html, Catch::Contains("<div class=\"value\">4.0 s</div>"));
    CHECK_THAT(html, Catch::Contains("<tr><td>A recommendation</td><td class=\"n\">40</td>"));
    CHECK_THAT(html, Catch::Contains("<tr><td>unknown_driver</td>"));  // a driver no list knows: as sent, escaped
    CHECK_THAT(html, Catch::Contains("<tr><td>Promoters (9-10)</td><td class=\"n\">70</td><td class=\"n\">54%</td>"));
    CHECK_THAT(html, Catch::Contains("<div class=\"value\">39</div><div class=\"label\">Recommendation score"));
    CHECK_THAT(html, Catch::Contains("<tr><td>Met my expectations</td><td class=\"n\">80</td>"));
    // Charts: one per headline figure, an image with a name and a table behind it.
    CHECK(occurrences(html, "role=\"img\" aria-label=\"") == 5 + 2);  // 5 charts and the comments' 2 star ratings
    CHECK(occurrences(html, "<table class=\"visually-hidden chart-data\">") == 5);
    CHECK_THAT(html, Catch::Contains("<tr><td>Mar 23, 2026</td><td class=\"n\">–</td></tr>"));  // the gap
    const auto rating_chart = html.substr(html.find("id=\"chart-rating\""));
    const auto rating_path = rating_chart.substr(0, rating_chart.find("</svg>"));
    const auto line = rating_path.substr(rating_path.find("<path d="));
    CHECK(occurrences(line.substr(0, line.find("/>")), "M") == 2);  // the line breaks at the gap
    // Count axes end on a round number with a whole middle: answers peak at 210, the axis runs 0, 200, 400.
    const auto answers_chart = html.substr(html.find("id=\"chart-answers\""));
    const auto answers_svg = answers_chart.substr(0, answers_chart.find("</svg>"));
    CHECK_THAT(answers_svg, Catch::Contains(">400</text>") && Catch::Contains(">200</text>"));
    // The heat map: a number in each coloured cell.
    CHECK_THAT(html, Catch::Contains("<th scope=\"row\">Mon</th>"));
    CHECK(occurrences(html, "<td data-day=") == 7 * 13);
    // Rankings with the count behind each figure.
    CHECK_THAT(html, Catch::Contains(">Tabriz</a></td><td class=\"n\">64.2</td><td class=\"n\">100.0</td><td class=\"n\">3</td>"));
    // Kiosk health: a silent kiosk says so in words, not only in colour.
    CHECK_THAT(html, Catch::Contains("<tr class=\"silent\"><td>k-2 <span class=\"badge\">Silent</span>"));
    CHECK_THAT(html, Catch::Contains("<td>2 days ago</td><td class=\"n\">42</td><td class=\"n\">120 min</td>"));
    CHECK_THAT(html, Catch::Contains("<td>5 min ago</td>"));
    // The language chooser posts to /language, every language in its own name.
    CHECK_THAT(html, Catch::Contains("<form class=\"inline\" method=\"post\" action=\"/language\" id=\"language-form\">"));
    for (const char* name : {"English", "فارسی", "العربية", "Ελληνικά", "Türkçe"}) CHECK_THAT(html, Catch::Contains(name));
    // No scripts, no external assets, a print stylesheet.
    CHECK_THAT(html, !Catch::Contains("<script"));
    CHECK_THAT(html, !Catch::Contains("src=") && !Catch::Contains("https://") && !Catch::Contains("<link"));
    CHECK_THAT(html, Catch::Contains("@media print"));
}

TEST_CASE("an admin chooses the region and the crumbs start at every region", "[hub][dashboard][page]") {
    auto page = sample_page("en");
    page.viewer_is_admin = true;
    page.regions = {{"north", "north", ""}, {"south", "south", ""}};
    page.filter.include_misuse = true;
    const std::string html = hub::render_dashboard_page(page, texts());
    CHECK_THAT(html, Catch::Contains("<select name=\"region\"><option value=\"\">Every region</option>"
                                     "<option value=\"north\" selected>north</option><option value=\"south\">south</option>"));
    CHECK_THAT(html, Catch::Contains("<li><a href=\"/?period=7d&amp;misuse=1\">Every region</a></li>"));
    CHECK_THAT(html, Catch::Contains("<input type=\"checkbox\" name=\"misuse\" value=\"1\" checked>"));
}

TEST_CASE("Persian: right to left, Persian digits, Solar Hijri dates, a mirrored chart", "[hub][dashboard][page]") {
    const std::string html = hub::render_dashboard_page(sample_page("fa"), texts());
    keep_for_a_look("sample-fa", html);
    CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"fa\" dir=\"rtl\">"));
    CHECK_THAT(html, Catch::Contains("<div class=\"value\">۱٬۲۳۴</div>"));  // 1,234 answers
    CHECK_THAT(html, Catch::Contains("<div class=\"value\">۶۳٫۵</div>"));   // the index 63.5
    // 2026-03-21 is the first of Farvardin 1405.
    CHECK_THAT(html, Catch::Contains("۱ فروردین ۱۴۰۵ تا ۷ فروردین ۱۴۰۵، در مقایسه با ۲۳ اسفند ۱۴۰۴ تا ۲۹ اسفند ۱۴۰۴"));
    CHECK_THAT(html, Catch::Contains("<h2 id=\"fmot-h\">کنار قفسه: نخستین لحظه حقیقت</h2>"));
    CHECK_THAT(html, Catch::Contains("<th scope=\"row\">دوشنبه</th>"));
    CHECK_THAT(html, Catch::Contains("<tr><td>قیمت</td><td class=\"n\">۷۰</td>"));  // a driver, as the kiosk says it
    CHECK_THAT(html, Catch::Contains("<span class=\"badge\">خاموش</span>"));
    // The figures outside the English names and ids have no Latin digits.
    const auto value_start = html.find("<div class=\"figures\">");
    const std::string figures = html.substr(value_start, html.find("</div>\n<p class=\"meta\">", value_start) - value_start);
    CHECK_THAT(figures, Catch::Contains("۱٬۲۳۴") && Catch::Contains("۴٫۰ ثانیه"));
    CHECK_FALSE(std::regex_search(figures, std::regex("[0-9]")));
    // The index chart runs right to left: its first day's point is right of its last.
    const auto chart = html.substr(html.find("<figure class=\"chart\" id=\"chart-index\">"));
    std::smatch first, last;
    std::string points = chart.substr(0, chart.find("</svg>"));
    REQUIRE(std::regex_search(points, first, std::regex("<circle cx=\"([0-9.]+)\"")));
    std::string rest = points;
    std::string last_x;
    for (std::smatch m; std::regex_search(rest, m, std::regex("<circle cx=\"([0-9.]+)\""));) {
        last_x = m[1];
        rest = m.suffix();
    }
    CHECK(std::stod(first[1]) > std::stod(last_x));
}

TEST_CASE("Arabic, Greek and Turkish pages in their own direction and digits", "[hub][dashboard][page]") {
    const std::string ar = hub::render_dashboard_page(sample_page("ar"), texts());
    keep_for_a_look("sample-ar", ar);
    CHECK_THAT(ar, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"));
    CHECK_THAT(ar, Catch::Contains("<div class=\"value\">١٬٢٣٤</div>"));
    CHECK_THAT(ar, Catch::Contains("٢١ مارس ٢٠٢٦"));  // the month by name, not the numeric medium style
    const std::string el = hub::render_dashboard_page(sample_page("el"), texts());
    keep_for_a_look("sample-el", el);
    CHECK_THAT(el, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"el\" dir=\"ltr\">"));
    CHECK_THAT(el, Catch::Contains("<div class=\"value\">63,5</div>"));
    CHECK_THAT(el, Catch::Contains("<div class=\"value\">1.234</div>"));
    const std::string tr = hub::render_dashboard_page(sample_page("tr"), texts());
    keep_for_a_look("sample-tr", tr);
    CHECK_THAT(tr, Catch::Contains("<tr><td>Çok memnun</td><td class=\"n\">364</td><td class=\"n\">%29</td>"));
    // An unknown language falls back to English rather than failing.
    const std::string unknown = hub::render_dashboard_page(sample_page("de"), texts());
    CHECK_THAT(unknown, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">"));
}

TEST_CASE("shoppers' comments are text, in their own direction", "[hub][dashboard][page]") {
    const std::string html = hub::render_dashboard_page(sample_page("en"), texts());
    CHECK_THAT(html, Catch::Contains("<p dir=\"auto\" lang=\"fa\">صف صندوق خیلی طولانی بود &lt;script&gt;alert(&#39;x&#39;)"
                                     "&lt;/script&gt; &amp; &quot;quoted&quot;</p>"));
    CHECK_THAT(html, !Catch::Contains("<script>"));
    CHECK_THAT(html, Catch::Contains("<span class=\"rating\" role=\"img\" aria-label=\"2 of 5 stars\">★★☆☆☆</span>"));
    CHECK_THAT(html, Catch::Contains("<span class=\"verified\">✔ Verified purchase</span>"));
    CHECK_THAT(html, Catch::Contains("<span lang=\"fa\">فارسی</span>"));
    // Store names and ids are escaped too.
    auto page = sample_page("en");
    page.stores[0].name = "<b>Vanak</b>";
    page.store_ranking[0].name = "<b>Vanak</b>";
    const std::string hostile = hub::render_dashboard_page(page, texts());
    CHECK_THAT(hostile, !Catch::Contains("<b>Vanak"));
    CHECK_THAT(hostile, Catch::Contains("&lt;b&gt;Vanak&lt;/b&gt;"));
}

TEST_CASE("shared reviews wait for moderation: stars, the text in its own direction, flags in the page's language, "
          "an approve form and a reject form that needs a reason",
          "[hub][dashboard][page][reviews]") {
    auto page = sample_page("en");
    hub::PendingReview pending;
    pending.review.id = "0193aaaa-0000-7000-8000-000000000001";
    pending.review.store_id = "s-tehran";
    pending.review.sku = "5206142000310";
    pending.review.locale = "fa";
    pending.review.rating = 2;
    pending.review.text = "صف طولانی <script>alert(1)</script> ۰۹۱۲ ۳۴۵ ۶۷۸۹";
    pending.review.occurred_at = page.generated_at - std::chrono::hours(3);
    pending.product_name = "<b>Honey</b>";
    pending.flags = hub::review_flags(pending.review.text);
    REQUIRE(pending.flags == std::vector<std::string>{"phone number"});
    page.reviews.push_back(pending);
    pending.review.id = "0193aaaa-0000-7000-8000-000000000002";
    pending.review.text = "";
    pending.flags = {"profanity (tr)"};
    page.reviews.push_back(pending);

    const std::string html = hub::render_dashboard_page(page, texts());
    keep_for_a_look("reviews-en", html);
    const auto section = html.substr(html.find("<section id=\"reviews\""));
    const std::string reviews = section.substr(0, section.find("</section>"));
    CHECK_THAT(reviews, Catch::Contains("<h2 id=\"reviews-h\">Reviews waiting for moderation</h2>"));
    CHECK_THAT(reviews, Catch::Contains("aria-label=\"2 of 5 stars\">★★☆☆☆</span> · <bdi>&lt;b&gt;Honey&lt;/b&gt;</bdi>"));
    CHECK_THAT(reviews, Catch::Contains("<p class=\"review-text\" dir=\"auto\" lang=\"fa\">صف طولانی &lt;script&gt;"));
    CHECK_THAT(reviews, !Catch::Contains("<script>") && !Catch::Contains("<b>"));
    CHECK_THAT(reviews, Catch::Contains("<li class=\"flag\">phone number</li>"));
    CHECK_THAT(reviews, Catch::Contains("<p class=\"meta\">Rating only, no text</p>"));
    CHECK(occurrences(reviews, "<form class=\"review-action\" method=\"post\" action=\"/reviews/approve\">") == 2);
    CHECK(occurrences(reviews, "<input type=\"text\" name=\"reason\" required maxlength=\"2000\">") == 2);
    CHECK(occurrences(reviews, "<input type=\"hidden\" name=\"back\" value=\"/?") == 4);
    // In Persian: the flags and the section in Persian, the shopper's words still in their own direction.
    page.language = "fa";
    const std::string persian = hub::render_dashboard_page(page, texts());
    keep_for_a_look("reviews-fa", persian);
    CHECK_THAT(persian, Catch::Contains(">" + texts().text("fa", "Reviews waiting for moderation") + "</h2>"));
    CHECK_THAT(persian, Catch::Contains("<li class=\"flag\">شماره تلفن</li>"));
    CHECK_THAT(persian, Catch::Contains("<li class=\"flag\">ناسزا (tr)</li>"));
    CHECK_THAT(persian, Catch::Contains("aria-label=\"۲ از ۵ ستاره\""));
    // Nothing waiting: said so.
    page.reviews.clear();
    page.language = "en";
    CHECK_THAT(hub::render_dashboard_page(page, texts()), Catch::Contains("<p class=\"empty\">No reviews waiting for moderation</p>"));
}

TEST_CASE("an empty period shows empty sections in every language, never an error or NaN", "[hub][dashboard][page]") {
    for (const std::string language : {"en", "fa", "ar", "el", "tr"}) {
        INFO(language);
        const std::string html = hub::render_dashboard_page(empty_page(language), texts());
        keep_for_a_look("empty-" + language, html);
        const std::string& no_answers = texts().text(language, "No answers in this period");
        CHECK(occurrences(html, "<p class=\"empty\">" + no_answers + "</p>") == 7);  // every section; rankings twice
        CHECK_THAT(html, Catch::Contains(texts().text(language, "No kiosks in this view")));
        for (const char* bad : {"nan", "NaN", "inf", "error"}) CHECK_THAT(html, !Catch::Contains(bad));
        CHECK_THAT(html, Catch::Contains("<select name=\"region\">"));  // an admin's page
    }
    // Figures that cannot be computed are a dash, not NaN, when the rest has data.
    auto page = sample_page("en");
    page.current.fmot.index.reset();
    page.current.smot.rated = 0;
    page.current.smot.average_rating = std::nullopt;
    page.store_ranking[0].index = std::nullopt;
    const std::string html = hub::render_dashboard_page(page, texts());
    CHECK_THAT(html, !Catch::Contains("nan") && !Catch::Contains("NaN"));
    CHECK_THAT(html, Catch::Contains("<div class=\"value\">–</div><div class=\"label\">Index (0-100)</div>"));
    // Reactions nobody explained get no empty column; with none explained at all, the note says so.
    CHECK_THAT(html, !Catch::Contains("<div><h3>Unhappy</h3>"));
    CHECK_THAT(html, Catch::Contains("<div><h3>Very happy</h3>"));
    page.current.fmot.drivers_by_reaction = {};
    const std::string undriven = hub::render_dashboard_page(page, texts());
    const auto fmot = undriven.substr(undriven.find("<section id=\"fmot\""));
    CHECK_THAT(fmot.substr(0, fmot.find("</section>")),
               Catch::Contains("What drove each reaction</h3>\n<div class=\"columns\">\n</div>\n"
                               "<p class=\"empty\">No answers in this period</p>"));
}

TEST_CASE("every message of the page is in the dashboard catalogs, translated, placeholders kept",
          "[hub][dashboard][translations]") {
    // The messages dashboard_page.cpp asks for: each t("...") literal, and the answers' kiosk labels.
    const std::string source = read_file(kSource + "/hub/src/dashboard_page.cpp");
    std::set<std::string> used;
    const std::regex call(R"re(\bt\("((?:[^"\\]|\\.)*)"\))re");
    for (auto it = std::sregex_iterator(source.begin(), source.end(), call); it != std::sregex_iterator(); ++it) {
        used.insert((*it)[1]);
    }
    REQUIRE(used.size() > 90);
    const auto add_labels = [&](const auto& answers) {
        for (const auto& answer : answers) used.insert(std::string(answer.label));
    };
    add_labels(core::kDrivers);
    add_labels(core::kIntents);
    add_labels(core::kWhyNots);
    add_labels(core::kShelfObservations);
    add_labels(core::kExpectations);
    add_labels(core::kPostPurchaseTopics);

    auto pot = core::parse_po(read_file(kCatalogs + "/dashboard.pot"), "dashboard.pot");
    REQUIRE(pot);
    std::set<std::string> template_ids;
    for (const auto& entry : pot.value()) {
        if (!entry.msgid.empty()) template_ids.insert(entry.msgid);
    }
    CHECK(template_ids == used);  // nothing missing, nothing obsolete
    REQUIRE(hub::load_dashboard_texts().ok());  // found without being told where, as the server will

    for (const std::string& language : kTranslated) {
        const std::string path = kCatalogs + "/" + language + ".po";
        auto po = core::parse_po(read_file(path), path);
        REQUIRE(po);
        std::map<std::string, core::PoEntry> by_msgid;
        for (const auto& entry : po.value()) by_msgid.emplace(entry.msgid, entry);
        CHECK(by_msgid.size() == template_ids.size() + 1);  // and the header
        for (const std::string& msgid : template_ids) {
            INFO(language << ".po, msgid \"" << msgid << "\"");
            REQUIRE(by_msgid.contains(msgid));
            const auto& entry = by_msgid.at(msgid);
            CHECK_FALSE(entry.msgstr.empty());
            CHECK_FALSE(entry.fuzzy);
            CHECK(core::placeholders_of(entry.msgstr) == core::placeholders_of(msgid));
            if (language == "fa") {  // Persian letters, not Arabic ones
                CHECK(entry.msgstr.find("ي") == std::string::npos);
                CHECK(entry.msgstr.find("ك") == std::string::npos);
            }
        }
        // The answers read as the shopper saw them on the kiosk.
        auto kiosk = core::Translations::load(kSource + "/assets/i18n", {language});
        REQUIRE(kiosk);
        for (const auto& answer : core::kPostPurchaseTopics) {
            CHECK(texts().text(language, answer.label) == kiosk.value().text(language, answer.label));
        }
    }
}
