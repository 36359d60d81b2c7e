// Built into the estate-agent-report module: dispatches to push and run.
#include "agent/report_module.h"

#include <cstdio>
#include <exception>
#include <string>

extern "C" int estate_run_report(const char* command, int argc, const char* const* argv) {
  const std::string name = command;
  estate::agent::Args args(argv, argv + argc);
  try {
    if (name == "push") return estate::agent::RunPushCommand(args);
    if (name == "run") return estate::agent::RunDaemonCommand(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "estate-agent %s: internal error: %s\n", command, e.what());
    return 1;
  }
  std::fprintf(stderr, "estate-agent: unknown report command '%s'\n", command);
  return 2;
}
