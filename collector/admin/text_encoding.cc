#include "collector/admin/text_encoding.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "estate/text.h"
#include "estate/utf8.h"

namespace estate::collector {
namespace {

// Code points of 0x80..0x9F in Windows-1252; 0 where the code page has none.
constexpr uint16_t kHigh[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0};

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

size_t LineAt(std::string_view bytes, size_t offset) {
  return 1 + static_cast<size_t>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

}  // namespace

const std::vector<std::string>& TextEncodingChoices() {
  static const auto* choices = new std::vector<std::string>{"utf-8", "cp1252"};
  return *choices;
}

std::string Cp1252ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0xA0) {
      // The five bytes the code page leaves undefined pass as C1 controls,
      // as Windows converts them; the attribute checks then refuse them.
      AppendUtf8(kHigh[c - 0x80] ? kHigh[c - 0x80] : c, &out);
    } else {
      AppendUtf8(c, &out);  // Latin-1 range: the byte is the code point
    }
  }
  return out;
}

Result<std::string> DecodeText(std::string_view bytes, TextEncoding encoding) {
  if (StartsWith(bytes, "\xff\xfe") || StartsWith(bytes, "\xfe\xff")) {
    return Status::InvalidArgument(
        "line 1: the file is UTF-16 (\"Unicode text\"); save it as CSV UTF-8 and import that");
  }
  // The first byte that does not start a well-formed UTF-8 sequence.
  size_t bad = bytes.size();
  bool non_ascii = false;
  for (size_t i = 0; i < bytes.size();) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    non_ascii = true;
    const Utf8Char ch = DecodeUtf8(bytes, i);
    if (ch.length == 0) {
      bad = i;
      break;
    }
    i += ch.length;
  }
  if (encoding == TextEncoding::kCp1252) {
    if (bad == bytes.size() && non_ascii) {
      return Status::InvalidArgument(
          "the file is UTF-8 already (its accented letters are UTF-8), not cp1252: import it "
          "without --encoding");
    }
    return Cp1252ToUtf8(bytes);
  }
  if (bad == bytes.size()) return std::string(bytes);
  // A lone byte of 0x80..0xFF between ASCII (é as 0xE9, € as 0x80) is how
  // Windows-1252 looks; UTF-8 never has one.
  const unsigned char c = static_cast<unsigned char>(bytes[bad]);
  const bool cp1252_like = c >= 0xA0 || (c >= 0x80 && kHigh[c - 0x80] != 0);
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", c);
  const size_t start = bad >= 12 ? bad - 12 : 0;
  std::string before(bytes.substr(start, bad - start));
  if (const size_t nl = before.rfind('\n'); nl != std::string::npos) before.erase(0, nl + 1);
  return Status::InvalidArgument(
      "line " + std::to_string(LineAt(bytes, bad)) + ": not UTF-8 (byte " + hex + " after '" +
      SanitizeUtf8(before) + "')" +
      (cp1252_like ? "; the file looks like Windows-1252 (a spreadsheet's plain \"CSV\" export): "
                     "import it with --encoding cp1252, or save it as CSV UTF-8"
                   : "; save it as CSV UTF-8 (or, if it is Windows-1252, use --encoding cp1252)"));
}

}  // namespace estate::collector
