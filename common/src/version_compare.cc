#include "estate/version_compare.h"

#include <cctype>
#include <cstdint>

namespace estate {
namespace {

// Sort weight of one character in a non-digit run: '~' first, then the end
// of the string, then letters, then everything else.
int Order(char c) {
  if (std::isdigit(static_cast<unsigned char>(c))) return 0;
  if (std::isalpha(static_cast<unsigned char>(c))) return c;
  if (c == '~') return -1;
  if (c) return c + 256;
  return 0;
}

int CompareFragment(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !std::isdigit(static_cast<unsigned char>(a[i]))) ||
           (j < b.size() && !std::isdigit(static_cast<unsigned char>(b[j])))) {
      int ac = i < a.size() ? Order(a[i]) : 0;
      int bc = j < b.size() ? Order(b[j]) : 0;
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    while (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i])) && j < b.size() &&
           std::isdigit(static_cast<unsigned char>(b[j]))) {
      if (!first_diff) first_diff = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i]))) return 1;
    if (j < b.size() && std::isdigit(static_cast<unsigned char>(b[j]))) return -1;
    if (first_diff) return first_diff;
  }
  return 0;
}

struct Parsed {
  uint64_t epoch = 0;
  std::string_view upstream;
  std::string_view revision;
};

Parsed Parse(std::string_view v) {
  Parsed p;
  if (size_t colon = v.find(':'); colon != std::string_view::npos) {
    bool digits = colon > 0;
    uint64_t epoch = 0;
    for (size_t k = 0; k < colon; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(v[k])))
        digits = false;
      else
        epoch = epoch * 10 + static_cast<uint64_t>(v[k] - '0');
    }
    if (digits) {
      p.epoch = epoch;
      v.remove_prefix(colon + 1);
    }
  }
  if (size_t dash = v.rfind('-'); dash != std::string_view::npos) {
    p.upstream = v.substr(0, dash);
    p.revision = v.substr(dash + 1);
  } else {
    p.upstream = v;
  }
  return p;
}

}  // namespace

int CompareVersions(std::string_view a, std::string_view b) {
  Parsed pa = Parse(a), pb = Parse(b);
  if (pa.epoch != pb.epoch) return pa.epoch < pb.epoch ? -1 : 1;
  if (int c = CompareFragment(pa.upstream, pb.upstream)) return c;
  return CompareFragment(pa.revision, pb.revision);
}

}  // namespace estate
