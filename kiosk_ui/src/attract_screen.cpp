// The attract screen: the question, a "touch to tell us" pill that breathes slowly, and a preview of
// the faces. Redrawn at ≤ 4 frames a second: enough to catch an eye from two metres, close to free.
#include <cmath>

#include "draw_helpers.hpp"
#include "faces.hpp"
#include "screens.hpp"
#include "theme.hpp"

namespace truthpoint::kiosk_ui {

namespace {

// 0 → 1 → 0 over one pulse period: a slow, smooth swell.
float pulse_phase(core::Timestamp entered_at, core::Timestamp now) {
    const auto elapsed = (now - entered_at).count() % AttractScreen::kPulsePeriod.count();
    const float turns = static_cast<float>(elapsed) / static_cast<float>(AttractScreen::kPulsePeriod.count());
    return 0.5f - 0.5f * std::cos(turns * 2.0f * 3.14159265f);
}

Rect grown(const Rect& rect, float by) {
    return Rect{rect.x - by, rect.y - by, rect.width + 2 * by, rect.height + 2 * by};
}

}  // namespace

void AttractScreen::enter(const ScreenContext& context) { entered_at = context.now; }

void AttractScreen::draw(ScreenContext& context) {
    const AttractLayout layout = layout_attract(context.window, context.dpi);
    ImDrawList* draw_list = ImGui::GetWindowDrawList();

    draw_centered_text(draw_list, context.fonts.headline, layout.question, theme::kText,
                       context.text.question(context.flow.product().name));

    const float phase = pulse_phase(entered_at, context.now);
    const Rect& pill = layout.call_to_action;
    const float rounding = pill.height / 2;
    // A halo that swells and fades, behind a pill that grows by a few percent.
    const Rect halo = grown(pill, pill.height * (0.08f + 0.22f * phase));
    draw_list->AddRectFilled(top_left(halo), bottom_right(halo), theme::with_alpha(theme::kAccent, 0.28f * (1 - phase)),
                             halo.height / 2);
    const Rect body = grown(pill, pill.height * 0.05f * phase);
    draw_list->AddRectFilled(top_left(body), bottom_right(body), theme::kAccent, rounding + pill.height * 0.05f * phase);
    draw_centered_text(draw_list, context.fonts.body, body, theme::kOnAccent, context.text.touch_to_start);

    for (std::size_t i = 0; i < layout.preview_faces.size(); ++i) {
        draw_face(draw_list, to_imvec(layout.preview_faces[i]), layout.preview_radius, core::kAllReactions[i]);
    }

    // The whole glass is the target: a shopper may touch anywhere.
    if (tap_area("##attract", Rect{0, 0, context.window.width, context.window.height})) {
        context.flow.touch_attract(context.now);
    }
}

std::vector<TapTarget> AttractScreen::tap_targets(Size window, double dpi) const {
    return {TapTarget{"start", layout_attract(window, dpi).call_to_action.center()}};
}

}  // namespace truthpoint::kiosk_ui
