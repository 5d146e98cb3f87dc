// The shipped demo catalog and its pictures, GTIN check digits, scanner look-ups, and the errors a bad
// catalog gives.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.hpp"
#include "truthpoint/app/product_catalog.hpp"

using namespace truthpoint::app;
using truthpoint::testing::TempDir;

namespace {

const std::string kCatalog = std::string(TRUTHPOINT_SOURCE_ASSETS) + "/catalog/catalog.json";

struct PngSize {
    bool signature_ok = false;
    unsigned width = 0, height = 0;
};

// The PNG signature, then the IHDR chunk: length 13, "IHDR", width and height big-endian.
PngSize read_png_size(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    unsigned char head[24] = {};
    file.read(reinterpret_cast<char*>(head), sizeof head);
    PngSize size;
    const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    size.signature_ok = file.gcount() == 24 && std::equal(signature, signature + 8, head) &&
                        std::string(reinterpret_cast<char*>(head + 12), 4) == "IHDR";
    const auto be32 = [&](int at) {
        return unsigned(head[at]) << 24 | unsigned(head[at + 1]) << 16 | unsigned(head[at + 2]) << 8 | head[at + 3];
    };
    size.width = be32(16);
    size.height = be32(20);
    return size;
}

std::string write_catalog(const TempDir& dir, const std::string& json) {
    const std::string path = dir.file("catalog.json");
    std::ofstream(path) << json;
    return path;
}

std::string catalog_failure(const TempDir& dir, const std::string& json) {
    const auto loaded = load_product_catalog(write_catalog(dir, json));
    REQUIRE_FALSE(loaded);
    return loaded.error().message;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the shipped catalog loads: six products, five languages, real pictures", "[catalog]") {
    const auto loaded = load_product_catalog(kCatalog);
    INFO((loaded ? std::string() : loaded.error().message));
    REQUIRE(loaded);
    const auto& products = loaded.value();
    REQUIRE(products.size() == 6);
    for (const Product& product : products) {
        INFO("sku " << product.sku);
        CHECK(product.sku.size() == 13);
        CHECK(has_valid_gtin_check_digit(product.sku));
        for (const char* locale : {"en", "fa", "ar", "el", "tr"}) CHECK(product.names.contains(locale));

        REQUIRE(std::filesystem::path(product.image_path).is_absolute());
        REQUIRE(std::filesystem::is_regular_file(product.image_path));
        CHECK(std::filesystem::file_size(product.image_path) < 40 * 1024);
        const PngSize png = read_png_size(product.image_path);
        CHECK(png.signature_ok);
        CHECK(png.width == 512);
        CHECK(png.height == 512);
    }
    CHECK(products[0].name("en") == "Wildflower Honey 450 g");
    CHECK(products[0].name("fa") == "عسل گل‌های وحشی ۴۵۰ گرم");
    CHECK(products[0].name("ar") == "عسل الزهور البرية ٤٥٠ غرام");
    CHECK(products[0].name("de") == "Wildflower Honey 450 g");
}

TEST_CASE("GTIN check digits and scanner look-ups", "[catalog]") {
    CHECK(has_valid_gtin_check_digit("4006381333931"));   // EAN-13
    CHECK_FALSE(has_valid_gtin_check_digit("4006381333932"));
    CHECK(has_valid_gtin_check_digit("036000291452"));    // UPC-A
    CHECK(has_valid_gtin_check_digit("96385074"));        // EAN-8
    CHECK(has_valid_gtin_check_digit("10012345000017"));  // GTIN-14
    CHECK_FALSE(has_valid_gtin_check_digit("40063813339a1"));
    CHECK_FALSE(has_valid_gtin_check_digit("123456789"));
    CHECK_FALSE(has_valid_gtin_check_digit(""));

    std::vector<Product> products(2);
    products[0].sku = "0036000291452";
    products[1].sku = "4006381333931";
    CHECK(find_product(products, "4006381333931") == &products[1]);
    CHECK(find_product(products, "036000291452") == &products[0]);  // the scanner sends UPC-A
    CHECK(find_product(products, "00036000291452") == &products[0]);
    CHECK(find_product(products, "4006381333932") == nullptr);
    CHECK(find_product(products, "") == nullptr);
    CHECK(find_product(products, "40063813339x1") == nullptr);
}

TEST_CASE("Product::name falls back to English, then to the sku", "[catalog]") {
    Product product;
    product.sku = "4006381333931";
    product.names = {{"en", "Pencil"}, {"fa", "مداد"}};
    CHECK(product.name("fa") == "مداد");
    CHECK(product.name("tr") == "Pencil");
    product.names.clear();
    CHECK(product.name("en") == "4006381333931");
}

TEST_CASE("a bad catalog is refused with the file, the product and what to fix", "[catalog]") {
    TempDir dir;
    const std::string path = dir.file("catalog.json");
    const std::filesystem::path images = dir.path() / "images";
    std::filesystem::create_directories(images);
    std::filesystem::copy_file(std::string(TRUTHPOINT_SOURCE_ASSETS) + "/catalog/images/corn-flakes.png",
                               images / "corn.png");
    std::ofstream(images / "fake.png") << "not a picture";
    const std::string good = R"({"sku": "4006381333931", "names": {"en": "Pencil"}, "image": "images/corn.png"})";
    const auto with_second = [&](const std::string& second) {
        return R"({"products": [)" + good + ", " + second + "]}";
    };

    SECTION("a good one, with a picture relative to the file and one without") {
        const auto loaded = load_product_catalog(
            write_catalog(dir, with_second(R"({"sku": "96385074", "names": {"en": "Eraser", "tr": "Silgi"}})")));
        INFO((loaded ? std::string() : loaded.error().message));
        REQUIRE(loaded);
        REQUIRE(loaded.value().size() == 2);
        CHECK(loaded.value()[0].image_path == (images / "corn.png").string());
        CHECK(loaded.value()[1].image_path.empty());
        CHECK(loaded.value()[1].name("tr") == "Silgi");
    }
    SECTION("no file") {
        const auto loaded = load_product_catalog(dir.file("missing.json"));
        REQUIRE_FALSE(loaded);
        CHECK(contains(loaded.error().message, dir.file("missing.json")));
    }
    SECTION("not JSON, no products, empty products") {
        CHECK(catalog_failure(dir, "{\"products\": [") == path + ": not valid JSON");
        CHECK(contains(catalog_failure(dir, "[]"), "expected {\"products\": [...]}"));
        CHECK(contains(catalog_failure(dir, R"({"products": []})"), "\"products\" is empty"));
    }
    SECTION("missing sku") {
        CHECK(catalog_failure(dir, with_second(R"({"names": {"en": "X"}})")) ==
              path + ": products[1]: no \"sku\": give the barcode's digits as a string, e.g. \"5201234567891\"");
        CHECK(contains(catalog_failure(dir, with_second(R"({"sku": 4006381333931, "names": {"en": "X"}})")),
                       "products[1]: no \"sku\""));
    }
    SECTION("a sku that is not 8 to 14 digits") {
        for (const char* sku : {"1234567", "123456789012345", "40063813339A1", ""}) {
            const std::string reason =
                catalog_failure(dir, with_second(std::string(R"({"sku": ")") + sku + R"(", "names": {"en": "X"}})"));
            CHECK(reason ==
                  path + ": products[1] (sku " + sku + "): the sku must be the 8 to 14 digits a scanner types");
        }
    }
    SECTION("a wrong check digit, a duplicate") {
        CHECK(contains(catalog_failure(dir, with_second(R"({"sku": "4006381333932", "names": {"en": "X"}})")),
                       "products[1] (sku 4006381333932): the last digit is not the barcode's check digit"));
        CHECK(contains(catalog_failure(dir, with_second(R"({"sku": "04006381333931", "names": {"en": "X"}})")),
                       "products[1] (sku 04006381333931): the same sku is listed twice"));
    }
    SECTION("names: none, no English, not a string") {
        CHECK(contains(catalog_failure(dir, with_second(R"({"sku": "96385074"})")),
                       "products[1] (sku 96385074): no \"names\""));
        CHECK(contains(catalog_failure(dir, with_second(R"({"sku": "96385074", "names": {"fa": "مداد"}})")),
                       "products[1] (sku 96385074): no \"en\" name"));
        CHECK(contains(catalog_failure(dir, with_second(R"({"sku": "96385074", "names": {"en": "X", "el": 3}})")),
                       "the \"el\" name must be a non-empty string"));
    }
    SECTION("a picture that is missing or not a picture") {
        const auto with_image = [&](const std::string& image) {
            return with_second(R"({"sku": "96385074", "names": {"en": "X"}, "image": )" + image + "}");
        };
        CHECK(catalog_failure(dir, with_image(R"("images/gone.png")")) ==
              path + ": products[1] (sku 96385074): image " + (images / "gone.png").string() + ": not found");
        CHECK(contains(catalog_failure(dir, with_image(R"("images/fake.png")")),
                       "images/fake.png: not a PNG or JPEG picture"));
        CHECK(contains(catalog_failure(dir, with_image("7")), "\"image\" must be the path of a PNG or JPEG file"));
    }
}
