// EnterpriseRegistry: IANA private enterprise numbers -> organisation names,
// loaded at run time from the list Debian ships in libwireshark-data
// (/usr/share/wireshark/enterprises.tsv, "NUMBER<whitespace>NAME" lines).
// Stored compactly: one string of names and a sorted array of (number, offset).
// Immutable after Load; thread-safe to read.
#ifndef ESTATE_PLUGINS_SNMP_ENTERPRISE_REGISTRY_H_
#define ESTATE_PLUGINS_SNMP_ENTERPRISE_REGISTRY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate::plugins::snmp {

inline constexpr const char* kDefaultEnterprisesPath = "/usr/share/wireshark/enterprises.tsv";

class EnterpriseRegistry {
 public:
  static Result<EnterpriseRegistry> Load(const std::string& path);
  static EnterpriseRegistry Parse(std::string_view text);

  // The organisation's name without its trailing "(contact)" note; "" if unknown.
  std::string_view Lookup(uint32_t number) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint32_t number;
    uint32_t offset;
    uint32_t length;
  };
  std::string names_;
  std::vector<Entry> entries_;
};

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_ENTERPRISE_REGISTRY_H_
