// PLACEHOLDER: replaced by the real command when plugins/snmp lands.
#include <cstdio>

#include "agent/commands/commands.h"

namespace estate::plugins {

int RunSnmpScanCommand(const Args&) {
  std::fputs("this scan is not built yet\n", stderr);
  return 1;
}

}  // namespace estate::plugins
