// Oid: an SNMP object identifier as its numeric arcs, ordered the way agents
// order them (lexicographically by arc). A plain value type; thread-compatible.
#ifndef ESTATE_PLUGINS_SNMP_OID_H_
#define ESTATE_PLUGINS_SNMP_OID_H_

#include <compare>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace estate::plugins::snmp {

class Oid {
 public:
  Oid() = default;
  Oid(std::initializer_list<uint32_t> arcs) : arcs_(arcs) {}
  explicit Oid(std::vector<uint32_t> arcs) : arcs_(std::move(arcs)) {}

  // Parses "1.3.6.1", ".1.3.6.1" or "iso.3.6.1"; nullopt on anything else.
  static std::optional<Oid> Parse(std::string_view text);

  const std::vector<uint32_t>& arcs() const { return arcs_; }
  size_t size() const { return arcs_.size(); }
  bool empty() const { return arcs_.empty(); }
  uint32_t operator[](size_t i) const { return arcs_[i]; }

  // True when `this` equals `prefix` or lies below it.
  bool StartsWith(const Oid& prefix) const;
  // The arcs after `prefix` (the table index of a column instance).
  std::vector<uint32_t> SuffixAfter(const Oid& prefix) const;
  Oid Child(uint32_t arc) const;
  Oid Append(const std::vector<uint32_t>& arcs) const;

  // "1.3.6.1.2.1" (no leading dot).
  std::string ToString() const;

  friend auto operator<=>(const Oid&, const Oid&) = default;
  friend bool operator==(const Oid&, const Oid&) = default;

 private:
  std::vector<uint32_t> arcs_;
};

// "1.2.3" for an index suffix.
std::string ArcsToString(const std::vector<uint32_t>& arcs);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_OID_H_
