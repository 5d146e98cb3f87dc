// Comment scrubbing: what a shopper types may hold an e-mail address, a phone number or a link; none of
// them is stored. Each is replaced by "…" before the comment is recorded (docs/events.md, smot.comment).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace truthpoint::core {

struct ScrubbedText {
    std::string text;                  // valid UTF-8, trimmed; bytes that were not UTF-8 are dropped
    std::vector<std::string> removed;  // "email", "phone", "link": the kinds found, each once, in that order
};

// Removes:
// - e-mail addresses: a word with an "@" that has something before it and a dot after it;
// - links: a word with "://", or starting with "www.", or a host name with a dotted ending of two or more
//   Latin letters (shop.example.com/x);
// - phone numbers: a run of 7 or more digits — Latin 0-9, Persian ۰-۹ or Arabic-Indic ٠-٩ — that may
//   start with "+" and be grouped by single spaces, dashes, dots or parentheses. A large number written
//   the same way (a price of "1 500 000") is removed too: a number wrongly removed costs less than a
//   phone number kept.
// Words are split at white space; punctuation around a word (brackets, commas, quotes, ، ؛ ؟ « ») stays.
ScrubbedText scrub_comment(std::string_view text);

}  // namespace truthpoint::core
