// The --targets file of `scan snmp`: one target per line, so that one scan
// covers devices that need different ports or credentials.
//
//   # host-or-address-or-CIDR  [port]  [profile]
//   10.0.0.1
//   10.0.1.0/24   161   office
//   ups1.example  1161  facilities
//
// A profile names a [snmp.profile.NAME] section of the --config file holding
// the same keys as [snmp] (version, communities, v3_user, ...); a target
// without one uses the command line's credentials. Pure parsing; no I/O.
#ifndef ESTATE_PLUGINS_SNMP_TARGETS_FILE_H_
#define ESTATE_PLUGINS_SNMP_TARGETS_FILE_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "estate/config_file.h"
#include "estate/status.h"
#include "plugins/snmp/credentials.h"

namespace estate::plugins::snmp {

struct TargetLine {
  std::string target;   // as ExpandTargets takes it
  uint16_t port = 0;    // 0: the scan's port
  std::string profile;  // "": the scan's credentials
  int line = 0;
};

// Errors name `path:line`.
Result<std::vector<TargetLine>> ParseTargetsFile(std::string_view text, const std::string& path);

// The credentials of profile `name`: `base` with the keys of the
// [snmp.profile.NAME] section of `config` applied. An unknown profile is an
// error naming the profiles there are.
Result<Credentials> ProfileCredentials(const ConfigFile& config, const std::string& name,
                                       const Credentials& base);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_TARGETS_FILE_H_
