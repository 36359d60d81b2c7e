// Scan targets from the command line: IPv4/IPv6 addresses, IPv4 CIDRs (at most
// /16, network and broadcast addresses left out below /31) and host names
// (resolved once). Only what is named is ever scanned.
#ifndef ESTATE_PLUGINS_SNMP_TARGETS_H_
#define ESTATE_PLUGINS_SNMP_TARGETS_H_

#include <string>
#include <vector>

#include "estate/status.h"

namespace estate::plugins::snmp {

// Expands addresses and CIDRs; host names are resolved with getaddrinfo.
Result<std::vector<std::string>> ExpandTargets(const std::vector<std::string>& targets);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_TARGETS_H_
