#include "plugins/snmp/vendor_plugin.h"

#include "estate/text.h"

namespace estate::plugins::snmp {

uint32_t EnterpriseOf(const Oid& sys_object_id) {
  static const Oid kEnterprises{1, 3, 6, 1, 4, 1};
  if (sys_object_id.size() <= kEnterprises.size() || !sys_object_id.StartsWith(kEnterprises)) {
    return 0;
  }
  return sys_object_id[kEnterprises.size()];
}

std::string FieldAfter(std::string_view text, std::string_view key, std::string_view seps) {
  size_t pos = text.find(key);
  if (pos == std::string_view::npos) return "";
  std::string_view rest = text.substr(pos + key.size());
  size_t end = rest.find_first_of(seps);
  return std::string(Trim(rest.substr(0, end)));
}

}  // namespace estate::plugins::snmp
