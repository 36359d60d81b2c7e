#include "estate/text.h"

#include <cctype>
#include <charconv>

#include "estate/utf8.h"

namespace estate {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {

// Length of the well-formed UTF-8 sequence starting at p[0] (of n bytes left), or 0.
size_t Utf8SequenceLength(const unsigned char* p, size_t n) {
  return DecodeUtf8(std::string_view(reinterpret_cast<const char*>(p), n), 0).length;
}

constexpr std::string_view kReplacementCharacter = "\xef\xbf\xbd";

}  // namespace

Utf8Char DecodeUtf8(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const size_t n = s.size() - i;
  const unsigned char c = p[0];
  if (c < 0x80) return {c, 1};
  size_t len = 0;
  uint32_t cp = 0;
  if ((c & 0xe0) == 0xc0) {
    len = 2;
    cp = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3;
    cp = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4;
    cp = c & 0x07;
  }
  if (len == 0 || len > n) return {};
  for (size_t k = 1; k < len; ++k) {
    if ((p[k] & 0xc0) != 0x80) return {};
    cp = (cp << 6) | (p[k] & 0x3f);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) {
    return {};
  }
  return {cp, len};
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {  // the common case: plain ASCII
      ++i;
      continue;
    }
    const size_t len = Utf8SequenceLength(p + i, n - i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string ReplaceInvalidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const size_t len = Utf8SequenceLength(p + i, n - i);
    if (len == 0) {
      out += kReplacementCharacter;
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::string SanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      out += (c < 0x20 && c != '\t') || c == 0x7f ? ' ' : static_cast<char>(c);
      ++i;
      continue;
    }
    const size_t len = Utf8SequenceLength(p + i, n - i);
    if (len == 0) {
      out += kReplacementCharacter;
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::optional<std::string> NormalizeMac(std::string_view text) {
  text = Trim(text);
  std::string hex;
  for (char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c != ':' && c != '-' && c != '.' && c != ' ') {
      return std::nullopt;
    }
  }
  // "a:b:c:d:e:f" style with single-digit octets (as some devices print) is padded.
  if (hex.size() != 12) {
    auto parts = Split(text, ':');
    if (parts.size() != 6) return std::nullopt;
    hex.clear();
    for (auto part : parts) {
      if (part.empty() || part.size() > 2) return std::nullopt;
      if (part.size() == 1) hex += '0';
      hex += ToLower(part);
    }
  }
  std::string out;
  for (size_t i = 0; i < 12; i += 2) {
    if (i) out += ':';
    out += hex.substr(i, 2);
  }
  return out;
}

std::string FormatMac(const uint8_t bytes[6]) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 6; ++i) {
    if (i) out += ':';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xf];
  }
  return out;
}

bool IsLocallyAdministeredMac(std::string_view canonical_mac) {
  if (canonical_mac.size() < 2) return false;
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(canonical_mac.data(), canonical_mac.data() + 2, value, 16);
  return ec == std::errc() && (value & 0x02) != 0;
}

std::optional<uint64_t> ParseUint(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<uint64_t> ParseHexUint(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace estate
