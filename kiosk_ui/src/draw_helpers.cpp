// Drawing helpers shared by the screens (see draw_helpers.hpp).
#include "draw_helpers.hpp"

#include <algorithm>
#include <cmath>

#include "theme.hpp"

namespace truthpoint::kiosk_ui {

namespace {

constexpr float kPi = 3.14159265358979f;

int arc_segments(float radius, float turn_fraction) {
    return std::clamp(static_cast<int>(radius * turn_fraction * 0.9f), 4, 64);
}

// Rows one pixel high between `top` and `bottom`: each row spans [left(y), right(y)].
template <typename Span>
void fill_rows(ImDrawList* draw_list, float top, float bottom, ImU32 colour, Span span) {
    for (float y = std::floor(top); y < bottom; y += 1.0f) {
        const float row_top = std::max(y, top);
        const float row_bottom = std::min(y + 1.0f, bottom);
        const auto [left, right] = span((row_top + row_bottom) / 2);
        if (right > left) draw_list->AddRectFilled(ImVec2(left, row_top), ImVec2(right, row_bottom), colour);
    }
}

float half_chord(float radius, float dy) { return std::sqrt(std::max(0.0f, radius * radius - dy * dy)); }

}  // namespace

void fill_disc(ImDrawList* draw_list, ImVec2 center, float radius, ImU32 colour) {
    if (radius <= 0) return;
    fill_rows(draw_list, center.y - radius, center.y + radius, colour, [&](float y) {
        const float half = half_chord(radius, y - center.y);
        return std::pair{center.x - half, center.x + half};
    });
    // A thin anti-aliased rim smooths the rows' steps.
    draw_list->AddCircle(center, radius - 0.5f, colour, std::clamp(static_cast<int>(radius), 24, 128), 1.5f);
}

void fill_pill(ImDrawList* draw_list, const Rect& rect, ImU32 colour) {
    const float radius = std::min(rect.width, rect.height) / 2;
    if (radius <= 0) return;
    const float cy = rect.center().y;
    const float left_center = rect.x + radius;
    const float right_center = rect.right() - radius;
    fill_rows(draw_list, rect.y, rect.bottom(), colour, [&](float y) {
        const float half = half_chord(radius, y - cy);
        return std::pair{left_center - half, right_center + half};
    });
    stroke_pill(draw_list, Rect{rect.x + 0.5f, rect.y + 0.5f, rect.width - 1, rect.height - 1}, colour, 1.5f);
}

void stroke_pill(ImDrawList* draw_list, const Rect& rect, ImU32 colour, float thickness) {
    const float radius = std::min(rect.width, rect.height) / 2;
    if (radius <= 0) return;
    const float cy = rect.center().y;
    const int segments = arc_segments(radius, 0.5f);
    draw_list->PathArcTo(ImVec2(rect.x + radius, cy), radius, kPi * 0.5f, kPi * 1.5f, segments);
    draw_list->PathArcTo(ImVec2(rect.right() - radius, cy), radius, kPi * 1.5f, kPi * 2.5f, segments);
    draw_list->PathStroke(colour, ImDrawFlags_Closed, thickness);
}

void fill_rounded_rect(ImDrawList* draw_list, const Rect& rect, ImU32 colour, float radius) {
    // Whole pixels, so that the rows and the middle meet without a seam.
    const float x0 = std::round(rect.x), x1 = std::round(rect.right());
    const float y0 = std::round(rect.y), y1 = std::round(rect.bottom());
    const float r = std::floor(std::min({radius, (x1 - x0) / 2, (y1 - y0) / 2}));
    if (r < 1.0f) {
        draw_list->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y1), colour);
        return;
    }
    const auto corner_rows = [&](float top, float bottom, float center_y) {
        fill_rows(draw_list, top, bottom, colour, [&](float y) {
            const float inset = r - half_chord(r, y - center_y);
            return std::pair{x0 + inset, x1 - inset};
        });
    };
    corner_rows(y0, y0 + r, y0 + r);
    draw_list->AddRectFilled(ImVec2(x0, y0 + r), ImVec2(x1, y1 - r), colour);
    corner_rows(y1 - r, y1, y1 - r);
    // A thin anti-aliased edge over the rows' steps at the corners.
    draw_list->AddRect(ImVec2(x0 + 0.5f, y0 + 0.5f), ImVec2(x1 - 0.5f, y1 - 0.5f), colour, r - 0.5f, 0, 1.5f);
}

void draw_text(ScreenContext& context, ImFont* font, const Rect& area, ImU32 colour, std::string_view text,
               Align align, int max_lines) {
    context.text.draw(ImGui::GetWindowDrawList(), font, font->FontSize, area, colour, text, context.direction(), align,
                      max_lines);
}

bool tap_area(ScreenContext& context, const std::string& name, const Rect& area, std::optional<Point> shown_at) {
    if (!context.input_enabled) return false;
    record_target(context, name, shown_at.value_or(area.center()));
    ImGui::SetCursorScreenPos(top_left(area));
    return ImGui::InvisibleButton(name.c_str(), ImVec2(std::max(area.width, 1.0f), std::max(area.height, 1.0f)));
}

void record_target(ScreenContext& context, const std::string& name, Point at) {
    if (context.input_enabled && context.targets) context.targets->push_back({name, at});
}

bool draw_button(ScreenContext& context, const std::string& name, const Rect& area, std::string_view label,
                 ButtonLook look, bool selected, int max_lines, ImFont* font) {
    const bool tapped = tap_area(context, name, area);
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
    fill_rounded_rect(draw_list, area, fill, rounding);
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

// A backspace key's sign: an arrow-shaped outline pointing to the erased side.
void draw_erase_sign(ImDrawList* draw_list, const Rect& key, ImU32 colour) {
    const float h = key.height * 0.34f;
    const float w = h * 1.5f;
    const Point c = key.center();
    const ImVec2 points[5] = {ImVec2(c.x - w / 2, c.y), ImVec2(c.x - w / 2 + h / 2, c.y - h / 2),
                              ImVec2(c.x + w / 2, c.y - h / 2), ImVec2(c.x + w / 2, c.y + h / 2),
                              ImVec2(c.x - w / 2 + h / 2, c.y + h / 2)};
    draw_list->AddPolyline(points, 5, colour, ImDrawFlags_Closed, h * 0.12f);
    const float x = h * 0.2f;
    draw_list->AddLine(ImVec2(c.x + w * 0.1f - x, c.y - x), ImVec2(c.x + w * 0.1f + x, c.y + x), colour, h * 0.12f);
    draw_list->AddLine(ImVec2(c.x + w * 0.1f - x, c.y + x), ImVec2(c.x + w * 0.1f + x, c.y - x), colour, h * 0.12f);
}

// A tick: OK on a keypad.
void draw_tick(ImDrawList* draw_list, const Rect& key, ImU32 colour) {
    const float s = key.height * 0.36f;
    const Point c = key.center();
    const ImVec2 a(c.x - s * 0.5f, c.y), b(c.x - s * 0.12f, c.y + s * 0.4f), d(c.x + s * 0.55f, c.y - s * 0.4f);
    draw_list->AddLine(a, b, colour, s * 0.16f);
    draw_list->AddLine(b, d, colour, s * 0.16f);
}

void draw_star(ImDrawList* draw_list, Point center, float radius, ImU32 colour, bool filled) {
    // Ten corners, outer and inner in turn, the first pointing up.
    constexpr float kInner = 0.42f;
    ImVec2 corners[10];
    for (int i = 0; i < 10; ++i) {
        const float angle = -1.5707963f + static_cast<float>(i) * 0.6283185f;
        const float r = i % 2 == 0 ? radius : radius * kInner;
        corners[i] = ImVec2(center.x + r * std::cos(angle), center.y + r * std::sin(angle));
    }
    if (!filled) {
        draw_list->AddPolyline(corners, 10, colour, ImDrawFlags_Closed, std::max(2.0f, radius * 0.07f));
        return;
    }
    // Not convex: the inner pentagon, then a triangle for each point.
    const ImVec2 inner[5] = {corners[1], corners[3], corners[5], corners[7], corners[9]};
    draw_list->AddConvexPolyFilled(inner, 5, colour);
    for (int i = 0; i < 10; i += 2) draw_list->AddTriangleFilled(corners[(i + 9) % 10], corners[i], corners[i + 1], colour);
}

bool draw_key(ScreenContext& context, const std::string& name, const Rect& area, std::string_view label, bool latched,
              ImFont* font, TextDirection direction) {
    const bool tapped = tap_area(context, name, area);
    const bool pressed = context.input_enabled && ImGui::IsItemActive();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    ImU32 fill = latched ? theme::kAccent : theme::kButton;
    if (pressed) fill = theme::shade(fill, 0.8f);
    draw_list->AddRectFilled(top_left(area), bottom_right(area), fill);
    if (!latched) draw_list->AddRect(top_left(area), bottom_right(area), theme::kButtonBorder, 0.0f, 0, 2.0f);
    if (!label.empty()) {
        // Half the key's height at most: Arabic letters such as ض reach past their advance width.
        const Rect inside{area.x + area.width * 0.1f, area.y, area.width * 0.8f, area.height};
        context.text.draw(draw_list, font, std::min(font->FontSize, area.height * 0.5f), inside,
                          latched ? theme::kOnAccent : theme::kText, label, direction, Align::Center, 1);
    }
    return tapped;
}

void draw_chevron(ImDrawList* draw_list, Point center, float size, float direction, ImU32 colour) {
    const float half = size / 2;
    const ImVec2 tip(center.x + direction * half * 0.5f, center.y);
    draw_list->AddLine(ImVec2(center.x - direction * half * 0.5f, center.y - half), tip, colour, size * 0.16f);
    draw_list->AddLine(ImVec2(center.x - direction * half * 0.5f, center.y + half), tip, colour, size * 0.16f);
}

namespace {

// A button with a chevron at one end and its label beside it.
bool draw_arrow_button(ScreenContext& context, const std::string& name, const Rect& area, std::string_view label,
                       ButtonLook look, float arrow_direction) {
    const bool tapped = draw_button(context, name, area, "", look);
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

namespace {
std::string target_name_of(const char* msgid) {
    std::string name(msgid);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
        return c == ' ' ? '_' : static_cast<char>(std::tolower(c));
    });
    return name;  // "Next" → next, "Skip" → skip
}
}  // namespace


ChromeTaps draw_chrome(ScreenContext& context, const Chrome& chrome, const ChromeActions& actions) {
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const Mirror mirror = context.mirror();

    // Progress: filled up to the current question, from the start side (the layout mirrors the dots).
    const bool after_purchase = context.post_purchase.active();
    const int position = after_purchase ? context.post_purchase.progress_position() : context.flow.progress_position();
    if (position > 0) {
        for (int i = 0; i < static_cast<int>(chrome.progress_dots.size()); ++i) {
            const ImVec2 centre = to_imvec(chrome.progress_dots[static_cast<std::size_t>(i)]);
            if (i < position) {
                draw_list->AddCircleFilled(centre, chrome.dot_radius, theme::kAccent, 24);
            } else {
                draw_list->AddCircle(centre, chrome.dot_radius, theme::kMutedText, 24, 2.0f);
            }
        }
    }

    if (draw_button(context, "larger_text", chrome.larger_text, context.tr("Larger text"), ButtonLook::Toggle,
                    context.flow.session().large_text, 2)) {
        context.flow.toggle_large_text(context.now);
    }

    const bool back_allowed = after_purchase ? context.post_purchase.back_allowed() : context.flow.back_allowed();
    if (back_allowed &&
        draw_arrow_button(context, "back", chrome.back, context.tr("Back"), ButtonLook::Secondary, -mirror.forward())) {
        if (after_purchase) {
            context.post_purchase.back(context.now);
        } else {
            context.flow.back(context.now);
        }
    }

    ChromeTaps taps;
    if (actions.primary) {
        if (actions.primary_is_forward) {
            taps.primary = draw_arrow_button(context, target_name_of(actions.primary), chrome.primary_action, context.tr(actions.primary),
                                             ButtonLook::Primary, mirror.forward());
        } else {
            taps.primary = draw_button(context, target_name_of(actions.primary), chrome.primary_action, context.tr(actions.primary),
                                       ButtonLook::Secondary, false, 1);
        }
    }
    if (actions.secondary) {
        taps.secondary = draw_button(context, target_name_of(actions.secondary), chrome.secondary_action, context.tr(actions.secondary),
                                     ButtonLook::Secondary, false, 1);
    }
    return taps;
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
    fill_rounded_rect(draw_list, area, theme::kButton, area.height * 0.08f);
    draw_list->AddRect(top_left(area), bottom_right(area), theme::kButtonBorder, area.height * 0.08f, 0, 3.0f);
}

}  // namespace truthpoint::kiosk_ui
