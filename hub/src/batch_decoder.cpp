// simdjson → core::Batch, with core::decode_batch's meaning (see decode_batch_body in ingest.hpp).
#include <simdjson.h>

#include <memory>
#include <mutex>
#include <vector>

#include "truthpoint/hub/ingest.hpp"

namespace truthpoint::hub {
namespace {

using nlohmann::json;

// The value nlohmann's parser gives for the same text: objects keep the last of repeated keys (assignment in
// document order), non-negative integers are unsigned, negative ones signed, the rest doubles. Counts the
// values and levels it builds against core's batch limits, and stops (false) at the first past them.
class ToJson {
public:
    bool convert(simdjson::dom::element element, std::size_t depth, json& out) {
        using Type = simdjson::dom::element_type;
        if (++values_ > core::kMaxEventValues) return false;
        switch (element.type()) {
            case Type::OBJECT: {
                if (depth > core::kMaxBatchDepth) return false;
                out = json::object();
                for (auto field : simdjson::dom::object(element)) {
                    if (!convert(field.value, depth + 1, out[std::string(field.key)])) return false;
                }
                return true;
            }
            case Type::ARRAY: {
                if (depth > core::kMaxBatchDepth) return false;
                out = json::array();
                auto& items = out.get_ref<json::array_t&>();
                for (auto item : simdjson::dom::array(element)) {
                    if (!convert(item, depth + 1, items.emplace_back())) return false;
                }
                return true;
            }
            case Type::STRING: out = std::string(std::string_view(element)); return true;
            case Type::INT64: {
                const std::int64_t value = int64_t(element);
                if (value >= 0) {
                    out = static_cast<std::uint64_t>(value);
                } else {
                    out = value;
                }
                return true;
            }
            case Type::UINT64: out = std::uint64_t(element); return true;
            case Type::DOUBLE: out = double(element); return true;
            case Type::BOOL: out = bool(element); return true;
            case Type::NULL_VALUE: out = nullptr; return true;
        }
        return false;
    }

private:
    std::size_t values_ = 0;
};

// Parsers are lent from a small shared pool rather than kept per thread: the hub may run a thousand pool
// threads (one per open connection), and a parser holds ~15 bytes per byte of the largest body it saw.
// Parsing is short and CPU-bound, so a handful serve every thread.
class ParserPool {
public:
    std::unique_ptr<simdjson::dom::parser> take() {
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                auto parser = std::move(idle_.back());
                idle_.pop_back();
                return parser;
            }
        }
        auto parser = std::make_unique<simdjson::dom::parser>();
        // Too deep a body stops simdjson early; core::decode_batch then names the limit. Should this fail,
        // parse() allocates again (at simdjson's own depth) and ToJson still holds the limit.
        [[maybe_unused]] const auto error = parser->allocate(64 * 1024, core::kMaxBatchDepth);
        return parser;
    }
    // A parser grown by a large body is dropped, not kept.
    void give_back(std::unique_ptr<simdjson::dom::parser> parser) {
        if (parser->capacity() > kKeepUpToBytes) return;
        std::lock_guard lock(mutex_);
        if (idle_.size() < kKeepAtMost) idle_.push_back(std::move(parser));
    }

private:
    static constexpr std::size_t kKeepUpToBytes = 1024 * 1024;
    static constexpr std::size_t kKeepAtMost = 16;
    std::mutex mutex_;  // guards idle_
    std::vector<std::unique_ptr<simdjson::dom::parser>> idle_;
};

ParserPool parsers;

}  // namespace

core::Result<core::Batch> decode_batch_body(std::string& body) {
    if (body.capacity() < body.size() + simdjson::SIMDJSON_PADDING) body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    struct Lease {
        std::unique_ptr<simdjson::dom::parser> parser = parsers.take();
        ~Lease() { parsers.give_back(std::move(parser)); }
    } lease;

    simdjson::dom::element root;
    if (lease.parser->parse(body.data(), body.size(), false).get(root) != simdjson::SUCCESS) {
        return core::decode_batch(body);  // its own message, or a body only nlohmann accepts
    }
    simdjson::dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) return core::decode_batch(body);
    // Repeated top-level keys: rare enough to leave to nlohmann, whose last-one-wins the hub has always had.
    std::string_view batch_id;
    simdjson::dom::array events;
    int batch_id_seen = 0, events_seen = 0;
    bool events_is_array = false, batch_id_is_string = false;
    for (auto field : object) {
        if (field.key == "batch_id") {
            ++batch_id_seen;
            batch_id_is_string = field.value.get_string().get(batch_id) == simdjson::SUCCESS;
        } else if (field.key == "events") {
            ++events_seen;
            events_is_array = field.value.get_array().get(events) == simdjson::SUCCESS;
        }
    }
    if (batch_id_seen != 1 || events_seen != 1 || !batch_id_is_string || !events_is_array || batch_id.empty() ||
        batch_id.size() > 64) {
        return core::decode_batch(body);
    }

    // Past a limit: core::decode_batch stops at the same point and says which limit.
    if (events.size() > core::kMaxBatchEvents) return core::decode_batch(body);
    core::Batch batch;
    batch.batch_id = std::string(batch_id);
    batch.items.reserve(events.size());
    for (auto element : events) {
        json event_json;
        if (!ToJson().convert(element, 3, event_json)) return core::decode_batch(body);
        batch.items.push_back(core::decode_batch_item(std::move(event_json)));
    }
    return batch;
}

}  // namespace truthpoint::hub
