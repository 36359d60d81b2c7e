// UTF-8 validity and repair for text that is stored, not printed (protobuf
// `string` fields must be valid UTF-8). Implemented in text.cc beside
// SanitizeUtf8 (estate/text.h), which shares their decoder. Pure functions;
// thread-safe.
#ifndef ESTATE_UTF8_H_
#define ESTATE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace estate {

// One decoded UTF-8 sequence: its code point and its length in bytes.
struct Utf8Char {
  uint32_t code_point = 0;
  size_t length = 0;  // 0: the bytes there are not well-formed UTF-8
};

// Decodes the sequence starting at s[i] (i < s.size()). Length 0 for a stray
// continuation byte, a truncated sequence, an overlong form, a surrogate or a
// value past U+10FFFF. The one UTF-8 decoder of the project: validation,
// repair and the terminal-safe rendering all go through it.
Utf8Char DecodeUtf8(std::string_view s, size_t i);

// True when `s` is well-formed UTF-8 (what protobuf demands of a `string` field).
bool IsValidUtf8(std::string_view s);
// Replaces each byte that does not start a well-formed UTF-8 sequence with
// U+FFFD and keeps everything else, control characters included: the repair
// for stored text, where SanitizeUtf8 is the one for text to print.
std::string ReplaceInvalidUtf8(std::string_view s);

}  // namespace estate

#endif  // ESTATE_UTF8_H_
