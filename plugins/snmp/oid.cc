#include "plugins/snmp/oid.h"

#include <charconv>

namespace estate::plugins::snmp {

std::optional<Oid> Oid::Parse(std::string_view text) {
  if (text.starts_with("iso")) {
    text.remove_prefix(3);
    std::vector<uint32_t> arcs{1};
    if (!text.empty()) {
      auto rest = Parse(text);
      if (!rest) return std::nullopt;
      arcs.insert(arcs.end(), rest->arcs_.begin(), rest->arcs_.end());
    }
    return Oid(std::move(arcs));
  }
  if (text.starts_with('.')) text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  std::vector<uint32_t> arcs;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  while (p < end) {
    uint32_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || next == p) return std::nullopt;
    arcs.push_back(v);
    p = next;
    if (p == end) break;
    if (*p != '.' || p + 1 == end) return std::nullopt;
    ++p;
  }
  if (arcs.size() > 128) return std::nullopt;  // RFC 2578 limit
  return Oid(std::move(arcs));
}

bool Oid::StartsWith(const Oid& prefix) const {
  if (prefix.arcs_.size() > arcs_.size()) return false;
  for (size_t i = 0; i < prefix.arcs_.size(); ++i) {
    if (arcs_[i] != prefix.arcs_[i]) return false;
  }
  return true;
}

std::vector<uint32_t> Oid::SuffixAfter(const Oid& prefix) const {
  if (!StartsWith(prefix)) return {};
  return std::vector<uint32_t>(arcs_.begin() + prefix.arcs_.size(), arcs_.end());
}

Oid Oid::Child(uint32_t arc) const {
  Oid out = *this;
  out.arcs_.push_back(arc);
  return out;
}

Oid Oid::Append(const std::vector<uint32_t>& arcs) const {
  Oid out = *this;
  out.arcs_.insert(out.arcs_.end(), arcs.begin(), arcs.end());
  return out;
}

std::string ArcsToString(const std::vector<uint32_t>& arcs) {
  std::string out;
  for (size_t i = 0; i < arcs.size(); ++i) {
    if (i) out += '.';
    out += std::to_string(arcs[i]);
  }
  return out;
}

std::string Oid::ToString() const { return ArcsToString(arcs_); }

}  // namespace estate::plugins::snmp
