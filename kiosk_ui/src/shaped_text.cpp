// Fitting shaped text into boxes, with a cache (see shaped_text.hpp).
#include "shaped_text.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace truthpoint::kiosk_ui {

namespace {

// Some glyphs draw past their advance: the tails of Arabic ص ض س ش reach left of their origin. A centred
// label is moved by half of what its ink overhangs on one side more than the other, so it stays in its key.
float centring_shift(ImFont* font, float size, const std::string& line) {
    const std::u32string points = utf8_to_code_points(line);
    if (points.empty()) return 0;
    const float scale = size / font->FontSize;
    const ImFontGlyph* first = font->FindGlyphNoFallback(static_cast<ImWchar>(points.front()));
    const ImFontGlyph* last = font->FindGlyphNoFallback(static_cast<ImWchar>(points.back()));
    const float left = first ? std::max(0.0f, -first->X0) * scale : 0;
    const float right = last ? std::max(0.0f, last->X1 - last->AdvanceX) * scale : 0;
    return (left - right) / 2;
}

constexpr float kLineSpacing = 1.08f;  // line height as a multiple of the font size

std::vector<std::string_view> split_words(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t space = text.find(' ', start);
        const std::size_t end = space == std::string_view::npos ? text.size() : space;
        if (end > start) words.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return words;
}

std::string join(const std::vector<std::string_view>& words, std::size_t from, std::size_t to) {
    std::string line;
    for (std::size_t i = from; i < to; ++i) {
        if (i > from) line.push_back(' ');
        line.append(words[i]);
    }
    return line;
}

std::string cache_key(const ImFont* font, float size, Size box, std::string_view text, TextDirection direction,
                      int max_lines) {
    std::string key(reinterpret_cast<const char*>(&font), sizeof(font));
    for (const float value : {size, box.width, box.height}) key.append(reinterpret_cast<const char*>(&value), sizeof(value));
    key.push_back(direction == TextDirection::RightToLeft ? 'r' : 'l');
    key.push_back(static_cast<char>('0' + max_lines));
    key.append(text);
    return key;
}

}  // namespace

const std::string& TextEngine::visual(std::string_view logical, TextDirection direction) {
    std::string key(1, direction == TextDirection::RightToLeft ? 'r' : 'l');
    key.append(logical);
    if (auto found = visual_.find(key); found != visual_.end()) return found->second;
    if (visual_.size() > kMaxCached) visual_.clear();
    return visual_.emplace(std::move(key), visual_line(logical, direction)).first->second;
}

const FittedText& TextEngine::fit(ImFont* font, float size, Size box, std::string_view logical, TextDirection direction,
                                  int max_lines) {
    std::string key = cache_key(font, size, box, logical, direction, max_lines);
    if (auto found = fitted_.find(key); found != fitted_.end()) return found->second;
    if (fitted_.size() > kMaxCached) fitted_.clear();

    const auto width_of = [&](const std::string& line) {
        return font->CalcTextSizeA(size, FLT_MAX, 0.0f, line.c_str(), line.c_str() + line.size()).x;
    };
    const std::vector<std::string_view> words = split_words(logical);
    const std::size_t most_lines = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(1, max_lines)), 1,
                                                           std::max<std::size_t>(1, words.size()));

    FittedText best;
    float best_widest = 0;
    // Lines of logical text between break points, balanced so the widest line is as narrow as possible.
    const auto consider = [&](const std::vector<std::size_t>& breaks) {
        FittedText candidate;
        float widest = 0;
        std::size_t from = 0;
        for (std::size_t b = 0; b <= breaks.size(); ++b) {
            const std::size_t to = b < breaks.size() ? breaks[b] : words.size();
            const std::string& line = visual(words.empty() ? std::string(logical) : join(words, from, to), direction);
            candidate.lines.push_back(line);
            widest = std::max(widest, width_of(line));
            from = to;
        }
        const auto count = static_cast<float>(candidate.lines.size());
        float scale = 1.0f;
        if (widest > box.width && widest > 0) scale = std::min(scale, box.width / widest);
        if (count * size * kLineSpacing > box.height) scale = std::min(scale, box.height / (count * size * kLineSpacing));
        candidate.size = size * scale;
        if (best.lines.empty()) {
            best = std::move(candidate);
            best_widest = widest;
            return;
        }
        // Another line must earn its place: one line a little smaller reads better than two.
        const bool more_lines = candidate.lines.size() > best.lines.size();
        const float needed = best.size * (more_lines ? 1.12f : 1.0f);
        const bool larger = candidate.size > needed + 0.01f;
        // As large, with as many lines, but better balanced: not one word alone on a line.
        const bool balanced = !more_lines && std::fabs(candidate.size - best.size) <= 0.01f && widest < best_widest;
        if (larger || balanced) {
            best = std::move(candidate);
            best_widest = widest;
        }
    };

    consider({});
    // More lines only while the text is still shrunk; each count is tried whole, for the best balance.
    for (std::size_t lines = 2; lines <= most_lines && best.size < size - 0.01f; ++lines) {
        if (lines == 2) {
            for (std::size_t i = 1; i < words.size(); ++i) consider({i});
        } else if (lines == 3) {
            for (std::size_t i = 1; i < words.size(); ++i) {
                for (std::size_t j = i + 1; j < words.size(); ++j) consider({i, j});
            }
        }
    }
    best.line_height = best.size * kLineSpacing;
    for (const std::string& line : best.lines) {
        best.widths.push_back(font->CalcTextSizeA(best.size, FLT_MAX, 0.0f, line.c_str(), line.c_str() + line.size()).x);
        best.ink_shifts.push_back(centring_shift(font, best.size, line));
    }
    return fitted_.emplace(std::move(key), std::move(best)).first->second;
}

void TextEngine::draw(ImDrawList* draw_list, ImFont* font, float size, const Rect& box, ImU32 colour,
                      std::string_view logical, TextDirection direction, Align align, int max_lines) {
    if (logical.empty()) return;
    const FittedText& text = fit(font, size, Size{box.width, box.height}, logical, direction, max_lines);
    const float total = text.line_height * static_cast<float>(text.lines.size());
    float y = box.y + (box.height - total) / 2 + (text.line_height - text.size) / 2;
    for (std::size_t i = 0; i < text.lines.size(); ++i) {
        const float width = text.widths[i];
        float x = box.x + (box.width - width) / 2 + text.ink_shifts[i];
        if (align == Align::Start) x = direction == TextDirection::RightToLeft ? box.right() - width : box.x;
        const std::string& line = text.lines[i];
        draw_list->AddText(font, text.size, ImVec2(std::floor(x), std::floor(y)), colour, line.c_str(),
                           line.c_str() + line.size());
        y += text.line_height;
    }
}

}  // namespace truthpoint::kiosk_ui
