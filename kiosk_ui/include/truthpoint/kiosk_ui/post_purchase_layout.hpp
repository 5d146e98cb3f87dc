// Where things go on the post-purchase screens (second and ultimate moments of truth, the sorry card), as
// pure functions of the window size, the DPI and the reading direction, like layout.hpp. Questions keep
// the frame of layout_chrome() with six progress dots. Keypads and keyboards are never mirrored: they read
// the same way in every language; everything else is laid out left to right and mirrored at the end.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "truthpoint/kiosk_ui/layout.hpp"

namespace truthpoint::kiosk_ui {

inline constexpr std::size_t kPostPurchaseQuestions = 6;  // rating … consent

// The receipt: the digits typed so far, a numeric keypad, and a line for "that is not a receipt".
struct ReceiptLayout {
    Chrome chrome;
    Rect field;                   // the digits typed so far
    Rect message;                 // under the field: the refusal, or the privacy note
    std::array<Rect, 10> digits;  // digits[d] is the key of digit d: 1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 OK
    Rect erase;
    Rect done;
};
ReceiptLayout layout_receipt(Size window, double dpi, bool right_to_left);

// Five stars in a row, the first at the start side.
struct RatingLayout {
    Chrome chrome;
    std::array<Rect, 5> stars;  // targets; the star is drawn in the middle of each
    float star_radius = 0;      // outer radius of a drawn star
    Rect caption;               // under the stars: what the tapped number of stars means
};
RatingLayout layout_rating(Size window, double dpi, bool right_to_left);

// 0 to 10 in one row (two rows on a narrow portrait screen), with the meaning of both ends under it.
struct RecommendLayout {
    Chrome chrome;
    std::array<Rect, 11> scores;  // scores[n] is the button of n
    Rect low_label;               // under 0: "Not at all likely"
    Rect high_label;              // under 10: "Extremely likely"
};
RecommendLayout layout_recommend(Size window, double dpi, bool right_to_left);

// Moments of glory and of pain: two groups of toggles side by side (landscape) or stacked (portrait).
struct TopicsLayout {
    Chrome chrome;
    Rect glory_title;
    Rect pain_title;
    std::vector<Rect> glory;  // in reading order
    std::vector<Rect> pain;
};
TopicsLayout layout_topics(Size window, double dpi, bool right_to_left, std::size_t topic_count);

// The comment: the text as typed, a line on what is removed before it is stored, how many characters
// are left, and the on-screen keyboard below.
struct CommentLayout {
    Chrome chrome;
    Rect field;     // the text, shaped, in the typing language's direction
    Rect notice;    // "We remove e-mail addresses, phone numbers and links…"
    Rect counter;   // characters left
    Rect keyboard;  // the area the keys are laid out in (layout_keyboard)
};
CommentLayout layout_comment(Size window, double dpi, bool right_to_left);

// The thank-you after a purchase and the apology: a headline, a line under it, and for the sorry card the
// offer, its code as text and as a QR code, the note on how to use it, and Done.
struct EndLayout {
    Rect headline;
    Rect detail;
    Rect stars;    // thank-you: the stars given
    Rect offer;    // the store's offer, up to two lines
    Rect qr;       // a square, at least 30 mm, quiet zone included
    Rect code;     // the code as text
    Rect how_to;   // "Show this code at the till. It can be used once."
    Rect done;
};
EndLayout layout_end(Size window, double dpi, bool right_to_left, bool with_offer);

}  // namespace truthpoint::kiosk_ui
