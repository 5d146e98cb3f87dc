// The optional comment after a purchase: the text as typed (shaped, in the typing language's direction),
// what is removed before it is stored, the characters left, and the on-screen keyboard of the shopper's
// language with a key to the kiosk's other languages. A physical keyboard types here too. The flow keeps
// the draft and stores only its scrubbed form (core::scrub_comment) when the shopper goes on.
#include "draw_helpers.hpp"
#include "screens.hpp"
#include "theme.hpp"
#include "truthpoint/kiosk_ui/post_purchase_layout.hpp"

namespace truthpoint::kiosk_ui {

namespace {

constexpr ChromeActions kNextOrSkip{.primary = "Next", .secondary = "Skip", .primary_is_forward = true};

// Shift's sign: an outlined arrow pointing up, filled while the shifted layer shows.
void draw_shift_sign(ImDrawList* draw_list, const Rect& key, ImU32 colour, bool filled) {
    const float h = key.height * 0.42f;
    const Point c = key.center();
    const ImVec2 points[7] = {ImVec2(c.x, c.y - h / 2),          ImVec2(c.x + h / 2, c.y),
                              ImVec2(c.x + h / 4, c.y),          ImVec2(c.x + h / 4, c.y + h / 2),
                              ImVec2(c.x - h / 4, c.y + h / 2),  ImVec2(c.x - h / 4, c.y),
                              ImVec2(c.x - h / 2, c.y)};
    if (filled) {
        draw_list->AddTriangleFilled(points[0], points[1], points[6], colour);
        draw_list->AddRectFilled(points[5], points[3], colour);
    } else {
        draw_list->AddPolyline(points, 7, colour, ImDrawFlags_Closed, std::max(2.0f, h * 0.08f));
    }
}

TextDirection direction_of(const std::string& language) {
    return app::is_right_to_left(language) ? TextDirection::RightToLeft : TextDirection::LeftToRight;
}

}  // namespace

void CommentScreen::enter(const ScreenContext& context) {
    keyboard.emplace(context.languages, context.locale(), app::kMaxCommentCharacters);
}

std::string CommentScreen::still_key(const ScreenContext& /*context*/) const {
    if (!keyboard) return {};
    return keyboard->language() + (keyboard->shifted() ? "/shift" : "") + (keyboard->tonos_pending() ? "/tonos" : "") +
           (keyboard->dialytika_pending() ? "/dialytika" : "");
}

void CommentScreen::type_text(ScreenContext& context, std::string_view utf8) {
    if (!keyboard) enter(context);
    std::string text = context.post_purchase.session().comment;
    if (keyboard->type(utf8, text)) context.post_purchase.edit_comment(std::move(text), context.now);
}

void CommentScreen::erase_text(ScreenContext& context) {
    if (!keyboard) enter(context);
    std::string text = context.post_purchase.session().comment;
    if (keyboard->erase(text)) context.post_purchase.edit_comment(std::move(text), context.now);
}

void CommentScreen::draw(ScreenContext& context) {
    if (!keyboard) enter(context);
    app::PostPurchaseFlow& flow = context.post_purchase;
    const CommentLayout layout = layout_comment(context.window, context.dpi, context.right_to_left());
    const KioskFonts& fonts = context.fonts();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    draw_text(context, fonts.headline, layout.chrome.title, theme::kText, context.tr("Anything you'd like to add?"), Align::Start);

    // The field: the draft in the direction of the language it is typed in, or what to do when empty.
    fill_rounded_rect(draw_list, layout.field, theme::kButton, 14.0f);
    draw_list->AddRect(top_left(layout.field), bottom_right(layout.field), theme::kAccent, 14.0f, 0, 3.0f);
    const float pad = layout.field.height * 0.12f;
    const Rect inside{layout.field.x + pad * 2, layout.field.y + pad, layout.field.width - pad * 4, layout.field.height - 2 * pad};
    const std::string& comment = flow.session().comment;
    if (comment.empty()) {
        context.text.draw(draw_list, fonts.caption, fonts.caption->FontSize, inside, theme::kMutedText,
                          context.tr("Type below; letters are added and erased at the end."), context.direction(),
                          Align::Start, 2);
    } else {
        context.text.draw(draw_list, fonts.body, fonts.body->FontSize, inside, theme::kText, comment,
                          direction_of(keyboard->language()), Align::Start, 2);
    }
    record_target(context, "comment_field", layout.field.center());
    draw_text(context, fonts.caption, layout.notice, theme::kMutedText,
              context.tr("We remove e-mail addresses, phone numbers and links before saving."), Align::Start);
    const auto left = static_cast<int>(keyboard->max_code_points() - std::min(keyboard->max_code_points(), code_point_count(comment)));
    draw_text(context, fonts.caption, layout.counter, left < 20 ? theme::kErrorText : theme::kMutedText,
              app::format_text(context.tr("%d characters left"), context.locale(), {left}), Align::Start);

    // The keys, as the layout prints them; labels in the keyboard's language's direction.
    const KeyboardLayout& keys = keyboard->layout();
    const KeyboardGeometry geometry = layout_keyboard(layout.keyboard, keys, context.dpi);
    std::optional<KeyPosition> pressed;
    for (std::size_t row = 0; row < keys.rows.size(); ++row) {
        for (std::size_t index = 0; index < keys.rows[row].size(); ++index) {
            const KeyPosition position{row, index};
            const KeyAction& action = keyboard->action(position);
            const Rect& rect = geometry.keys[row][index];
            std::string label;
            switch (action.role) {
                case KeyRole::Insert:
                    label = action.name == "key_zwnj" ? "نیم\u200cفاصله" : action.text == " " ? "" : action.text;
                    break;
                case KeyRole::Language: label = app::native_language_name(keyboard->next_language()); break;
                case KeyRole::Tonos:
                case KeyRole::Dialytika: label = action.text; break;
                case KeyRole::Shift:
                case KeyRole::Erase: break;
            }
            const bool latched = keyboard->latched(position);
            ImFont* font = action.role == KeyRole::Language ? fonts.caption : fonts.body;
            if (draw_key(context, action.name, rect, label, latched, font, direction_of(keys.language))) pressed = position;
            if (action.role == KeyRole::Shift) draw_shift_sign(draw_list, rect, latched ? theme::kOnAccent : theme::kText, latched);
            if (action.role == KeyRole::Erase) draw_erase_sign(draw_list, rect, theme::kText);
        }
    }
    if (pressed) {
        std::string text = comment;
        if (keyboard->press(*pressed, text)) flow.edit_comment(std::move(text), context.now);
    }

    const ChromeTaps taps = draw_chrome(context, layout.chrome, kNextOrSkip);
    if (taps.primary) flow.comment_done(context.now);
    if (taps.secondary) flow.skip(context.now);
}

}  // namespace truthpoint::kiosk_ui
