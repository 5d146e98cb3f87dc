// The hub's open alerts for this store, as staff mode words them on "What shoppers just said": each case's
// rule in words staff act on, and its state. They arrive in the hub's configuration document (HubConfig),
// so showing them needs no I/O. The texts are msgids of assets/i18n.
#pragma once

#include <array>
#include <string>

#include "truthpoint/core/config_document.hpp"

namespace truthpoint::app {

// What happened, as one short line: `msgid` with %d filled by `count` or %s by `kiosk_id` (never both).
struct AlertHeadline {
    const char* msgid;
    int count = 0;
    std::string kiosk_id;
};
AlertHeadline alert_headline(const core::ConfigAlert& alert);

// "Waiting for a manager" (open) or "A manager is on it" (acknowledged).
const char* alert_state_msgid(const core::ConfigAlert& alert);

// Every text alert_headline and alert_state_msgid return, and the page's own (the catalogs and the font
// atlas need them).
inline constexpr std::array<const char*, 11> kHubAlertMsgids{
    "Open alerts from the hub: %d",
    "No open alerts",
    "Many unhappy shoppers in the last %d minutes",
    "Many unhappy shoppers lately",
    "A shopper reported pain",
    "Shoppers reported pain %d times",
    "Kiosk %s is silent",
    "Kiosk %s cannot send its answers",
    "An alert from the hub",
    "Waiting for a manager",
    "A manager is on it",
};

}  // namespace truthpoint::app
