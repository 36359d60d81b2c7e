// UTF-8 validity and repair for text that is stored, not printed (protobuf
// `string` fields must be valid UTF-8). Implemented in text.cc beside
// SanitizeUtf8 (estate/text.h), which shares their decoder. Pure functions;
// thread-safe.
#ifndef ESTATE_UTF8_H_
#define ESTATE_UTF8_H_

#include <string>
#include <string_view>

namespace estate {

// True when `s` is well-formed UTF-8 (what protobuf demands of a `string` field).
bool IsValidUtf8(std::string_view s);
// Replaces each byte that does not start a well-formed UTF-8 sequence with
// U+FFFD and keeps everything else, control characters included: the repair
// for stored text, where SanitizeUtf8 is the one for text to print.
std::string ReplaceInvalidUtf8(std::string_view s);

}  // namespace estate

#endif  // ESTATE_UTF8_H_
