// Where things go on the kiosk's screens, as pure functions of the window size, the screen's DPI and the
// reading direction. No ImGui here: the geometry is unit-tested without a window, and test tools find
// tap targets from it.
//
// [SECTION] Geometry types and units
// [SECTION] Mirroring for right-to-left languages
// [SECTION] The frame around a question: progress, larger text, back / skip / next
// [SECTION] Screens: attract, product pick, reaction, choices (drivers, intent, why-not), messages
// [SECTION] Overlays: idle warning, staff PIN pad, staff menu
//
// Every layout is computed left to right once and then passed through a Mirror, so that Persian and
// Arabic mirror the whole screen (reading order of rows and grids, alignment, arrows, progress) in one
// place instead of screen by screen.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "truthpoint/core/event.hpp"

namespace truthpoint::kiosk_ui {

// [SECTION] Geometry types and units

struct Point {
    float x = 0;
    float y = 0;
};

struct Size {
    float width = 0;
    float height = 0;
};

struct Rect {
    float x = 0;
    float y = 0;
    float width = 0;
    float height = 0;

    float right() const { return x + width; }
    float bottom() const { return y + height; }
    Point center() const { return {x + width / 2, y + height / 2}; }
    bool contains(Point p) const { return p.x >= x && p.x < right() && p.y >= y && p.y < bottom(); }
    bool inside(Size window) const { return x >= 0 && y >= 0 && right() <= window.width && bottom() <= window.height; }
    bool overlaps(const Rect& other) const {
        return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
    }
};

// Physical size on the glass → pixels, at the DPI the kiosk's config declares.
float mm_to_px(float millimetres, double dpi);
float px_to_mm(float pixels, double dpi);

// The smallest target a shopper is asked to hit (DESIGN.md: ≥ 15 mm), faces included.
inline constexpr float kMinTargetMm = 15.0f;
inline constexpr float kMinFaceWidthMm = kMinTargetMm;
// The large-text option scales every text by this much; layouts leave room for it.
inline constexpr float kLargeTextScale = 1.3f;

// Font pixel sizes, chosen once per window: large enough to read from a metre, small enough to fit.
struct TypeScale {
    float headline = 0;  // the one question on a screen
    float body = 0;      // buttons, call to action, thank-you
    float caption = 0;   // face labels, hints, errors
};
TypeScale type_scale(Size window, double dpi);

// Spacing shared by every screen.
struct Spacing {
    float margin = 0;      // from the window's edges
    float gap = 0;         // between neighbouring targets
    float min_target = 0;  // 15 mm
    float bar_height = 0;  // top and bottom rows of buttons
};
Spacing screen_spacing(Size window, double dpi);
inline bool is_landscape(Size window) { return window.width >= window.height; }

// [SECTION] Mirroring for right-to-left languages

struct Mirror {
    float window_width = 0;
    bool right_to_left = false;

    Rect operator()(const Rect& rect) const {
        return right_to_left ? Rect{window_width - rect.right(), rect.y, rect.width, rect.height} : rect;
    }
    Point operator()(Point point) const { return right_to_left ? Point{window_width - point.x, point.y} : point; }
    // +1 where "forward" (Next, the next progress dot) points right, -1 where it points left.
    float forward() const { return right_to_left ? -1.0f : 1.0f; }
};

// `count` cells of `columns` per row, in reading order, centred in `area`; a short last row is centred.
// Cells are at most `max_cell_height` tall. Left to right: pass the result through a Mirror.
std::vector<Rect> grid_cells(const Rect& area, std::size_t count, std::size_t columns, float gap,
                             float max_cell_height);

// [SECTION] The frame around a question

struct Chrome {
    Rect staff_corner;  // held for a few seconds, opens the staff PIN pad; no target overlaps it
    Rect larger_text;   // the top end (top right in left-to-right languages)
    std::vector<Point> progress_dots;  // one per question of the flow; dots[0] is the first, at the start side
    float dot_radius = 0;
    Rect back;              // bottom start
    Rect primary_action;    // bottom end: Next, or Skip where there is no Next
    Rect secondary_action;  // beside the primary, towards the middle: Skip beside Next
    Rect title;             // the question
    Rect subtitle;          // one short hint under it
    Rect content;           // below the subtitle, above the bottom row: the screen's own targets
};
// `progress_steps`: the flow's number of questions (three after the reaction; six after a purchase).
Chrome layout_chrome(Size window, double dpi, bool right_to_left, std::size_t progress_steps = 3);

// [SECTION] Screens

struct AttractLayout {
    Rect picture;                        // the product cycling on the shelf
    Rect question;                       // "How do you like …?", up to two lines
    Rect call_to_action;                 // the "touch" pill
    std::array<Point, 4> preview_faces;  // small faces under the pill
    float preview_radius = 0;
    Rect language_label;                 // "Choose your language"
    std::vector<Rect> languages;         // one large button each, along the bottom, in reading order
    Rect post_purchase;                  // "Already bought it? Tell us how it went": the second call to action
    Rect review;                         // an approved review of the product shown (stars and text), when there is one
    Rect start_area;                     // everything above the language row starts a session
};
AttractLayout layout_attract(Size window, double dpi, bool right_to_left = false, std::size_t language_count = 0);

struct ProductCell {
    Rect target;   // picture and name
    Rect picture;  // square
    Rect name;
};
struct PickLayout {
    Chrome chrome;
    std::vector<ProductCell> products;  // in reading order
};
PickLayout layout_pick(Size window, double dpi, bool right_to_left, std::size_t product_count);

struct FaceSlot {
    core::Reaction reaction{};
    Rect target;    // what a tap hits: the face and its label
    Point center;   // of the drawn face
    float radius = 0;
    Point label_center;
};

// The reaction screen: the question on top, four faces in a row (very unhappy at the start side).
struct ReactionLayout {
    Chrome chrome;
    Rect question;
    std::array<FaceSlot, 4> faces;
};
ReactionLayout layout_reaction(Size window, double dpi, bool right_to_left = false);

// Drivers (8 toggles), intent (3 buttons) and why-not (5 buttons): large buttons in a grid.
struct ChoiceLayout {
    Chrome chrome;
    std::vector<Rect> buttons;  // in reading order
};
ChoiceLayout layout_choices(Size window, double dpi, bool right_to_left, std::size_t count);

// Saving and thank-you: the chosen face, large, above one or two lines.
struct MessageLayout {
    Point face_center;
    float face_radius = 0;
    Rect message;
    Rect detail;  // the second line: "Your answer helps…", "Touch to try again"
};
MessageLayout layout_message(Size window, double dpi);

// [SECTION] Overlays

struct IdleLayout {
    Rect card;
    Rect question;   // "Are you still there?"
    Rect countdown;  // "Starting over in N seconds"
    Rect action;     // "Touch to continue" (the whole screen is the target)
};
IdleLayout layout_idle(Size window, double dpi);

struct PinPadLayout {
    Rect panel;
    Rect title;
    Rect dots;
    Rect message;
    std::array<Rect, 10> digits;  // digits[d] is the key of digit d: 1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 ✓
    Rect erase;
    Rect submit;
    Rect cancel;  // the top end, like the shopper screens' larger-text button
};
// A PIN pad is never mirrored: keypads read the same way in every language.
PinPadLayout layout_pin_pad(Size window, double dpi, bool right_to_left);

// The staff menu: a title, the three pages' tabs beside it, the page below, and the two ways out.
struct StaffMenuLayout {
    Rect panel;
    Rect title;
    std::array<Rect, 3> tabs;  // shelf log, what shoppers just said, kiosk health: in reading order
    Rect content;              // the page
    Rect back_to_shoppers;     // bottom start
    Rect exit_kiosk;           // bottom end
};
StaffMenuLayout layout_staff_menu(Size window, double dpi, bool right_to_left);

// The shelf log before a product is chosen: a prompt ("tap it or scan it") and the shelf as a grid.
struct StaffProductsLayout {
    Rect prompt;
    std::vector<ProductCell> products;  // in reading order
};
StaffProductsLayout layout_staff_products(const StaffMenuLayout& menu, Size window, double dpi, bool right_to_left,
                                          std::size_t product_count);

// The shelf log of one product: its name with "Change product" at the end, the six observations (large,
// for gloved fingers) each with its tally, and Undo below them while the last tap can be taken back.
struct ShelfLogLayout {
    Rect product;
    Rect change_product;
    std::array<Rect, 6> observations;  // in reading order
    Rect undo;                         // start side of the bottom line
    Rect status;                       // the rest of it: "Logged this visit"
};
ShelfLogLayout layout_shelf_log(const StaffMenuLayout& menu, Size window, double dpi, bool right_to_left);

// What shoppers just said: one row per reported pain, its text at the start and "Seen" at the end.
struct ReportRow {
    Rect row;
    Rect text;  // time and product on the first line, what was said below
    Rect seen;
};
// One of the hub's open alerts: what happened on the first line, its state and age on the second.
struct AlertLine {
    Rect row;
    Rect what;
    Rect status;
};
// The hub's alerts (staff act on them: at the end side on a landscape screen, above on a portrait one) and
// today's pains at this kiosk. `alert_lines` is how
// many alerts are shown (at least one line: "No open alerts"), at most kMaxAlertLinesShown; the heading
// counts them all.
inline constexpr std::size_t kMaxAlertLinesShown = 3;
struct ShopperReportsLayout {
    Rect alerts_heading;
    std::vector<AlertLine> alerts;
    Rect heading;
    std::vector<ReportRow> rows;  // as many as fit
};
ShopperReportsLayout layout_shopper_reports(const StaffMenuLayout& menu, Size window, double dpi, bool right_to_left,
                                            std::size_t alert_lines = 1);

// Kiosk health: the facts at the start, what to do and "Sync now" at the end (below on a portrait screen).
struct HealthLayout {
    Rect facts;
    Rect advice;
    Rect sync_now;
};
HealthLayout layout_health(const StaffMenuLayout& menu, Size window, double dpi, bool right_to_left);

// A question that needs a yes before it acts ("Exit the kiosk?"): a card with two lines and two buttons,
// the safe answer at the end (where Next usually is), the one that acts at the start.
struct ConfirmLayout {
    Rect card;
    Rect question;
    Rect detail;   // what will happen, up to two lines
    Rect act;      // "Exit kiosk"
    Rect stay;     // "Stay"
};
ConfirmLayout layout_confirm(Size window, double dpi, bool right_to_left);

}  // namespace truthpoint::kiosk_ui
