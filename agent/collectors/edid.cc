#include "agent/collectors/edid.h"

#include "estate/text.h"

namespace estate::agent {
namespace {

constexpr size_t kBlockSize = 128;
constexpr size_t kDescriptorsAt = 54;
constexpr size_t kDescriptorSize = 18;

uint8_t Byte(std::string_view b, size_t i) { return static_cast<uint8_t>(b[i]); }

// A descriptor's 13 bytes of text: ends at LF (or NUL, which some panels
// use), padded with spaces; anything not printable ASCII is dropped.
std::string DescriptorText(std::string_view d) {
  std::string out;
  for (size_t i = 5; i < kDescriptorSize; ++i) {
    const char c = d[i];
    if (c == '\n' || c == '\0') break;
    if (c >= 0x20 && c < 0x7f) out.push_back(c);
  }
  return std::string(Trim(out));
}

// "0000000000", "          ", "1111": what firmware puts where it has no serial.
bool IsPlaceholder(std::string_view serial) {
  if (serial.empty()) return true;
  return serial.find_first_not_of(serial.front()) == std::string_view::npos;
}

}  // namespace

std::string Edid::Serial() const {
  if (!IsPlaceholder(text_serial)) return text_serial;
  if (numeric_serial != 0 && numeric_serial != 0x01010101) return std::to_string(numeric_serial);
  return "";
}

std::string Edid::Model() const { return product_name.empty() ? text : product_name; }

Result<Edid> ParseEdid(std::string_view bytes) {
  if (bytes.size() < kBlockSize) {
    return Status::InvalidArgument("EDID is " + std::to_string(bytes.size()) +
                                   " bytes, a base block needs 128");
  }
  static constexpr uint8_t kHeader[8] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
  for (size_t i = 0; i < 8; ++i) {
    if (Byte(bytes, i) != kHeader[i]) return Status::InvalidArgument("no EDID header");
  }
  uint8_t sum = 0;
  for (size_t i = 0; i < kBlockSize; ++i) sum = static_cast<uint8_t>(sum + Byte(bytes, i));
  if (sum != 0) return Status::Corruption("EDID base block checksum does not add up");

  Edid edid;
  // Three 5-bit letters, 'A' = 1, big-endian (the only big-endian field).
  const uint16_t id = static_cast<uint16_t>(Byte(bytes, 8) << 8 | Byte(bytes, 9));
  for (int shift : {10, 5, 0}) {
    const int letter = (id >> shift) & 0x1f;
    edid.manufacturer_id.push_back(letter >= 1 && letter <= 26 ? static_cast<char>('A' + letter - 1)
                                                               : '?');
  }
  edid.product_code = static_cast<uint32_t>(Byte(bytes, 10) | Byte(bytes, 11) << 8);
  edid.numeric_serial =
      static_cast<uint32_t>(Byte(bytes, 12)) | static_cast<uint32_t>(Byte(bytes, 13)) << 8 |
      static_cast<uint32_t>(Byte(bytes, 14)) << 16 | static_cast<uint32_t>(Byte(bytes, 15)) << 24;
  edid.week = Byte(bytes, 16);
  edid.year = 1990u + Byte(bytes, 17);
  edid.version = Byte(bytes, 18);
  edid.revision = Byte(bytes, 19);
  // Base block size in cm; 0 in either means unknown (or an aspect ratio).
  if (Byte(bytes, 21) != 0 && Byte(bytes, 22) != 0) {
    edid.width_mm = 10u * Byte(bytes, 21);
    edid.height_mm = 10u * Byte(bytes, 22);
  }
  for (size_t at = kDescriptorsAt; at + kDescriptorSize <= kBlockSize; at += kDescriptorSize) {
    std::string_view d = bytes.substr(at, kDescriptorSize);
    if (Byte(d, 0) != 0 || Byte(d, 1) != 0) {  // a detailed timing; the first is preferred
      if (at != kDescriptorsAt) continue;
      edid.width_px = static_cast<uint32_t>(Byte(d, 2) | (Byte(d, 4) & 0xf0) << 4);
      edid.height_px = static_cast<uint32_t>(Byte(d, 5) | (Byte(d, 7) & 0xf0) << 4);
      const uint32_t w = static_cast<uint32_t>(Byte(d, 12) | (Byte(d, 14) & 0xf0) << 4);
      const uint32_t h = static_cast<uint32_t>(Byte(d, 13) | (Byte(d, 14) & 0x0f) << 8);
      if (w != 0 && h != 0) {  // mm, finer than the base block's cm
        edid.width_mm = w;
        edid.height_mm = h;
      }
      continue;
    }
    switch (Byte(d, 3)) {
      case 0xff:
        if (IsPlaceholder(edid.text_serial)) edid.text_serial = DescriptorText(d);
        break;
      case 0xfc:
        if (edid.product_name.empty()) edid.product_name = DescriptorText(d);
        break;
      case 0xfe:
        if (std::string text = DescriptorText(d); !text.empty()) edid.text = std::move(text);
        break;
      default:
        break;
    }
  }
  return edid;
}

std::map<std::string, std::string> ParsePnpIds(std::string_view text,
                                               const std::set<std::string>& wanted) {
  std::map<std::string, std::string> names;
  for (std::string_view line : Split(text, '\n')) {
    if (line.size() < 5 || line[3] != '\t') continue;
    std::string id(line.substr(0, 3));
    if (wanted.count(id) == 0) continue;
    names.emplace(std::move(id), SanitizeUtf8(Trim(line.substr(4))));
    if (names.size() == wanted.size()) break;
  }
  return names;
}

}  // namespace estate::agent
