// Geometry of the post-purchase screens, in window pixels, computed left to right and mirrored at the end
// for right-to-left languages (keypads and keyboards excepted: they read the same in every language).
#include "truthpoint/kiosk_ui/post_purchase_layout.hpp"

#include <algorithm>

namespace truthpoint::kiosk_ui {

namespace {

template <typename Container>
void mirror_all(const Mirror& mirror, Container& rects) {
    for (Rect& rect : rects) rect = mirror(rect);
}

Chrome question_chrome(Size window, double dpi, bool right_to_left) {
    return layout_chrome(window, dpi, right_to_left, kPostPurchaseQuestions);
}

// A 3 × 4 keypad (1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 OK) of keys as large as `area` allows, centred in it.
void place_keypad(const Rect& area, float gap, ReceiptLayout& layout) {
    const float key_height = (area.height - 3 * gap) / 4;
    const float key_width = std::min((area.width - 2 * gap) / 3, key_height * 1.6f);
    const float left = area.x + (area.width - (3 * key_width + 2 * gap)) / 2;
    const auto key_at = [&](int row, int column) {
        return Rect{left + static_cast<float>(column) * (key_width + gap), area.y + static_cast<float>(row) * (key_height + gap),
                    key_width, key_height};
    };
    for (int d = 1; d <= 9; ++d) layout.digits[static_cast<std::size_t>(d)] = key_at((d - 1) / 3, (d - 1) % 3);
    layout.erase = key_at(3, 0);
    layout.digits[0] = key_at(3, 1);
    layout.done = key_at(3, 2);
}

}  // namespace

ReceiptLayout layout_receipt(Size window, double dpi, bool right_to_left) {
    const Spacing s = screen_spacing(window, dpi);
    const TypeScale type = type_scale(window, dpi);
    const Mirror mirror{window.width, right_to_left};
    ReceiptLayout layout;
    layout.chrome = question_chrome(window, dpi, right_to_left);
    const Rect& content = layout.chrome.content;
    const float key_gap = mm_to_px(3.0f, dpi);
    const float field_height = std::max(type.headline * 1.5f, s.min_target);
    const float message_height = type.caption * 2.8f;  // two lines
    if (is_landscape(window)) {
        // The question and the field at the start half; the keypad at the end half, from the question's
        // top down, so its keys stay large on a short screen.
        const float half = content.width / 2;
        Chrome& chrome = layout.chrome;
        chrome.title.width = half - s.gap;
        chrome.subtitle.width = half - s.gap;
        chrome.title = mirror(chrome.title);
        chrome.subtitle = mirror(chrome.subtitle);
        const float field_top = content.y + (content.height - field_height - message_height) / 2;
        layout.field = Rect{content.x, field_top, half - s.gap, field_height};
        layout.message = Rect{content.x, layout.field.bottom(), half - s.gap, message_height};
        const float pad_top = layout.chrome.title.y;
        // The pad's place is mirrored, its keys are not.
        place_keypad(mirror(Rect{content.x + half + s.gap, pad_top, half - s.gap, content.bottom() - pad_top}), key_gap, layout);
    } else {
        const float width = std::min(content.width, std::max(content.width * 0.8f, mm_to_px(80.0f, dpi)));
        layout.field = Rect{content.x + (content.width - width) / 2, content.y, width, field_height};
        layout.message = Rect{content.x, layout.field.bottom(), content.width, message_height};
        const float pad_top = layout.message.bottom() + s.gap;
        place_keypad(Rect{content.x, pad_top, content.width, std::min(content.bottom() - pad_top, content.width * 0.9f)},
                     key_gap, layout);
    }
    layout.field = mirror(layout.field);
    layout.message = mirror(layout.message);
    return layout;
}

RatingLayout layout_rating(Size window, double dpi, bool right_to_left) {
    const Spacing s = screen_spacing(window, dpi);
    const TypeScale type = type_scale(window, dpi);
    RatingLayout layout;
    layout.chrome = question_chrome(window, dpi, right_to_left);
    const Rect& content = layout.chrome.content;
    const float caption_height = type.body * 1.5f;
    const float cell = std::min({(content.width - 4 * s.gap) / 5, content.height - caption_height - s.gap,
                                 mm_to_px(60.0f, dpi)});
    const float size = std::max(cell, s.min_target);
    const float row_width = 5 * size + 4 * s.gap;
    const float top = content.y + std::max(0.0f, (content.height - size - s.gap - caption_height) / 2);
    const float left = content.x + (content.width - row_width) / 2;
    for (std::size_t i = 0; i < layout.stars.size(); ++i) {
        layout.stars[i] = Rect{left + static_cast<float>(i) * (size + s.gap), top, size, size};
    }
    layout.star_radius = size * 0.46f;
    layout.caption = Rect{content.x, top + size + s.gap, content.width, caption_height};
    mirror_all(Mirror{window.width, right_to_left}, layout.stars);
    return layout;
}

RecommendLayout layout_recommend(Size window, double dpi, bool right_to_left) {
    const Spacing s = screen_spacing(window, dpi);
    const TypeScale type = type_scale(window, dpi);
    RecommendLayout layout;
    layout.chrome = question_chrome(window, dpi, right_to_left);
    const Rect& content = layout.chrome.content;
    const float gap = mm_to_px(2.5f, dpi);
    const float width = std::max((content.width - 10 * gap) / 11, s.min_target);
    const float label_height = type.caption * 2.8f;
    const float height = std::max(std::min(width * 1.3f, content.height - label_height - s.gap), s.min_target);
    const float row_width = 11 * width + 10 * gap;
    const float left = content.x + (content.width - row_width) / 2;
    const float top = content.y + std::max(0.0f, (content.height - height - s.gap - label_height) / 2);
    for (std::size_t n = 0; n < layout.scores.size(); ++n) {
        layout.scores[n] = Rect{left + static_cast<float>(n) * (width + gap), top, width, height};
    }
    const float label_width = row_width * 0.42f;
    layout.low_label = Rect{left, top + height + s.gap * 0.5f, label_width, label_height};
    layout.high_label = Rect{left + row_width - label_width, top + height + s.gap * 0.5f, label_width, label_height};
    const Mirror mirror{window.width, right_to_left};
    mirror_all(mirror, layout.scores);
    layout.low_label = mirror(layout.low_label);
    layout.high_label = mirror(layout.high_label);
    return layout;
}

TopicsLayout layout_topics(Size window, double dpi, bool right_to_left, std::size_t topic_count) {
    const Spacing s = screen_spacing(window, dpi);
    const TypeScale type = type_scale(window, dpi);
    TopicsLayout layout;
    layout.chrome = question_chrome(window, dpi, right_to_left);
    const Rect& content = layout.chrome.content;
    const float title_height = type.body * 1.4f;
    Rect glory_area;
    Rect pain_area;
    if (is_landscape(window)) {
        const float half = (content.width - 2 * s.gap) / 2;
        glory_area = Rect{content.x, content.y, half, content.height};
        pain_area = Rect{content.x + half + 2 * s.gap, content.y, half, content.height};
    } else {
        const float half = (content.height - s.gap) / 2;
        glory_area = Rect{content.x, content.y, content.width, half};
        pain_area = Rect{content.x, content.y + half + s.gap, content.width, half};
    }
    const auto group = [&](const Rect& area, Rect& title, std::vector<Rect>& toggles) {
        title = Rect{area.x, area.y, area.width, title_height};
        const Rect grid{area.x, title.bottom() + s.gap * 0.3f, area.width, area.bottom() - title.bottom() - s.gap * 0.3f};
        const float gap = mm_to_px(2.5f, dpi);
        // Three rows of three; five to a row where three rows of 15 mm do not fit (a short, dense screen).
        const bool three_rows_fit = 3 * s.min_target + 2 * gap <= grid.height;
        toggles = grid_cells(grid, topic_count, three_rows_fit ? 3 : 5, gap, std::max(s.min_target, window.height * 0.12f));
    };
    group(glory_area, layout.glory_title, layout.glory);
    group(pain_area, layout.pain_title, layout.pain);
    const Mirror mirror{window.width, right_to_left};
    layout.glory_title = mirror(layout.glory_title);
    layout.pain_title = mirror(layout.pain_title);
    mirror_all(mirror, layout.glory);
    mirror_all(mirror, layout.pain);
    return layout;
}

CommentLayout layout_comment(Size window, double dpi, bool right_to_left) {
    const Spacing s = screen_spacing(window, dpi);
    const TypeScale type = type_scale(window, dpi);
    CommentLayout layout;
    layout.chrome = question_chrome(window, dpi, right_to_left);
    // The question's subtitle row holds the field: the keyboard needs every pixel below it.
    const Rect& title = layout.chrome.title;
    layout.field = Rect{title.x, title.bottom(), title.width, type.body * 1.35f * 2 + s.gap * 0.6f};
    const float line = type.caption * 1.4f;
    const float counter_width = std::max(title.width * 0.18f, type.caption * 5.0f);
    layout.notice = Rect{title.x, layout.field.bottom() + s.gap * 0.2f, title.width - counter_width - s.gap, line};
    layout.counter = Rect{title.right() - counter_width, layout.notice.y, counter_width, line};
    const float keyboard_top = layout.notice.bottom() + s.gap * 0.5f;
    const float keyboard_bottom = layout.chrome.back.y - s.gap * 0.5f;
    layout.keyboard = Rect{title.x, keyboard_top, title.width, keyboard_bottom - keyboard_top};
    const Mirror mirror{window.width, right_to_left};
    layout.field = mirror(layout.field);
    layout.notice = mirror(layout.notice);
    layout.counter = mirror(layout.counter);
    return layout;
}

EndLayout layout_end(Size window, double dpi, bool right_to_left, bool with_offer) {
    const Spacing s = screen_spacing(window, dpi);
    const TypeScale type = type_scale(window, dpi);
    EndLayout layout;
    const float width = window.width - 2 * s.margin;
    const float button_width = std::max(window.width * 0.2f, mm_to_px(35.0f, dpi));
    layout.done = Rect{window.width - s.margin - button_width, window.height - s.margin - s.bar_height, button_width,
                       s.bar_height};
    if (!with_offer) {
        const float stars_height = std::max(window.height * 0.16f, s.min_target);
        layout.stars = Rect{s.margin, window.height * 0.2f, width, stars_height};
        layout.headline = Rect{s.margin, layout.stars.bottom() + s.gap * 1.5f, width, type.headline * 1.6f};
        layout.detail = Rect{s.margin, layout.headline.bottom(), width, type.body * 1.5f * 2};
    } else {
        const float top = s.margin + s.bar_height * 0.5f;
        const float bottom = layout.done.y - s.gap;
        // The QR code: large enough for a phone at arm's length, never less than 30 mm.
        const float qr_side = std::max(mm_to_px(30.0f, dpi), std::min(window.height * 0.42f, window.width * 0.3f));
        Rect words;
        if (is_landscape(window)) {
            const float column = width - qr_side - 2 * s.gap;
            words = Rect{s.margin, top, column, bottom - top};
            const float code_height = type.headline * 1.4f;
            const float block = qr_side + s.gap * 0.5f + code_height;
            const float qr_top = top + std::max(0.0f, (bottom - top - block) / 2);
            layout.qr = Rect{window.width - s.margin - qr_side - s.gap, qr_top, qr_side, qr_side};
            layout.code = Rect{layout.qr.x - s.gap, layout.qr.bottom() + s.gap * 0.5f, qr_side + 2 * s.gap, code_height};
        } else {
            words = Rect{s.margin, top, width, (bottom - top) * 0.45f};
            layout.qr = Rect{(window.width - qr_side) / 2, words.bottom() + s.gap, qr_side, qr_side};
            layout.code = Rect{s.margin, layout.qr.bottom() + s.gap * 0.5f, width, type.headline * 1.4f};
        }
        layout.headline = Rect{words.x, words.y, words.width, type.headline * 1.5f * 2};
        layout.detail = Rect{words.x, layout.headline.bottom(), words.width, type.body * 1.4f * 2};
        layout.offer = Rect{words.x, layout.detail.bottom() + s.gap, words.width, type.headline * 1.3f * 2};
        layout.how_to = Rect{words.x, layout.offer.bottom() + s.gap * 0.5f, words.width, type.body * 1.4f * 2};
    }
    const Mirror mirror{window.width, right_to_left};
    for (Rect* rect : {&layout.headline, &layout.detail, &layout.stars, &layout.offer, &layout.qr, &layout.code,
                       &layout.how_to, &layout.done}) {
        *rect = mirror(*rect);
    }
    return layout;
}

}  // namespace truthpoint::kiosk_ui
