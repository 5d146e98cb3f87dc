// The kiosk's texts in each language: the .po catalogs and locale rules live in core (shared with the hub's
// dashboard); these names keep app's and kiosk_ui's code as it was.
#pragma once

#include "truthpoint/core/translations.hpp"

namespace truthpoint::app {

using core::format_text;
using core::FormatArg;
using core::is_right_to_left;
using core::language_of;
using core::localize_digits;
using core::native_language_name;
using core::parse_po;
using core::placeholders_of;
using core::PoEntry;
using core::Translations;

}  // namespace truthpoint::app
