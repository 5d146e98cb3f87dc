// Drawing helpers shared by the screens (see draw_helpers.hpp).
#include "draw_helpers.hpp"

#include <algorithm>
#include <cmath>

#include "theme.hpp"

namespace truthpoint::kiosk_ui {

void draw_text(ScreenContext& context, ImFont* font, const Rect& area, ImU32 colour, std::string_view text,
               Align align, int max_lines) {
    context.text.draw(ImGui::GetWindowDrawList(), font, font->FontSize, area, colour, text, context.direction(), align,
                      max_lines);
}

bool tap_area(ScreenContext& context, const char* id, const Rect& area) {
    if (!context.input_enabled) return false;
    ImGui::SetCursorScreenPos(top_left(area));
    return ImGui::InvisibleButton(id, ImVec2(std::max(area.width, 1.0f), std::max(area.height, 1.0f)));
}

bool draw_button(ScreenContext& context, const char* id, const Rect& area, std::string_view label, ButtonLook look,
                 bool selected, int max_lines, ImFont* font) {
    const bool tapped = tap_area(context, id, area);
    const bool pressed = context.input_enabled && ImGui::IsItemActive();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const float rounding = std::min(area.height * 0.22f, 28.0f);
    ImU32 fill = theme::kButton;
    ImU32 text_colour = theme::kText;
    if (look == ButtonLook::Primary || selected) {
        fill = theme::kAccent;
        text_colour = theme::kOnAccent;
    }
    if (pressed) fill = theme::shade(fill, 0.85f);
    draw_list->AddRectFilled(top_left(area), bottom_right(area), fill, rounding);
    if (look != ButtonLook::Primary && !selected) {
        draw_list->AddRect(top_left(area), bottom_right(area), theme::kButtonBorder, rounding, 0, 3.0f);
    }
    Rect label_area{area.x + area.height * 0.2f, area.y + area.height * 0.08f, area.width - area.height * 0.4f,
                    area.height * 0.84f};
    if (look == ButtonLook::Toggle) {
        // A tick box, chosen or not, told apart by shape as well as colour: at the start side of a wide
        // button, in the top start corner of a squarer one (so its label keeps the full width).
        const Mirror& mirror = context.mirror();
        const Rect ltr = mirror(area);  // the button as if left to right; mirrored back below
        const bool wide = area.width > area.height * 2.6f;
        const float box = wide ? std::min(area.height * 0.34f, area.width * 0.16f) : area.height * 0.2f;
        const Rect tick_ltr = wide ? Rect{ltr.x + area.height * 0.22f, area.center().y - box / 2, box, box}
                                   : Rect{ltr.x + area.height * 0.1f, area.y + area.height * 0.1f, box, box};
        const Rect tick_rect = mirror(tick_ltr);
        draw_list->AddRect(top_left(tick_rect), bottom_right(tick_rect), selected ? theme::kOnAccent : theme::kMutedText,
                           box * 0.2f, 0, 3.0f);
        if (selected) {
            const ImVec2 a(tick_rect.x + box * 0.2f, tick_rect.y + box * 0.52f);
            const ImVec2 b(tick_rect.x + box * 0.42f, tick_rect.y + box * 0.75f);
            const ImVec2 c(tick_rect.x + box * 0.82f, tick_rect.y + box * 0.25f);
            draw_list->AddLine(a, b, theme::kOnAccent, box * 0.14f);
            draw_list->AddLine(b, c, theme::kOnAccent, box * 0.14f);
        }
        if (wide) {
            const float inset = area.height * 0.22f + box + area.height * 0.12f;
            label_area = mirror(Rect{ltr.x + inset, area.y + area.height * 0.06f, area.width - inset - area.height * 0.1f,
                                     area.height * 0.88f});
        } else {
            label_area = Rect{area.x + area.height * 0.08f, tick_ltr.bottom(), area.width - area.height * 0.16f,
                              area.bottom() - tick_ltr.bottom() - area.height * 0.06f};
        }
    }
    if (font == nullptr) font = context.fonts().body;
    context.text.draw(draw_list, font, font->FontSize, label_area, text_colour, label, context.direction(), Align::Center,
                      max_lines);
    return tapped;
}

void draw_chevron(ImDrawList* draw_list, Point center, float size, float direction, ImU32 colour) {
    const float half = size / 2;
    const ImVec2 tip(center.x + direction * half * 0.5f, center.y);
    draw_list->AddLine(ImVec2(center.x - direction * half * 0.5f, center.y - half), tip, colour, size * 0.16f);
    draw_list->AddLine(ImVec2(center.x - direction * half * 0.5f, center.y + half), tip, colour, size * 0.16f);
}

bool back_allowed(const app::FmotFlow& flow) {
    switch (flow.step()) {
        case app::FmotStep::ProductPick:
        case app::FmotStep::Intent:
        case app::FmotStep::WhyNot:
            return true;
        case app::FmotStep::Reaction:
            return flow.shelf().size() > 1;  // back to the products; with one product there is nothing behind
        default:
            return false;
    }
}

namespace {

// A button with a chevron at one end and its label beside it.
bool draw_arrow_button(ScreenContext& context, const char* id, const Rect& area, std::string_view label,
                       ButtonLook look, float arrow_direction) {
    const bool tapped = draw_button(context, id, area, "", look);
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const ImU32 colour = look == ButtonLook::Primary ? theme::kOnAccent : theme::kText;
    const float arrow = area.height * 0.32f;
    // The chevron sits at the end it points to: Back's at the back, Next's at the front.
    const bool at_right = arrow_direction > 0;
    const float arrow_x = at_right ? area.right() - area.height * 0.35f : area.x + area.height * 0.35f;
    draw_chevron(draw_list, Point{arrow_x, area.center().y}, arrow, arrow_direction, colour);
    const float inset = area.height * 0.6f;
    const Rect label_area{at_right ? area.x + area.height * 0.15f : area.x + inset, area.y,
                          area.width - inset - area.height * 0.15f, area.height};
    context.text.draw(draw_list, context.fonts().body, context.fonts().body->FontSize, label_area, colour, label,
                      context.direction(), Align::Center, 1);
    return tapped;
}

}  // namespace

ChromeTaps draw_chrome(ScreenContext& context, const Chrome& chrome, const ChromeActions& actions) {
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const Mirror mirror = context.mirror();

    // Progress: filled up to the current question, from the start side (the layout mirrors the dots).
    const int position = context.flow.progress_position();
    if (position > 0) {
        for (int i = 0; i < app::FmotFlow::kProgressSteps && i < static_cast<int>(chrome.progress_dots.size()); ++i) {
            const ImVec2 centre = to_imvec(chrome.progress_dots[static_cast<std::size_t>(i)]);
            if (i < position) {
                draw_list->AddCircleFilled(centre, chrome.dot_radius, theme::kAccent, 24);
            } else {
                draw_list->AddCircle(centre, chrome.dot_radius, theme::kMutedText, 24, 2.0f);
            }
        }
    }

    if (draw_button(context, "##larger_text", chrome.larger_text, context.tr("Larger text"), ButtonLook::Toggle,
                    context.flow.session().large_text, 2)) {
        context.flow.toggle_large_text(context.now);
    }

    if (back_allowed(context.flow) &&
        draw_arrow_button(context, "##back", chrome.back, context.tr("Back"), ButtonLook::Secondary, -mirror.forward())) {
        context.flow.back(context.now);
    }

    ChromeTaps taps;
    if (actions.primary) {
        if (actions.primary_is_forward) {
            taps.primary = draw_arrow_button(context, "##primary", chrome.primary_action, context.tr(actions.primary),
                                             ButtonLook::Primary, mirror.forward());
        } else {
            taps.primary = draw_button(context, "##primary", chrome.primary_action, context.tr(actions.primary),
                                       ButtonLook::Secondary, false, 1);
        }
    }
    if (actions.secondary) {
        taps.secondary = draw_button(context, "##secondary", chrome.secondary_action, context.tr(actions.secondary),
                                     ButtonLook::Secondary, false, 1);
    }
    return taps;
}

namespace {
std::string target_name_of(const char* msgid) {
    std::string name(msgid);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
        return c == ' ' ? '_' : static_cast<char>(std::tolower(c));
    });
    return name;  // "Next" → next, "Skip" → skip
}
}  // namespace

void add_chrome_targets(const ScreenContext& context, const Chrome& chrome, const ChromeActions& actions,
                        std::vector<TapTarget>& targets) {
    targets.push_back({"larger_text", chrome.larger_text.center()});
    if (back_allowed(context.flow)) targets.push_back({"back", chrome.back.center()});
    if (actions.primary) targets.push_back({target_name_of(actions.primary), chrome.primary_action.center()});
    if (actions.secondary) targets.push_back({target_name_of(actions.secondary), chrome.secondary_action.center()});
}

void draw_product_picture(ScreenContext& context, const app::Product& product, const Rect& area) {
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    if (const ProductPicture* picture = context.pictures.find(product.sku)) {
        const float scale = std::min(area.width / static_cast<float>(picture->width),
                                     area.height / static_cast<float>(picture->height));
        const float width = static_cast<float>(picture->width) * scale;
        const float height = static_cast<float>(picture->height) * scale;
        const ImVec2 min(std::floor(area.x + (area.width - width) / 2), std::floor(area.y + (area.height - height) / 2));
        draw_list->AddImage(static_cast<ImTextureID>(picture->texture), min, ImVec2(min.x + width, min.y + height));
        return;
    }
    draw_list->AddRectFilled(top_left(area), bottom_right(area), theme::kButton, area.height * 0.08f);
    draw_list->AddRect(top_left(area), bottom_right(area), theme::kButtonBorder, area.height * 0.08f, 0, 3.0f);
}

}  // namespace truthpoint::kiosk_ui
