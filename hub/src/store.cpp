// `--db` URLs and the choice of storage engine behind the Store interface.
#include "truthpoint/hub/store.hpp"

#include <algorithm>
#include <cctype>

#include "truthpoint/hub/postgres_store.hpp"
#include "truthpoint/hub/sqlite_store.hpp"

namespace truthpoint::hub {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

EventFacts event_facts(const core::Event& event) {
    EventFacts facts;
    const auto misuse = event.data.find("misuse");
    facts.misuse = misuse != event.data.end() && *misuse == true;  // validated as a boolean; never throws
    if (can_be_verified_purchase(event.type)) {
        if (const auto it = event.data.find("receipt_hash"); it != event.data.end() && it->is_string()) {
            facts.receipt_hash = it->get<std::string>();
            for (char& c : facts.receipt_hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (const auto it = event.data.find("earlier_receipt_hash"); it != event.data.end() && it->is_string()) {
            facts.earlier_receipt_hash = it->get<std::string>();
            for (char& c : facts.earlier_receipt_hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return facts;
}

std::string filed_receipt_hash(const EventFacts& facts, const std::function<bool(const std::string&)>& store_holds_receipt) {
    if (facts.earlier_receipt_hash.empty() || facts.receipt_hash.empty()) return facts.receipt_hash;
    if (!store_holds_receipt(facts.receipt_hash) && store_holds_receipt(facts.earlier_receipt_hash)) {
        return facts.earlier_receipt_hash;
    }
    return facts.receipt_hash;
}

Result<DatabaseUrl> parse_database_url(std::string_view url) {
    if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
        return DatabaseUrl{DatabaseUrl::Kind::Postgresql, std::string(url)};
    }
    if (starts_with(url, "sqlite:")) {
        std::string_view path = url.substr(std::string_view("sqlite:").size());
        if (starts_with(path, "//")) path.remove_prefix(2);  // sqlite:///var/x and sqlite://./x
        if (path.empty()) {
            return make_error(ErrorCode::InvalidArgument, "'" + std::string(url) +
                                                              "' names no file: use sqlite:PATH, e.g. "
                                                              "sqlite:/var/lib/truthpoint/hub.db");
        }
        if (path == ":memory:" || starts_with(path, "file:")) {
            return make_error(ErrorCode::InvalidArgument,
                              "'" + std::string(url) + "' is not supported: the hub opens several connections to "
                                                       "one database, so give a file path, e.g. sqlite:/tmp/hub.db");
        }
        return DatabaseUrl{DatabaseUrl::Kind::Sqlite, std::string(path)};
    }
    return make_error(ErrorCode::InvalidArgument, "unknown database URL '" + std::string(url) +
                                                      "': use sqlite:PATH or postgresql://USER@HOST/DB");
}

Result<std::unique_ptr<Store>> open_store(std::string_view url) {
    auto parsed = parse_database_url(url);
    if (!parsed) return parsed.error();
    switch (parsed->kind) {
        case DatabaseUrl::Kind::Postgresql: {
            auto store = PostgresStore::open(parsed->location);
            if (!store) return store.error();
            return std::unique_ptr<Store>(std::move(store).value());
        }
        case DatabaseUrl::Kind::Sqlite: {
            auto store = SqliteStore::open(parsed->location);
            if (!store) return store.error();
            return std::unique_ptr<Store>(std::move(store).value());
        }
    }
    return make_error(ErrorCode::Internal, "unhandled database kind");
}

Status check_copied_table(std::string_view table) {
    if (std::find(kCopiedTables.begin(), kCopiedTables.end(), table) != kCopiedTables.end()) return Ok{};
    return make_error(ErrorCode::InvalidArgument, "'" + std::string(table) + "' is not a table `db copy` carries");
}

}  // namespace truthpoint::hub
