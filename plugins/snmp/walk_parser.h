// Pure parsers for recorded SNMP data:
//  - ParseSnmpWalk: the text `snmpwalk -On` (or snmpbulkwalk) prints, one
//    ".OID = TYPE: value" per variable, strings possibly spanning lines.
//  - ParseSnmprec: snmpsim/LibreNMS recordings, "OID|TAG|value" per line
//    (tag with an "x" suffix = value in hex).
// Unparseable lines are skipped and reported in `warnings` with their line
// number; parsing never fails as a whole. Thread-safe (no state).
#ifndef ESTATE_PLUGINS_SNMP_WALK_PARSER_H_
#define ESTATE_PLUGINS_SNMP_WALK_PARSER_H_

#include <string>
#include <string_view>
#include <vector>

#include "plugins/snmp/varbind.h"

namespace estate::plugins::snmp {

struct ParsedWalk {
  std::vector<VarBind> varbinds;  // in file order
  std::vector<std::string> warnings;
};

ParsedWalk ParseSnmpWalk(std::string_view text);
ParsedWalk ParseSnmprec(std::string_view text);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_WALK_PARSER_H_
