// estate-agent run --config FILE: lands with the spool and delta reports.
#include <cstdio>

#include "agent/commands/commands.h"

namespace estate::agent {

int RunDaemonCommand(const Args&) {
  std::fputs("estate-agent run: not built yet; use 'estate-agent push'\n", stderr);
  return 1;
}

}  // namespace estate::agent
