// The kiosk configuration document's codec (GET /api/v1/config): strict checks with the field's path in
// every reason, and a canonical encoding whose bytes depend only on the document.
#include "truthpoint/core/config_document.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <set>

#include "truthpoint/core/uuid.hpp"

namespace truthpoint::core {
namespace {
using json = nlohmann::json;

constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kMaxReviewBytes = 1000;
constexpr std::size_t kMaxOfferBytes = 300;
constexpr std::size_t kMaxImageNameBytes = 255;

// Thrown inside this file only, caught at the two decode functions.
struct Refusal {
    std::string reason;
};

[[noreturn]] void refuse(const std::string& where, const std::string& what) { throw Refusal{where + ": " + what}; }

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}


// GTINs compare as 14 digits: a UPC-A and the EAN-13 with a leading zero are the same product.
std::string padded_gtin(std::string_view digits) {
    return std::string(digits.size() < 14 ? 14 - digits.size() : 0, '0') + std::string(digits);
}

bool is_locale(const std::string& locale) {
    if (locale.size() < 2 || locale.size() > 8) return false;
    return std::all_of(locale.begin(), locale.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; });
}

std::string joined(const auto& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

void expect_object(const json& value, const std::string& where, std::initializer_list<std::string_view> allowed) {
    if (!value.is_object()) refuse(where, "expected an object with " + joined(allowed));
    for (const auto& [key, item] : value.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            refuse(where, "unknown field \"" + key + "\"; the fields are " + joined(allowed));
        }
    }
}

const json& member(const json& object, const std::string& key, const std::string& where) {
    const auto found = object.find(key);
    if (found == object.end()) refuse(where, "missing field \"" + key + "\"");
    return *found;
}

std::string text_field(const json& object, const std::string& key, const std::string& where, std::size_t max_bytes) {
    const std::string path = where + "." + key;
    const json& value = member(object, key, where);
    if (!value.is_string() || value.get<std::string>().empty()) refuse(path, "expected a non-empty string");
    std::string text = value.get<std::string>();
    if (text.size() > max_bytes) refuse(path, "longer than " + std::to_string(max_bytes) + " bytes");
    return text;
}

std::string locale_field(const json& object, const std::string& where) {
    std::string locale = text_field(object, "locale", where, 8);
    if (!is_locale(locale)) refuse(where + ".locale", "\"" + locale + "\" is not a language tag such as \"en\" or \"fa\"");
    return locale;
}

const json& array_field(const json& object, const std::string& key, const std::string& where) {
    const json& value = member(object, key, where);
    if (!value.is_array()) refuse(where + "." + key, "expected a list [...]");
    return value;
}

ConfigProduct decode_product(const json& item, const std::string& at, std::set<std::string>& seen) {
    expect_object(item, at, {"sku", "names", "image"});
    ConfigProduct product;
    const json& sku = member(item, "sku", at);
    if (!sku.is_string()) refuse(at + ".sku", "give the barcode's digits as a string, e.g. \"5201234567891\"");
    product.sku = sku.get<std::string>();
    const std::string where = at + " (sku " + product.sku + ")";
    const std::size_t length = product.sku.size();
    if (!all_digits(product.sku) || length < 8 || length > 14) {
        refuse(where + ".sku", "the sku must be the 8 to 14 digits a scanner types");
    }
    // 8 digits may be UPC-E, whose check digit is not computed this way: those are not checked.
    if ((length == 12 || length == 13 || length == 14) && !has_valid_gtin_check_digit(product.sku)) {
        refuse(where + ".sku", "the last digit is not the barcode's check digit: a scanner could never read it");
    }
    if (!seen.insert(padded_gtin(product.sku)).second) refuse(where + ".sku", "the same sku is listed twice");

    const json& names = member(item, "names", where);
    if (!names.is_object()) refuse(where + ".names", "expected {\"en\": \"...\"} and a name per language");
    for (const auto& [locale, name] : names.items()) {
        const std::string path = where + ".names." + locale;
        if (!is_locale(locale)) refuse(path, "\"" + locale + "\" is not a language tag such as \"en\" or \"fa\"");
        if (!name.is_string() || name.get<std::string>().empty()) refuse(path, "expected a non-empty string");
        if (name.get<std::string>().size() > kMaxNameBytes) {
            refuse(path, "longer than " + std::to_string(kMaxNameBytes) + " bytes");
        }
        product.names.emplace(locale, name.get<std::string>());
    }
    if (!product.names.contains("en")) refuse(where + ".names", "no \"en\" name: English is shown when one is missing");

    if (const auto image = item.find("image"); image != item.end()) {
        const std::string path = where + ".image";
        if (!image->is_string() || image->get<std::string>().empty()) {
            refuse(path, "expected a picture's file name, e.g. \"honey.png\"");
        }
        product.image = image->get<std::string>();
        // A bare name: the kiosk looks it up in its own images directory, never anywhere else.
        if (product.image.find_first_of("/\\") != std::string::npos || product.image == "." ||
            product.image == ".." || product.image.size() > kMaxImageNameBytes) {
            refuse(path, "\"" + product.image + "\" is not a plain file name: give the name only, e.g. \"honey.png\"");
        }
        std::string lower = product.image;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        const auto ends_with = [&](std::string_view suffix) {
            return lower.size() > suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        if (!ends_with(".png") && !ends_with(".jpg") && !ends_with(".jpeg")) {
            refuse(path, "\"" + product.image + "\" is not a .png, .jpg or .jpeg file");
        }
    }
    return product;
}

template <std::size_t N>
std::vector<std::string> decode_choices(const json& questions, const std::string& key,
                                        const std::array<std::string_view, N>& known, const std::string& noun) {
    const json& list = array_field(questions, key, "questions");
    if (list.empty()) refuse("questions." + key, "list at least one of " + joined(known));
    std::vector<std::string> chosen;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "questions." + key + "[" + std::to_string(i) + "]";
        if (!list[i].is_string()) refuse(path, "expected one of " + joined(known));
        const std::string name = list[i].get<std::string>();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            refuse(path, "\"" + name + "\" is not " + noun + "; use one of " + joined(known));
        }
        if (std::find(chosen.begin(), chosen.end(), name) != chosen.end()) refuse(path, "\"" + name + "\" is listed twice");
        chosen.push_back(name);
    }
    return chosen;
}

// A review's or offer's sku must name a product of this catalog: the kiosk shows them beside it.
std::string catalog_sku(const json& item, const std::string& where, const std::set<std::string>& catalog) {
    const std::string sku = text_field(item, "sku", where, 14);
    if (!catalog.contains(padded_gtin(sku))) refuse(where + ".sku", sku + " is not in catalog.products");
    return sku;
}

Timestamp time_field(const json& object, const std::string& key, const std::string& where) {
    const json& value = member(object, key, where);
    const auto instant = value.is_string() ? parse_rfc3339(value.get<std::string>()) : std::nullopt;
    if (!instant) refuse(where + "." + key, "expected a time such as \"2026-03-01T09:30:00.000Z\"");
    return *instant;
}

std::int64_t count_field(const json& object, const std::string& key, const std::string& where, std::int64_t least) {
    const json& value = member(object, key, where);
    if (!value.is_number_integer() || value.get<long long>() < least) {
        refuse(where + "." + key, "expected a whole number of at least " + std::to_string(least));
    }
    return value.get<std::int64_t>();
}

// A rule's name is checked for its form only: a hub may learn a rule before its kiosks do, and a kiosk
// must not refuse its whole configuration for that (it shows such an alert in general words).
bool is_rule_name(const std::string& name) {
    return !name.empty() && name.size() <= 40 &&
           std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

ConfigAlert decode_alert(const json& item, const std::string& where) {
    expect_object(item, where,
                  {"id", "rule", "state", "kiosk", "summary", "opened_at", "last_fired_at", "times_fired", "window_minutes"});
    ConfigAlert alert;
    alert.id = text_field(item, "id", where, 36);
    if (!is_uuid(alert.id)) refuse(where + ".id", "\"" + alert.id + "\" is not the case's UUID");
    alert.rule = text_field(item, "rule", where, 40);
    if (!is_rule_name(alert.rule)) refuse(where + ".rule", "\"" + alert.rule + "\" is not a rule's name, e.g. \"pain\"");
    alert.state = text_field(item, "state", where, 20);
    if (alert.state != "open" && alert.state != "acknowledged") {
        refuse(where + ".state", "\"" + alert.state + "\" is not open or acknowledged (closed cases are not listed)");
    }
    if (item.contains("kiosk")) alert.kiosk_id = text_field(item, "kiosk", where, 64);
    alert.summary = text_field(item, "summary", where, kMaxAlertSummaryBytes);
    alert.opened_at = time_field(item, "opened_at", where);
    alert.last_fired_at = time_field(item, "last_fired_at", where);
    alert.times_fired = count_field(item, "times_fired", where, 1);
    if (item.contains("window_minutes")) alert.window_minutes = count_field(item, "window_minutes", where, 1);
    return alert;
}

ConfigDocument decode(const json& root, UnknownFields unknown) {
    const std::initializer_list<std::string_view> kTopLevel = {
        "format", "catalog", "questions", "reviews", "offers", "sorry_card", "receipt_key", "earlier_receipt_key",
        "alerts"};
    std::vector<std::string> skipped;
    if (unknown == UnknownFields::Skip && root.is_object()) {
        for (const auto& [key, item] : root.items()) {
            if (std::find(kTopLevel.begin(), kTopLevel.end(), key) == kTopLevel.end()) skipped.push_back(key);
        }
    }
    if (skipped.empty()) {
        expect_object(root, "the document", kTopLevel);
    } else {
        json known = root;
        for (const std::string& key : skipped) known.erase(key);
        ConfigDocument document = decode(known, UnknownFields::Refuse);
        document.skipped_fields = std::move(skipped);
        return document;
    }
    const json& format = member(root, "format", "the document");
    if (!format.is_number_integer() || format.get<long long>() != kConfigDocumentFormat) {
        refuse("format", "this version of Truthpoint reads format " + std::to_string(kConfigDocumentFormat) +
                             " only; write \"format\": " + std::to_string(kConfigDocumentFormat));
    }
    ConfigDocument document;

    const json& catalog = member(root, "catalog", "the document");
    expect_object(catalog, "catalog", {"products"});
    const json& products = array_field(catalog, "products", "catalog");
    if (products.empty()) refuse("catalog.products", "the list is empty: give the shelf's products");
    std::set<std::string> skus;
    for (std::size_t i = 0; i < products.size(); ++i) {
        document.products.push_back(decode_product(products[i], "catalog.products[" + std::to_string(i) + "]", skus));
    }

    const json& questions = member(root, "questions", "the document");
    expect_object(questions, "questions", {"drivers", "why_not"});
    document.drivers = decode_choices(questions, "drivers", wire_names(kDrivers), "a driver");
    document.why_not = decode_choices(questions, "why_not", wire_names(kWhyNots), "a why-not reason");

    if (root.contains("reviews")) {
        const json& reviews = array_field(root, "reviews", "the document");
        for (std::size_t i = 0; i < reviews.size(); ++i) {
            const std::string where = "reviews[" + std::to_string(i) + "]";
            const json& item = reviews[i];
            expect_object(item, where, {"sku", "text", "rating", "locale"});
            ConfigReview review;
            review.sku = catalog_sku(item, where, skus);
            review.text = text_field(item, "text", where, kMaxReviewBytes);
            const json& rating = member(item, "rating", where);
            if (!rating.is_number_integer() || rating.get<long long>() < 1 || rating.get<long long>() > 5) {
                refuse(where + ".rating", "expected a whole number from 1 to 5");
            }
            review.rating = rating.get<int>();
            review.locale = locale_field(item, where);
            document.reviews.push_back(std::move(review));
        }
    }
    if (root.contains("offers")) {
        const json& offers = array_field(root, "offers", "the document");
        for (std::size_t i = 0; i < offers.size(); ++i) {
            const std::string where = "offers[" + std::to_string(i) + "]";
            const json& item = offers[i];
            expect_object(item, where, {"sku", "text", "locale"});
            ConfigOffer offer;
            offer.sku = catalog_sku(item, where, skus);
            offer.text = text_field(item, "text", where, kMaxOfferBytes);
            offer.locale = locale_field(item, where);
            document.offers.push_back(std::move(offer));
        }
    }
    if (root.contains("sorry_card")) {
        const json& rule = root.at("sorry_card");
        expect_object(rule, "sorry_card", {"rating_at_most", "on_pain"});
        if (const auto at_most = rule.find("rating_at_most"); at_most != rule.end()) {
            if (!at_most->is_number_integer() || at_most->get<long long>() < 0 || at_most->get<long long>() > 5) {
                refuse("sorry_card.rating_at_most", "expected a whole number from 0 (never) to 5");
            }
            document.sorry_card.rating_at_most = at_most->get<int>();
        }
        if (const auto on_pain = rule.find("on_pain"); on_pain != rule.end()) {
            if (!on_pain->is_boolean()) refuse("sorry_card.on_pain", "expected true or false");
            document.sorry_card.on_pain = on_pain->get<bool>();
        }
    }
    if (root.contains("receipt_key")) {
        const json& key = root.at("receipt_key");
        if (!key.is_string() || !is_hex64(key.get<std::string>())) {
            refuse("receipt_key", "expected the chain's receipt key, 64 hex digits");
        }
        document.receipt_key = key.get<std::string>();
    }
    if (root.contains("earlier_receipt_key")) {
        const json& key = root.at("earlier_receipt_key");
        if (!key.is_string() || !is_hex64(key.get<std::string>())) {
            refuse("earlier_receipt_key", "expected the chain's earlier receipt key, 64 hex digits");
        }
        if (document.receipt_key.empty()) refuse("earlier_receipt_key", "given without a receipt_key");
        document.earlier_receipt_key = key.get<std::string>();
    }
    if (root.contains("alerts")) {
        const json& alerts = root.at("alerts");
        if (!alerts.is_array()) refuse("alerts", "expected a list [...]");
        if (alerts.size() > kMaxConfigAlerts) {
            refuse("alerts", "more than " + std::to_string(kMaxConfigAlerts) + " alerts: the hub lists the newest only");
        }
        for (std::size_t i = 0; i < alerts.size(); ++i) {
            document.alerts.push_back(decode_alert(alerts[i], "alerts[" + std::to_string(i) + "]"));
        }
    }
    return document;
}

}  // namespace

Result<ConfigDocument> decode_config_json(const nlohmann::json& json, UnknownFields unknown) {
    try {
        return decode(json, unknown);
    } catch (const Refusal& refusal) {
        return make_error(ErrorCode::InvalidArgument, refusal.reason);
    } catch (const std::exception& error) {  // a nlohmann type error we did not foresee
        return make_error(ErrorCode::InvalidArgument,
                                std::string("the document could not be read: ") + error.what());
    }
}

Result<ConfigDocument> decode_config_document(std::string_view text, UnknownFields unknown) {
    if (text.size() > kMaxConfigDocumentBytes) {
        return make_error(ErrorCode::InvalidArgument, "the document is larger than " +
                                                                      std::to_string(kMaxConfigDocumentBytes / 1024) +
                                                                      " KiB: list fewer products, reviews or offers");
    }
    json parsed;
    try {
        parsed = json::parse(text);
    } catch (const json::exception& error) {  // parse_error, and out_of_range for a number such as 1e400
        std::string what = error.what();
        if (const auto bracket = what.find("] "); what.starts_with("[json.exception") && bracket != std::string::npos) {
            what = what.substr(bracket + 2);  // "parse error at line 3, column 5: ..."
        }
        return make_error(ErrorCode::InvalidArgument, "not valid JSON: " + what);
    } catch (const std::exception& error) {  // std::bad_alloc: the size limit above should make this rare
        return make_error(ErrorCode::InvalidArgument,
                                std::string("the document could not be read: ") + error.what());
    }
    return decode_config_json(parsed, unknown);
}

std::string encode_config_document(const ConfigDocument& document) {
    using ordered = nlohmann::ordered_json;
    ordered products = ordered::array();
    for (const ConfigProduct& product : document.products) {
        ordered names = ordered::object();
        for (const auto& [locale, name] : product.names) names[locale] = name;  // std::map: sorted
        ordered item{{"sku", product.sku}, {"names", names}};
        if (!product.image.empty()) item["image"] = product.image;
        products.push_back(std::move(item));
    }
    ordered reviews = ordered::array();
    for (const ConfigReview& review : document.reviews) {
        reviews.push_back({{"sku", review.sku}, {"text", review.text}, {"rating", review.rating}, {"locale", review.locale}});
    }
    ordered offers = ordered::array();
    for (const ConfigOffer& offer : document.offers) {
        offers.push_back({{"sku", offer.sku}, {"text", offer.text}, {"locale", offer.locale}});
    }
    ordered root;
    root["format"] = kConfigDocumentFormat;
    root["catalog"] = ordered{{"products", std::move(products)}};
    root["questions"] = ordered{{"drivers", document.drivers}, {"why_not", document.why_not}};
    root["reviews"] = std::move(reviews);
    root["offers"] = std::move(offers);
    root["sorry_card"] = ordered{{"rating_at_most", document.sorry_card.rating_at_most},
                                 {"on_pain", document.sorry_card.on_pain}};
    if (!document.receipt_key.empty()) root["receipt_key"] = document.receipt_key;
    if (!document.earlier_receipt_key.empty()) root["earlier_receipt_key"] = document.earlier_receipt_key;
    if (!document.alerts.empty()) {
        ordered alerts = ordered::array();
        for (const ConfigAlert& alert : document.alerts) {
            ordered item{{"id", alert.id}, {"rule", alert.rule}, {"state", alert.state}};
            if (!alert.kiosk_id.empty()) item["kiosk"] = alert.kiosk_id;
            item["summary"] = alert.summary;
            item["opened_at"] = format_rfc3339(alert.opened_at);
            item["last_fired_at"] = format_rfc3339(alert.last_fired_at);
            item["times_fired"] = alert.times_fired;
            if (alert.window_minutes > 0) item["window_minutes"] = alert.window_minutes;
            alerts.push_back(std::move(item));
        }
        root["alerts"] = std::move(alerts);
    }
    return root.dump(-1, ' ', false, ordered::error_handler_t::replace);
}

bool has_valid_gtin_check_digit(std::string_view digits) {
    const std::size_t length = digits.size();
    if (!all_digits(digits) || (length != 8 && length != 12 && length != 13 && length != 14)) return false;
    // GS1: from the right, excluding the check digit, weights 3, 1, 3, 1, …
    int sum = 0;
    for (std::size_t i = 0; i + 1 < length; ++i) {
        const int weight = (length - 1 - i) % 2 == 1 ? 3 : 1;
        sum += (digits[i] - '0') * weight;
    }
    return (10 - sum % 10) % 10 == digits.back() - '0';
}

}  // namespace truthpoint::core
