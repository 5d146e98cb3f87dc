// apply_config_pull: store first, then post — a kiosk that crashes in between starts with the new one.
#include "truthpoint/kiosk_runtime/config_apply.hpp"

#include "truthpoint/app/hub_config.hpp"

namespace truthpoint::kiosk_runtime {

bool apply_config_pull(const sync::ConfigPull& pull, const app::KioskConfig& config, app::ShelfInbox& inbox,
                       const std::function<void(const std::string&)>& log) {
    using Outcome = sync::ConfigPull::Outcome;
    // A failed pull is the uploader's news (staff mode shows its error); the poller retries sooner.
    if (pull.outcome != Outcome::Updated) return pull.outcome != Outcome::Failed;
    auto stored = app::save_hub_config(app::hub_config_path(config), pull.document, pull.etag,
                                       app::hub_config_images_dir(config));
    if (!stored) {
        log("kept the last good configuration: " + stored.error().message);
        return false;
    }
    if (const auto& skipped = stored.value().skipped_fields; !skipped.empty()) {
        std::string names;
        for (const std::string& name : skipped) names += (names.empty() ? "" : ", ") + name;
        log("the hub's configuration has fields this kiosk does not know (" + names +
            "): used without them; upgrade the kiosk to use them");
    }
    inbox.post(std::move(stored.value()));
    return true;
}

}  // namespace truthpoint::kiosk_runtime
