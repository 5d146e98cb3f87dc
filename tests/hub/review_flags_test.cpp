// The moderator's flags on a shared review (hub/src/review_flags.cpp): personal data in Latin, Persian and
// Arabic-Indic digits, links, and the short word lists of the five languages, matched on whole words
// whatever the case, Greek accents or Turkish dotted and dotless i.
#include <catch2/catch.hpp>

#include "truthpoint/hub/reviews.hpp"

using truthpoint::hub::review_flags;
using Flags = std::vector<std::string>;

TEST_CASE("review flags: an ordinary review in each language has none", "[hub][reviews][flags]") {
    CHECK(review_flags("").empty());
    CHECK(review_flags("Lovely honey, would buy again. 5 stars, 2 jars for 12.50").empty());
    CHECK(review_flags("عسل خیلی خوبی بود، ۲ شیشه خریدم").empty());
    CHECK(review_flags("عسل ممتاز، اشتريت ٣ علب").empty());
    CHECK(review_flags("Πολύ καλό μέλι, το ξαναγοράζω").empty());
    CHECK(review_flags("Çok güzel bal, İstanbul'da aldım. Işık gibi").empty());
    // Whole words only: a listed word inside another is not it.
    CHECK(review_flags("Scrappy packaging but a classic taste").empty());
    CHECK(review_flags("Bokser kutusu gibi bir ambalaj").empty());
}

TEST_CASE("review flags: phone numbers in three digit scripts, with spaces and dashes between groups",
          "[hub][reviews][flags]") {
    CHECK(review_flags("call me 0912 345 6789") == Flags{"phone number"});
    CHECK(review_flags("+98-912-345-6789 anytime") == Flags{"phone number"});
    CHECK(review_flags("شماره من ۰۹۱۲ ۳۴۵ ۶۷۸۹ است") == Flags{"phone number"});
    CHECK(review_flags("رقمي ٠٥٥-١٢٣-٤٥٦٧") == Flags{"phone number"});
    CHECK(review_flags("(212) 555-0199") == Flags{"phone number"});
    CHECK(review_flags("τηλέφωνο 2101234567") == Flags{"phone number"});
    // Six digits are a price or a code, not a phone number.
    CHECK(review_flags("cost 125 000 toman").empty());
}

TEST_CASE("review flags: card-like digit runs, e-mails and links", "[hub][reviews][flags]") {
    CHECK(review_flags("my card 4111 1111 1111 1111 was charged twice") == Flags{"card number"});
    CHECK(review_flags("کارت ۶۰۳۷۹۹۷۳۱۲۳۴۵۶۷۸") == Flags{"card number"});
    CHECK(review_flags("write to ali.rezaei@example.ir please") == Flags{"e-mail"});
    CHECK(review_flags("(mehmet@ornek.com.tr)") == Flags{"e-mail"});
    CHECK(review_flags("cheaper at https://shop.example/x") == Flags{"link"});
    CHECK(review_flags("see www.example.org") == Flags{"link"});
    CHECK(review_flags("ucuzu site.com'da") == Flags{"link"});
    CHECK(review_flags("mail a@b.co or call +90 532 123 45 67, card 5500-0000-0000-0004") ==
          Flags{"e-mail", "phone number", "card number"});
}

TEST_CASE("review flags: words of each language's list, on word boundaries, any case", "[hub][reviews][flags]") {
    CHECK(review_flags("Total CRAP, don't buy") == Flags{"profanity (en)"});
    CHECK(review_flags("what the f*** ... fucking awful") == Flags{"profanity (en)"});
    CHECK(review_flags("فروشنده خیلی لعنتی بود") == Flags{"profanity (fa)"});
    CHECK(review_flags("خیلی بی‌شعور بودند") == Flags{"profanity (fa)"});
    CHECK(review_flags("خیلی بیشعور بودند") == Flags{"profanity (fa)"});  // without the non-joiner
    CHECK(review_flags("البائع غبي جدا") == Flags{"profanity (ar)"});
    CHECK(review_flags("منتج حقير") == Flags{"profanity (ar)"});
    // Arabic and Persian share احمق: both lists have it, written with or without hamza.
    CHECK(review_flags("فروشنده احمق بود") == Flags{"profanity (fa)", "profanity (ar)"});
    CHECK(review_flags("أحمق") == Flags{"profanity (fa)", "profanity (ar)"});
    // Greek: any case, with or without accents, final sigma.
    CHECK(review_flags("ΒΛΑΚΑΣ ο πωλητής") == Flags{"profanity (el)"});
    CHECK(review_flags("βλακας ο πωλητης") == Flags{"profanity (el)"});
    CHECK(review_flags("σκατά προϊόν") == Flags{"profanity (el)"});
    // Turkish: dotted and dotless i in either case, and suffixes after a listed stem.
    CHECK(review_flags("SALAK satıcı") == Flags{"profanity (tr)"});
    CHECK(review_flags("Salaksın sen") == Flags{"profanity (tr)"});
    CHECK(review_flags("GERİZEKALI") == Flags{"profanity (tr)"});
    CHECK(review_flags("gerizekali") == Flags{"profanity (tr)"});
    CHECK(review_flags("APTAL'ın biri") == Flags{"profanity (tr)"});
    CHECK(review_flags("boktan bir ürün, idiot packaging") == Flags{"profanity (en)", "profanity (tr)"});
}

TEST_CASE("review flags: text that is not UTF-8 is looked at as far as it is", "[hub][reviews][flags]") {
    CHECK(review_flags(std::string("\xff\xfe salak \xc3")) == Flags{"profanity (tr)"});
    CHECK(review_flags(std::string("09\xff" "12 345 6789")) == Flags{"phone number"});
}
