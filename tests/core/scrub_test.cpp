// Comment scrubbing: a table of e-mail addresses, phone numbers and links in the five languages' scripts
// and digits (English, Persian, Arabic, Greek, Turkish), and of text that must stay as typed.
#include <catch2/catch.hpp>

#include "truthpoint/core/scrub.hpp"

using truthpoint::core::scrub_comment;

namespace {

struct Row {
    const char* typed;
    const char* stored;
    std::vector<std::string> removed;
};

}  // namespace

TEST_CASE("comments lose e-mail addresses, phone numbers and links, and nothing else", "[scrub]") {
    const std::vector<Row> rows{
        // English
        {"Great honey, write me at jane.doe+x@example.co.uk!", "Great honey, write me at …!", {"email"}},
        {"Call +1 (415) 555-0123 about it", "Call … about it", {"phone"}},
        {"see https://shop.example.com/p?id=3 for more", "see … for more", {"link"}},
        {"(www.example.org) is better", "(…) is better", {"link"}},
        {"bought 2 jars for 12.50 on 3 May", "bought 2 jars for 12.50 on 3 May", {}},
        // Persian: Persian digits, Latin addresses inside Persian text, Persian punctuation
        {"عالی بود، شماره من ۰۹۱۲ ۳۴۵ ۶۷۸۹ است", "عالی بود، شماره من … است", {"phone"}},
        {"ایمیل: ali.rezaei@mail.ir، ممنون", "ایمیل: …، ممنون", {"email"}},
        {"سایت digikala.com/product/1 را ببینید", "سایت … را ببینید", {"link"}},
        {"۳ بسته خریدم", "۳ بسته خریدم", {}},
        // Arabic: Arabic-Indic digits, with dashes and a plus
        {"اتصل بي على +٩٦٦-٥٠-١٢٣-٤٥٦٧ شكراً", "اتصل بي على … شكراً", {"phone"}},
        {"راسلني omar@example.sa؟", "راسلني …؟", {"email"}},
        {"منتج ممتاز ٥ نجوم", "منتج ممتاز ٥ نجوم", {}},
        // Greek
        {"Τηλέφωνο 210 123 4567, email: maria@example.gr", "Τηλέφωνο …, email: …", {"email", "phone"}},
        {"Δείτε http://παράδειγμα.gr/σελίδα", "Δείτε …", {"link"}},
        {"Πολύ καλό μέλι, 5/5", "Πολύ καλό μέλι, 5/5", {}},
        // Turkish
        {"Beni 0532 123 45 67 numarasından arayın", "Beni … numarasından arayın", {"phone"}},
        {"Çok güzel! ayşe.yılmaz@örnek.com.tr yazın", "Çok güzel! … yazın", {"email"}},
        {"www.trendyol.com'da daha ucuz", "…'da daha ucuz", {"link"}},
        {"Ürün kodu A1234567 harika", "Ürün kodu A1234567 harika", {}},
    };
    for (const Row& row : rows) {
        INFO(row.typed);
        const auto scrubbed = scrub_comment(row.typed);
        CHECK(scrubbed.text == row.stored);
        CHECK(scrubbed.removed == row.removed);
    }
}

TEST_CASE("scrubbed text is always valid UTF-8 and trimmed", "[scrub]") {
    CHECK(scrub_comment("  ok \xff\xfe  ").text == "ok");
    CHECK(scrub_comment("cut \xd8").text == "cut");
    CHECK(scrub_comment("").text.empty());
    CHECK(scrub_comment("  \n ").removed.empty());
}
