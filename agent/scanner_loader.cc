#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "agent/report_module.h"
#include "agent/scanner_module.h"

namespace estate::agent {
namespace {

std::string ExecutableDir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

// Loads `module_name` and runs `command` through its entry point.
int RunModule(const char* module_name, const char* entry_point, const char* what,
              const std::string& command, const Args& args) {
  const std::string dir = ExecutableDir();
  const std::vector<std::string> candidates = {
      dir + "/" + module_name,
      dir + "/../" ESTATE_INSTALL_PKGLIBDIR "/" + module_name,
  };
  void* module = nullptr;
  std::string errors;
  for (const auto& path : candidates) {
    module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module != nullptr) break;
    errors += "\n  ";
    errors += ::dlerror();
  }
  if (module == nullptr) {
    std::fprintf(stderr, "estate-agent: %s not installed:%s\n", what, errors.c_str());
    return 1;
  }
  using Entry = int (*)(const char*, int, const char* const*);
  auto entry = reinterpret_cast<Entry>(::dlsym(module, entry_point));
  if (entry == nullptr) {
    std::fprintf(stderr, "estate-agent: %s has no %s\n", module_name, entry_point);
    return 1;
  }
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return entry(command.c_str(), static_cast<int>(argv.size()), argv.data());
}

}  // namespace

int RunScanner(const std::string& command, const Args& args) {
  return RunModule(kScannerModuleName, kScannerEntryPoint, "the network scanners are", command,
                   args);
}

int RunReportCommand(const std::string& command, const Args& args) {
  return RunModule(kReportModuleName, kReportEntryPoint, "the reporting commands (push, run) are",
                   command, args);
}

}  // namespace estate::agent
