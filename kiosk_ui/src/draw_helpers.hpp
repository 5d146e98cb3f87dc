// Drawing helpers shared by the screens: layout types to ImGui types, translated text that fits its box,
// large buttons, arrows that point the reading direction's way, and the frame around a question.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <imgui.h>

#include "screens.hpp"
#include "truthpoint/kiosk_ui/layout.hpp"

namespace truthpoint::kiosk_ui {

inline ImVec2 to_imvec(Point p) { return ImVec2(p.x, p.y); }
inline ImVec2 top_left(const Rect& r) { return ImVec2(r.x, r.y); }
inline ImVec2 bottom_right(const Rect& r) { return ImVec2(r.right(), r.bottom()); }

// Filled shapes that SDL's software renderer draws cheaply. ImGui fills a rounded shape as one fan of long
// thin triangles over its whole area, and the software rasteriser pays for each triangle's bounding box;
// axis-aligned rectangles go through its fill path instead. So large round shapes are built from
// rectangles (rows of them for discs and pill ends) with a thin anti-aliased edge, and rounded
// rectangles from rectangles plus four small corner pieces. Opaque colours only: pieces overlap.
void fill_disc(ImDrawList* draw_list, ImVec2 center, float radius, ImU32 colour);
void fill_pill(ImDrawList* draw_list, const Rect& rect, ImU32 colour);  // ends are half discs
void fill_rounded_rect(ImDrawList* draw_list, const Rect& rect, ImU32 colour, float radius);
// The outline of a pill, as one closed path (translucent colours are fine).
void stroke_pill(ImDrawList* draw_list, const Rect& rect, ImU32 colour, float thickness);

// Logical (not yet shaped) text in `area`, in the shopper's direction, at `font`'s size, wrapped into at
// most `max_lines` lines and shrunk further until it fits.
void draw_text(ScreenContext& context, ImFont* font, const Rect& area, ImU32 colour, std::string_view text,
               Align align = Align::Center, int max_lines = 1);

// An invisible tap target over `area`, named for the tap-targets file (the name is also its ImGui id);
// true on the frame the tap is released inside it. It is recorded in context.targets at `shown_at` (the
// area's centre by default). Under an overlay (context.input_enabled false) it submits nothing, records
// nothing and returns false.
bool tap_area(ScreenContext& context, const std::string& name, const Rect& area, std::optional<Point> shown_at = {});
// Records a target that is not a button (e.g. "sync_panel": tells a test the panel is shown).
void record_target(ScreenContext& context, const std::string& name, Point at);

enum class ButtonLook { Primary, Secondary, Toggle };

// A large rounded button with a translated label (in `font`, the body font by default); `selected` fills a toggle.
bool draw_button(ScreenContext& context, const std::string& name, const Rect& area, std::string_view label, ButtonLook look,
                 bool selected = false, int max_lines = 2, ImFont* font = nullptr);

// Keypad signs, drawn in the middle of `key`: erase (an arrow-shaped outline with a cross) and OK (a tick).
void draw_erase_sign(ImDrawList* draw_list, const Rect& key, ImU32 colour);
void draw_tick(ImDrawList* draw_list, const Rect& key, ImU32 colour);
// A five-pointed star centred at `center`, filled or outlined.
void draw_star(ImDrawList* draw_list, Point center, float radius, ImU32 colour, bool filled);

// A keyboard key: lighter than draw_button (square corners, one line) for the fifty keys of a keyboard; the
// label shaped in `direction`, the keyboard's language's. `latched` fills it (shift or an accent waiting).
bool draw_key(ScreenContext& context, const std::string& name, const Rect& area, std::string_view label, bool latched,
              ImFont* font, TextDirection direction);

// A chevron: `direction` +1 points right, -1 left.
void draw_chevron(ImDrawList* draw_list, Point center, float size, float direction, ImU32 colour);

// The frame around a question: progress dots, "Larger text", Back where the flow allows it, and up to
// two actions at the bottom end. Returns what was tapped.
struct ChromeActions {
    const char* primary = nullptr;    // msgid: "Next", or "Skip" where there is no Next
    const char* secondary = nullptr;  // msgid: "Skip" beside Next
    bool primary_is_forward = false;  // draws a chevron pointing forward (Next)
};
struct ChromeTaps {
    bool primary = false;
    bool secondary = false;
};
// Its targets are named larger_text, back, next / skip.
ChromeTaps draw_chrome(ScreenContext& context, const Chrome& chrome, const ChromeActions& actions);

// A product's picture fitted into `area`, or a placeholder with its initial.
void draw_product_picture(ScreenContext& context, const app::Product& product, const Rect& area);

}  // namespace truthpoint::kiosk_ui
