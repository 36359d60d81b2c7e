#include "collector/admin/location_path.h"

#include <vector>

#include "estate/text.h"

namespace estate::collector {
namespace {

// Segments of an already stored path, trimmed; empty ones skipped so a
// recorded value typed before paths existed ("HQ / B2") still compares.
std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  for (auto part : Split(path, '/')) {
    part = Trim(part);
    if (!part.empty()) out.push_back(ToLower(part));
  }
  return out;
}

}  // namespace

Result<std::string> NormalizeLocationPath(std::string_view text, std::string_view field) {
  const std::string quoted = std::string(field) + ": '" + SanitizeUtf8(text) + "'";
  std::string_view trimmed = Trim(text);
  if (!trimmed.empty() && trimmed.back() == '/') trimmed.remove_suffix(1);
  if (trimmed.empty()) {
    return Status::InvalidArgument(std::string(field) +
                                   ": a location path is needed (site/building/floor/room, "
                                   "HQ/B2/F3/R301)");
  }
  std::string out;
  size_t count = 0;
  for (auto part : Split(trimmed, '/')) {
    part = Trim(part);
    if (part.empty()) {
      return Status::InvalidArgument(quoted + " has an empty segment (HQ/B2/F3/R301)");
    }
    for (unsigned char c : part) {
      if (c < 0x20 || c == 0x7f) {
        return Status::InvalidArgument(quoted + " contains a control character");
      }
    }
    if (part.size() > kMaxLocationSegmentBytes) {
      return Status::InvalidArgument(quoted + ": a segment is longer than " +
                                     std::to_string(kMaxLocationSegmentBytes) + " bytes");
    }
    if (++count > kMaxLocationSegments) {
      return Status::InvalidArgument(quoted + " has more than " +
                                     std::to_string(kMaxLocationSegments) + " segments");
    }
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

bool LocationUnder(std::string_view path, std::string_view prefix) {
  const auto p = Segments(path);
  const auto want = Segments(prefix);
  if (want.size() > p.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (p[i] != want[i]) return false;
  }
  return true;
}

bool LocationsDisagree(std::string_view a, std::string_view b) {
  if (Segments(a).empty() || Segments(b).empty()) return false;
  return !LocationUnder(a, b) && !LocationUnder(b, a);
}

}  // namespace estate::collector
