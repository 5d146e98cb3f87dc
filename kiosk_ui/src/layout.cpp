// Screen geometry for the kiosk, in window pixels. Proportions of the window first, then floors in
// millimetres so that a small, dense screen still gets touch targets a finger can hit. Everything is laid
// out left to right and mirrored at the end for right-to-left languages.
#include "truthpoint/kiosk_ui/layout.hpp"

#include <algorithm>
#include <cmath>

namespace truthpoint::kiosk_ui {

namespace {

constexpr float kMillimetresPerInch = 25.4f;
// The gap between two faces, as a share of a face's width: wide, so a thumb cannot hit two.
constexpr float kFaceGapRatio = 0.5f;
constexpr float kStaffCornerMm = 12.0f;

template <typename Container>
void mirror_all(const Mirror& mirror, Container& rects) {
    for (Rect& rect : rects) rect = mirror(rect);
}

}  // namespace

Spacing screen_spacing(Size window, double dpi) {
    Spacing s;
    s.margin = std::max(window.height * 0.04f, mm_to_px(4.0f, dpi));
    s.gap = std::max(window.height * 0.025f, mm_to_px(4.0f, dpi));
    s.min_target = mm_to_px(kMinTargetMm, dpi);
    s.bar_height = std::max(s.min_target, window.height * 0.1f);
    return s;
}

float mm_to_px(float millimetres, double dpi) { return millimetres * static_cast<float>(dpi) / kMillimetresPerInch; }

float px_to_mm(float pixels, double dpi) { return pixels * kMillimetresPerInch / static_cast<float>(dpi); }

TypeScale type_scale(Size window, double dpi) {
    const float h = std::min(window.height, window.width * 0.75f);  // portrait: as for a landscape of that width
    // A share of the height reads well on kiosk-sized screens; the mm floor keeps text legible from a metre.
    return TypeScale{
        .headline = std::min(std::max(mm_to_px(9.0f, dpi), h * 0.065f), std::max(h * 0.1f, mm_to_px(9.0f, dpi))),
        .body = std::min(std::max(mm_to_px(7.0f, dpi), h * 0.045f), std::max(h * 0.08f, mm_to_px(7.0f, dpi))),
        .caption = std::min(std::max(mm_to_px(5.0f, dpi), h * 0.03f), std::max(h * 0.06f, mm_to_px(5.0f, dpi))),
    };
}

std::vector<Rect> grid_cells(const Rect& area, std::size_t count, std::size_t columns, float gap,
                             float max_cell_height) {
    std::vector<Rect> cells;
    if (count == 0 || columns == 0) return cells;
    columns = std::min(columns, count);
    const std::size_t rows = (count + columns - 1) / columns;
    const float cell_width = (area.width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    const float cell_height = std::min(
        (area.height - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows), max_cell_height);
    const float grid_height = cell_height * static_cast<float>(rows) + gap * static_cast<float>(rows - 1);
    const float top = area.y + (area.height - grid_height) / 2;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t row = i / columns;
        const std::size_t in_row = std::min(columns, count - row * columns);
        const float row_width = cell_width * static_cast<float>(in_row) + gap * static_cast<float>(in_row - 1);
        const float left = area.x + (area.width - row_width) / 2;
        const std::size_t column = i % columns;
        cells.push_back(Rect{left + static_cast<float>(column) * (cell_width + gap),
                             top + static_cast<float>(row) * (cell_height + gap), cell_width, cell_height});
    }
    return cells;
}

Chrome layout_chrome(Size window, double dpi, bool right_to_left, std::size_t progress_steps) {
    const Spacing s = screen_spacing(window, dpi);
    const TypeScale type = type_scale(window, dpi);
    const Mirror mirror{window.width, right_to_left};
    Chrome chrome;
    // Always the physical top-left corner: staff learn one place, whatever the shopper's language.
    const float corner = mm_to_px(kStaffCornerMm, dpi);
    chrome.staff_corner = Rect{0, 0, corner, corner};

    // The top-end button keeps clear of the staff corner when mirroring puts it at the top left.
    const float end_inset = std::max(s.margin, corner + s.gap);
    const float larger_width = std::max(window.width * 0.24f, mm_to_px(35.0f, dpi));
    chrome.larger_text = mirror(Rect{window.width - end_inset - larger_width, s.margin, larger_width, s.bar_height});

    chrome.dot_radius = std::max(mm_to_px(2.0f, dpi), window.height * 0.012f);
    const float dot_spacing = chrome.dot_radius * 4.0f;
    const float middle = (static_cast<float>(progress_steps) - 1.0f) / 2;
    for (std::size_t i = 0; i < progress_steps; ++i) {
        const float offset = (static_cast<float>(i) - middle) * dot_spacing;
        chrome.progress_dots.push_back(mirror(Point{window.width / 2 + offset, s.margin + s.bar_height / 2}));
    }

    const float bottom_y = window.height - s.margin - s.bar_height;
    const float button_width = std::max(window.width * 0.17f, mm_to_px(30.0f, dpi));
    chrome.back = mirror(Rect{s.margin, bottom_y, button_width, s.bar_height});
    const Rect primary{window.width - s.margin - button_width, bottom_y, button_width, s.bar_height};
    chrome.primary_action = mirror(primary);
    chrome.secondary_action = mirror(Rect{primary.x - s.gap - button_width, bottom_y, button_width, s.bar_height});

    const float content_width = window.width - 2 * s.margin;
    const float title_top = s.margin + s.bar_height + s.gap * 0.5f;
    chrome.title = Rect{s.margin, title_top, content_width, type.headline * 1.6f};
    chrome.subtitle = Rect{s.margin, chrome.title.bottom(), content_width, type.body * 1.5f};
    const float content_top = chrome.subtitle.bottom() + s.gap * 0.5f;
    chrome.content = Rect{s.margin, content_top, content_width, bottom_y - s.gap * 0.5f - content_top};
    return chrome;
}

AttractLayout layout_attract(Size window, double dpi, bool right_to_left, std::size_t language_count) {
    const Spacing s = screen_spacing(window, dpi);
    const TypeScale type = type_scale(window, dpi);
    const Mirror mirror{window.width, right_to_left};
    AttractLayout layout;

    // The language row along the bottom, each language a large button.
    const float row_y = window.height - s.margin - s.bar_height;
    if (language_count > 0) {
        const float available = window.width - 2 * s.margin;
        const float width = std::min((available - s.gap * static_cast<float>(language_count - 1)) /
                                         static_cast<float>(language_count),
                                     std::max(window.width * 0.17f, s.min_target));
        const Rect row{s.margin, row_y, available, s.bar_height};
        layout.languages = grid_cells(row, language_count, language_count, s.gap, s.bar_height);
        // grid_cells stretches cells over the row; narrow them around their centres.
        const float total = width * static_cast<float>(language_count) + s.gap * static_cast<float>(language_count - 1);
        for (std::size_t i = 0; i < language_count; ++i) {
            layout.languages[i] =
                Rect{(window.width - total) / 2 + static_cast<float>(i) * (width + s.gap), row_y, width, s.bar_height};
        }
        mirror_all(mirror, layout.languages);
    }
    layout.language_label = Rect{s.margin, row_y - type.caption * 1.8f, window.width - 2 * s.margin, type.caption * 1.6f};
    const float upper_bottom = layout.language_label.y - s.gap;
    layout.start_area = Rect{0, 0, window.width, upper_bottom};

    const float upper_top = s.margin + mm_to_px(kStaffCornerMm, dpi) * 0.5f;
    const float upper_height = upper_bottom - upper_top;
    // An approved review: a row of stars above two lines of the shopper's words.
    const float review_height = type.caption * 1.3f * 3.2f;
    Rect text_column;
    if (is_landscape(window)) {
        // Picture and review at the start half, the words at the end half.
        const float half = window.width / 2;
        const float side = std::min(upper_height * 0.85f - review_height - s.gap, window.width * 0.36f);
        const float block = side + s.gap + review_height;
        const float picture_top = upper_top + (upper_height - block) / 2;
        layout.picture = Rect{s.margin + (half - s.margin - side) / 2, picture_top, side, side};
        layout.review = Rect{s.margin, layout.picture.bottom() + s.gap, half - 2 * s.margin, review_height};
        text_column = Rect{half, upper_top, half - s.margin, upper_height};
    } else {
        const float side = std::min(upper_height * 0.32f, window.width * 0.6f);
        layout.picture = Rect{(window.width - side) / 2, upper_top, side, side};
        layout.review = Rect{s.margin, upper_bottom - review_height, window.width - 2 * s.margin, review_height};
        text_column = Rect{s.margin, layout.picture.bottom() + s.gap, window.width - 2 * s.margin,
                           layout.review.y - s.gap - layout.picture.bottom() - s.gap};
    }

    const float question_height = type.headline * 1.25f * 2.2f;  // two lines, at large text too
    const float pill_height = std::max(type.body * 2.0f, s.min_target);
    const float pill_width = std::min(text_column.width, std::max(text_column.width * 0.75f, type.body * 9.0f));
    const float second_height = std::max(type.body * 1.7f, s.min_target);
    layout.preview_radius = std::max(std::min(text_column.height * 0.07f, window.height * 0.045f), mm_to_px(5.0f, dpi));
    const float faces_height = layout.preview_radius * 2;
    const float stack = question_height + s.gap + pill_height + s.gap * 1.5f + faces_height + s.gap * 1.5f + second_height;
    const float top = text_column.y + std::max(0.0f, (text_column.height - stack) / 2);
    layout.question = Rect{text_column.x, top, text_column.width, question_height};
    layout.call_to_action =
        Rect{text_column.x + (text_column.width - pill_width) / 2, layout.question.bottom() + s.gap, pill_width, pill_height};
    const float spacing_between = layout.preview_radius * 3.2f;
    const float faces_y = layout.call_to_action.bottom() + s.gap * 1.5f + layout.preview_radius;
    const float first_x = text_column.x + text_column.width / 2 - 1.5f * spacing_between;
    for (std::size_t i = 0; i < layout.preview_faces.size(); ++i) {
        layout.preview_faces[i] = mirror(Point{first_x + static_cast<float>(i) * spacing_between, faces_y});
    }
    // Below the faces' targets (1.2 radii under their centres), clear of them.
    const float second_width = std::min(text_column.width, std::max(text_column.width * 0.85f, type.body * 10.0f));
    layout.post_purchase = Rect{text_column.x + (text_column.width - second_width) / 2,
                                faces_y + layout.preview_radius * 1.2f + s.gap * 0.9f, second_width, second_height};
    layout.picture = mirror(layout.picture);
    layout.review = mirror(layout.review);
    layout.question = mirror(layout.question);
    layout.call_to_action = mirror(layout.call_to_action);
    layout.post_purchase = mirror(layout.post_purchase);
    return layout;
}

PickLayout layout_pick(Size window, double dpi, bool right_to_left, std::size_t product_count) {
    const Spacing s = screen_spacing(window, dpi);
    const TypeScale type = type_scale(window, dpi);
    PickLayout layout;
    layout.chrome = layout_chrome(window, dpi, right_to_left);
    if (product_count == 0) return layout;
    // Balanced rows: six products as 3 + 3 rather than 4 + 2, so the pictures are as large as they can be.
    const std::size_t rows = is_landscape(window) ? (product_count <= 4 ? 1 : product_count <= 8 ? 2 : 3)
                                                  : (product_count + 1) / 2;
    const std::size_t columns = (product_count + rows - 1) / rows;
    const Rect& area = layout.chrome.content;
    auto cells = grid_cells(area, product_count, columns, s.gap, area.height);
    const float name_height = type.body * 1.5f;
    const Mirror mirror{window.width, right_to_left};
    for (const Rect& cell : cells) {
        ProductCell product;
        product.target = cell;
        const float side = std::max(0.0f, std::min(cell.width, cell.height - name_height) - s.gap * 0.5f);
        product.picture = Rect{cell.x + (cell.width - side) / 2, cell.y + s.gap * 0.25f, side, side};
        product.name = Rect{cell.x, cell.bottom() - name_height, cell.width, name_height};
        product.target = mirror(product.target);
        product.picture = mirror(product.picture);
        product.name = mirror(product.name);
        layout.products.push_back(product);
    }
    return layout;
}

ReactionLayout layout_reaction(Size window, double dpi, bool right_to_left) {
    const TypeScale type = type_scale(window, dpi);
    const Spacing s = screen_spacing(window, dpi);
    ReactionLayout layout;
    layout.chrome = layout_chrome(window, dpi, right_to_left);
    layout.question = layout.chrome.title;
    // No subtitle on this screen: the faces may use its room.
    const float top = layout.chrome.title.bottom() + s.gap * 0.5f;
    const float bottom = layout.chrome.back.y - s.gap * 0.5f;
    const float label_height = type.caption * kLargeTextScale * 1.3f;

    const float usable_width = window.width - 2 * s.margin;
    float face_width = std::min(window.width * 0.16f, window.height * 0.30f);
    face_width = std::min(face_width, usable_width / (4 + 3 * kFaceGapRatio));
    face_width = std::min(face_width, ((bottom - top) - label_height) / 1.4f);
    // Never below the floor, even if a tiny development window then clips the row.
    face_width = std::max(face_width, mm_to_px(kMinFaceWidthMm, dpi));
    // At least 10 mm between faces, so half of it stays dead between two targets.
    const float gap = std::max(face_width * kFaceGapRatio, mm_to_px(10.0f, dpi));
    const float row_width = 4 * face_width + 3 * gap;
    const float row_left = (window.width - row_width) / 2;
    const float radius = face_width / 2;
    // The label starts clear of the pressed ring (1.07 r and its stroke).
    const float label_offset = radius * 1.12f;
    const float block = gap / 4 + radius + label_offset + label_height;
    const float center_y = top + gap / 4 + std::max(0.0f, (bottom - top - block) / 2) + radius;

    const Mirror mirror{window.width, right_to_left};
    for (std::size_t i = 0; i < layout.faces.size(); ++i) {
        FaceSlot& slot = layout.faces[i];
        slot.reaction = core::kAllReactions[i];
        slot.center = Point{row_left + radius + static_cast<float>(i) * (face_width + gap), center_y};
        slot.radius = radius;
        slot.label_center = Point{slot.center.x, center_y + label_offset + label_height / 2};
        // The target reaches a quarter gap past the face on each side, so half a gap stays dead between faces.
        const float target_top = center_y - radius - gap / 4;
        const float target_bottom = slot.label_center.y + label_height / 2;
        slot.target = Rect{slot.center.x - radius - gap / 4, target_top, face_width + gap / 2, target_bottom - target_top};
        slot.center = mirror(slot.center);
        slot.label_center = mirror(slot.label_center);
        slot.target = mirror(slot.target);
    }
    return layout;
}

ChoiceLayout layout_choices(Size window, double dpi, bool right_to_left, std::size_t count) {
    const Spacing s = screen_spacing(window, dpi);
    ChoiceLayout layout;
    layout.chrome = layout_chrome(window, dpi, right_to_left);
    const bool landscape = is_landscape(window);
    std::size_t columns = 1;
    if (count <= 3) {
        columns = landscape ? count : 1;
    } else if (count <= 6) {
        columns = landscape ? 3 : 2;
    } else {
        columns = landscape ? 4 : 2;
    }
    const Rect& area = layout.chrome.content;
    // Few buttons: tall ones, but not towers.
    const float max_height = std::max(s.min_target, window.height * (count <= 3 ? 0.3f : 0.2f));
    layout.buttons = grid_cells(area, count, columns, s.gap, max_height);
    mirror_all(Mirror{window.width, right_to_left}, layout.buttons);
    return layout;
}

MessageLayout layout_message(Size window, double dpi) {
    const TypeScale type = type_scale(window, dpi);
    MessageLayout layout;
    layout.face_radius = std::max(std::min(window.height * 0.17f, window.width * 0.12f), mm_to_px(10.0f, dpi));
    layout.face_center = Point{window.width / 2, window.height * 0.36f};
    const float message_top = layout.face_center.y + layout.face_radius + window.height * 0.05f;
    layout.message = Rect{0, message_top, window.width, type.headline * 1.6f};
    layout.detail = Rect{0, layout.message.bottom(), window.width, type.body * 1.6f};
    return layout;
}

IdleLayout layout_idle(Size window, double dpi) {
    const TypeScale type = type_scale(window, dpi);
    const Spacing s = screen_spacing(window, dpi);
    IdleLayout layout;
    const float width = std::min(window.width - 2 * s.margin, std::max(window.width * 0.6f, mm_to_px(120.0f, dpi)));
    const float line = type.headline * 1.6f;
    const float height = s.gap * 2 + line + type.body * 1.6f * 2;
    layout.card = Rect{(window.width - width) / 2, (window.height - height) / 2, width, height};
    const float inner_x = layout.card.x + s.gap;
    const float inner_width = width - 2 * s.gap;
    layout.question = Rect{inner_x, layout.card.y + s.gap, inner_width, line};
    layout.countdown = Rect{inner_x, layout.question.bottom(), inner_width, type.body * 1.6f};
    layout.action = Rect{inner_x, layout.countdown.bottom(), inner_width, type.body * 1.6f};
    return layout;
}

PinPadLayout layout_pin_pad(Size window, double dpi, bool right_to_left) {
    const TypeScale type = type_scale(window, dpi);
    const Spacing s = screen_spacing(window, dpi);
    PinPadLayout layout;
    const float key_gap = mm_to_px(3.0f, dpi);
    const float key = std::max(s.min_target, window.height * 0.1f);
    const float key_width = std::max(key * 1.5f, s.min_target);
    const float pad_width = 3 * key_width + 2 * key_gap;
    const float header = type.headline * 1.4f + type.body * 1.4f + type.caption * 1.5f;
    const float pad_height = 4 * key + 3 * key_gap;
    const float panel_height = std::min(window.height - 2 * s.margin, header + pad_height + 3 * key_gap);
    const float panel_width = std::min(window.width - 2 * s.margin, std::max(pad_width + 2 * s.gap, window.width * 0.45f));
    layout.panel = Rect{(window.width - panel_width) / 2, (window.height - panel_height) / 2, panel_width, panel_height};
    float y = layout.panel.y + key_gap;
    layout.title = Rect{layout.panel.x, y, panel_width, type.headline * 1.4f};
    y = layout.title.bottom();
    layout.dots = Rect{layout.panel.x, y, panel_width, type.body * 1.4f};
    y = layout.dots.bottom();
    layout.message = Rect{layout.panel.x, y, panel_width, type.caption * 1.5f};
    y = layout.message.bottom() + key_gap;
    const float left = layout.panel.x + (panel_width - pad_width) / 2;
    const auto key_at = [&](int row, int column) {
        return Rect{left + static_cast<float>(column) * (key_width + key_gap), y + static_cast<float>(row) * (key + key_gap),
                    key_width, key};
    };
    for (int d = 1; d <= 9; ++d) layout.digits[static_cast<std::size_t>(d)] = key_at((d - 1) / 3, (d - 1) % 3);
    layout.erase = key_at(3, 0);
    layout.digits[0] = key_at(3, 1);
    layout.submit = key_at(3, 2);
    // Cancel where the shopper screens keep "Larger text": the top end, clear of the staff corner.
    layout.cancel = layout_chrome(window, dpi, right_to_left).larger_text;
    return layout;
}

ConfirmLayout layout_confirm(Size window, double dpi, bool right_to_left) {
    const TypeScale type = type_scale(window, dpi);
    const Spacing s = screen_spacing(window, dpi);
    const Mirror mirror{window.width, right_to_left};
    ConfirmLayout layout;
    const float width = std::min(window.width - 2 * s.margin, std::max(window.width * 0.6f, mm_to_px(130.0f, dpi)));
    const float height = s.gap * 3 + type.headline * 1.6f + type.body * 1.4f * 2 + s.bar_height;
    layout.card = Rect{(window.width - width) / 2, (window.height - height) / 2, width, height};
    const float inner_x = layout.card.x + s.gap;
    const float inner_width = width - 2 * s.gap;
    layout.question = Rect{inner_x, layout.card.y + s.gap, inner_width, type.headline * 1.6f};
    layout.detail = Rect{inner_x, layout.question.bottom(), inner_width, type.body * 1.4f * 2};
    const float button_width = std::max((inner_width - s.gap) / 2, s.min_target);
    const float button_y = layout.card.bottom() - s.gap - s.bar_height;
    layout.act = mirror(Rect{inner_x, button_y, button_width, s.bar_height});
    layout.stay = mirror(Rect{inner_x + inner_width - button_width, button_y, button_width, s.bar_height});
    return layout;
}

StaffMenuLayout layout_staff_menu(Size window, double dpi, bool right_to_left) {
    const TypeScale type = type_scale(window, dpi);
    const Spacing s = screen_spacing(window, dpi);
    const Mirror mirror{window.width, right_to_left};
    StaffMenuLayout layout;
    layout.panel = Rect{s.margin, s.margin, window.width - 2 * s.margin, window.height - 2 * s.margin};
    const float corner = mm_to_px(kStaffCornerMm, dpi);
    const float inner_x = layout.panel.x + s.gap;
    const float inner_width = layout.panel.width - 2 * s.gap;
    // Below the staff corner, so that it can be held again whatever the menu shows.
    const float top = std::max(layout.panel.y + s.gap * 0.5f, corner);
    const float tab_height = std::max(s.min_target, s.bar_height * 0.8f);
    const float row_height = std::max(type.headline * 1.5f, tab_height);
    // The tabs beside the title on a landscape screen, under it on a portrait one.
    Rect tabs_row;
    if (is_landscape(window)) {
        layout.title = Rect{inner_x, top, inner_width * 0.28f, row_height};
        tabs_row = Rect{layout.title.right() + s.gap, top + (row_height - tab_height) / 2,
                        inner_x + inner_width - layout.title.right() - s.gap, tab_height};
    } else {
        layout.title = Rect{inner_x, top, inner_width, type.headline * 1.5f};
        tabs_row = Rect{inner_x, layout.title.bottom(), inner_width, tab_height};
    }
    const float tab_width = (tabs_row.width - 2 * s.gap * 0.5f) / 3;
    for (std::size_t i = 0; i < layout.tabs.size(); ++i) {
        layout.tabs[i] =
            mirror(Rect{tabs_row.x + static_cast<float>(i) * (tab_width + s.gap * 0.5f), tabs_row.y, tab_width, tab_height});
    }
    const float bottom_y = layout.panel.bottom() - s.gap * 0.5f - s.bar_height;
    const float button_width = std::max(inner_width * 0.32f, mm_to_px(40.0f, dpi));
    layout.back_to_shoppers = mirror(Rect{inner_x, bottom_y, button_width, s.bar_height});
    layout.exit_kiosk = mirror(Rect{inner_x + inner_width - button_width, bottom_y, button_width, s.bar_height});
    const float content_y = std::max(layout.title.bottom(), tabs_row.bottom()) + s.gap * 0.75f;
    layout.content = mirror(Rect{inner_x, content_y, inner_width, bottom_y - s.gap * 0.75f - content_y});
    layout.title = mirror(layout.title);
    return layout;
}

StaffProductsLayout layout_staff_products(const StaffMenuLayout& menu, Size window, double dpi, bool right_to_left,
                                          std::size_t product_count) {
    const TypeScale type = type_scale(window, dpi);
    const Spacing s = screen_spacing(window, dpi);
    const Mirror mirror{window.width, right_to_left};
    const Rect area = mirror(menu.content);  // built left to right, then mirrored as a whole
    StaffProductsLayout layout;
    layout.prompt = mirror(Rect{area.x, area.y, area.width, type.body * 1.5f});
    if (product_count == 0) return layout;
    const float grid_y = area.y + type.body * 1.5f + s.gap * 0.5f;
    const Rect grid{area.x, grid_y, area.width, area.bottom() - grid_y};
    const std::size_t columns = is_landscape(window) ? std::min<std::size_t>(product_count, 6) : 3;
    const float name_height = type.caption * 2.8f;
    for (const Rect& cell : grid_cells(grid, product_count, columns, s.gap * 0.5f, grid.height)) {
        ProductCell product;
        const float side = std::max(0.0f, std::min(cell.width, cell.height - name_height) - s.gap * 0.5f);
        product.target = mirror(cell);
        product.picture = mirror(Rect{cell.x + (cell.width - side) / 2, cell.y + s.gap * 0.25f, side, side});
        product.name = mirror(Rect{cell.x, cell.bottom() - name_height, cell.width, name_height});
        layout.products.push_back(product);
    }
    return layout;
}

ShelfLogLayout layout_shelf_log(const StaffMenuLayout& menu, Size window, double dpi, bool right_to_left) {
    const TypeScale type = type_scale(window, dpi);
    const Spacing s = screen_spacing(window, dpi);
    const Mirror mirror{window.width, right_to_left};
    // Built left to right inside the (unmirrored) content area, then mirrored as a whole.
    const Rect area = mirror(menu.content);
    ShelfLogLayout layout;
    const float button_height = std::max(s.min_target, s.bar_height * 0.8f);
    const float change_width = std::max(area.width * 0.28f, mm_to_px(40.0f, dpi));
    const float head_height = std::max(type.headline * 1.4f, button_height);
    layout.product = Rect{area.x, area.y, area.width - change_width - s.gap, head_height};
    layout.change_product = Rect{area.right() - change_width, area.y + (head_height - button_height) / 2, change_width,
                                 button_height};
    const float foot_y = area.bottom() - button_height;
    const float undo_width = std::max(area.width * 0.36f, mm_to_px(45.0f, dpi));
    layout.undo = Rect{area.x, foot_y, undo_width, button_height};
    layout.status = Rect{layout.undo.right() + s.gap, foot_y, area.right() - layout.undo.right() - s.gap, button_height};
    const Rect grid{area.x, layout.product.bottom() + s.gap * 0.5f, area.width,
                    foot_y - s.gap * 0.5f - layout.product.bottom() - s.gap * 0.5f};
    const auto cells = grid_cells(grid, layout.observations.size(), is_landscape(window) ? 3 : 2, s.gap, grid.height);
    for (std::size_t i = 0; i < layout.observations.size(); ++i) layout.observations[i] = mirror(cells[i]);
    layout.product = mirror(layout.product);
    layout.change_product = mirror(layout.change_product);
    layout.undo = mirror(layout.undo);
    layout.status = mirror(layout.status);
    return layout;
}

ShopperReportsLayout layout_shopper_reports(const StaffMenuLayout& menu, Size window, double dpi, bool right_to_left,
                                            std::size_t alert_lines) {
    const TypeScale type = type_scale(window, dpi);
    const Spacing s = screen_spacing(window, dpi);
    const Mirror mirror{window.width, right_to_left};
    const Rect area = mirror(menu.content);
    ShopperReportsLayout layout;
    // Landscape: the alerts in a column at the end side, so the pains keep their rows; portrait: above them.
    const bool side_by_side = is_landscape(window);
    Rect reports_area = area;
    Rect alerts_area = area;
    if (side_by_side) {
        const float alerts_width = area.width * 0.36f;
        reports_area.width = area.width - alerts_width - s.gap;
        alerts_area = Rect{reports_area.right() + s.gap, area.y, alerts_width, area.height};
    }
    float top = alerts_area.y;
    layout.alerts_heading = Rect{alerts_area.x, top, alerts_area.width, type.body * 1.5f};
    top += type.body * 1.5f;
    // Two lines each: what happened, then its state and age (Persian and Greek run long).
    const float text_line = type.caption * 1.35f;
    const float inset = s.gap * 0.4f;
    for (std::size_t i = 0; i < std::clamp<std::size_t>(alert_lines, 1, kMaxAlertLinesShown); ++i) {
        AlertLine line;
        line.row = Rect{alerts_area.x, top, alerts_area.width, text_line * 2 + inset};
        line.what = Rect{alerts_area.x + inset, top + inset * 0.5f, alerts_area.width - 2 * inset, text_line};
        line.status = Rect{line.what.x, line.what.bottom(), line.what.width, text_line};
        layout.alerts.push_back(line);
        top += line.row.height + s.gap * 0.2f;
    }
    const float reports_top = side_by_side ? area.y : top + s.gap * 0.3f;
    layout.heading = Rect{reports_area.x, reports_top, reports_area.width, type.body * 1.5f};
    const float row_height = std::max(s.min_target * 1.3f, type.caption * 1.3f * 3 + s.gap * 0.5f);
    const float seen_width = std::max(reports_area.width * 0.18f, mm_to_px(30.0f, dpi));
    const float seen_height = std::max(s.min_target, row_height * 0.6f);
    for (float y = reports_top + type.body * 1.5f + s.gap * 0.5f; y + row_height <= area.bottom();
         y += row_height + s.gap * 0.4f) {
        ReportRow row;
        row.row = Rect{reports_area.x, y, reports_area.width, row_height};
        row.seen = Rect{reports_area.right() - seen_width - inset, y + (row_height - seen_height) / 2, seen_width, seen_height};
        row.text = Rect{reports_area.x + inset, y, row.seen.x - 2 * inset - reports_area.x, row_height};
        layout.rows.push_back(row);
    }
    // Laid out left to right above; mirrored once here for Persian and Arabic.
    layout.alerts_heading = mirror(layout.alerts_heading);
    for (AlertLine& line : layout.alerts) {
        line.row = mirror(line.row);
        line.what = mirror(line.what);
        line.status = mirror(line.status);
    }
    layout.heading = mirror(layout.heading);
    for (ReportRow& row : layout.rows) {
        row.row = mirror(row.row);
        row.text = mirror(row.text);
        row.seen = mirror(row.seen);
    }
    return layout;
}

HealthLayout layout_health(const StaffMenuLayout& menu, Size window, double dpi, bool right_to_left) {
    const Spacing s = screen_spacing(window, dpi);
    const Mirror mirror{window.width, right_to_left};
    const Rect area = mirror(menu.content);
    HealthLayout layout;
    Rect end_side;
    if (is_landscape(window)) {
        layout.facts = Rect{area.x, area.y, area.width * 0.55f, area.height};
        end_side = Rect{layout.facts.right() + s.gap, area.y, area.right() - layout.facts.right() - s.gap, area.height};
    } else {
        layout.facts = Rect{area.x, area.y, area.width, area.height * 0.55f};
        end_side = Rect{area.x, layout.facts.bottom() + s.gap, area.width, area.bottom() - layout.facts.bottom() - s.gap};
    }
    const float button_height = std::max(s.min_target, s.bar_height * 0.8f);
    const float sync_width = std::min(end_side.width, std::max(mm_to_px(45.0f, dpi), end_side.width * 0.6f));
    layout.sync_now = Rect{end_side.x, end_side.bottom() - button_height, sync_width, button_height};
    layout.advice = Rect{end_side.x, end_side.y, end_side.width, layout.sync_now.y - s.gap * 0.5f - end_side.y};
    layout.facts = mirror(layout.facts);
    layout.advice = mirror(layout.advice);
    layout.sync_now = mirror(layout.sync_now);
    return layout;
}

}  // namespace truthpoint::kiosk_ui
