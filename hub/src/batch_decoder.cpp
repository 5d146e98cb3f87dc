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
// document order), non-negative integers are unsigned, negative ones signed, the rest doubles.
json to_json(simdjson::dom::element element) {
    using Type = simdjson::dom::element_type;
    switch (element.type()) {
        case Type::OBJECT: {
            json out = json::object();
            for (auto field : simdjson::dom::object(element)) {
                out[std::string(field.key)] = to_json(field.value);
            }
            return out;
        }
        case Type::ARRAY: {
            json out = json::array();
            auto& items = out.get_ref<json::array_t&>();
            for (auto item : simdjson::dom::array(element)) items.push_back(to_json(item));
            return out;
        }
        case Type::STRING: return json(std::string(std::string_view(element)));
        case Type::INT64: {
            const std::int64_t value = int64_t(element);
            if (value >= 0) return json(static_cast<std::uint64_t>(value));
            return json(value);
        }
        case Type::UINT64: return json(std::uint64_t(element));
        case Type::DOUBLE: return json(double(element));
        case Type::BOOL: return json(bool(element));
        case Type::NULL_VALUE: return json(nullptr);
    }
    return json();
}

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
        return std::make_unique<simdjson::dom::parser>();
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

core::Decoded<core::Batch> decode_batch_body(std::string& body) {
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

    core::Batch batch;
    batch.batch_id = std::string(batch_id);
    batch.items.reserve(events.size());
    for (auto element : events) {
        core::BatchItem item;
        json event_json = to_json(element);
        if (event_json.is_object()) {
            if (const auto id = event_json.find("id"); id != event_json.end() && id->is_string()) {
                item.id = id->get<std::string>();
            }
        }
        auto decoded = core::decode_event(std::move(event_json));
        if (decoded) {
            item.event = std::move(decoded.value());
            item.canonical = core::encode_event(item.event, &item.data_size);
        } else {
            item.reason = decoded.reason();
        }
        batch.items.push_back(std::move(item));
    }
    return batch;
}

}  // namespace truthpoint::hub
