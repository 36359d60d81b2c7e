#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

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

}  // namespace

int RunScanner(const std::string& command, const Args& args) {
  const std::string dir = ExecutableDir();
  const std::vector<std::string> candidates = {
      dir + "/" + kScannerModuleName,
      dir + "/../" ESTATE_INSTALL_PKGLIBDIR "/" + kScannerModuleName,
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
    std::fprintf(stderr, "estate-agent: the network scanners are not installed:%s\n",
                 errors.c_str());
    return 1;
  }
  using Entry = int (*)(const char*, int, const char* const*);
  auto entry = reinterpret_cast<Entry>(::dlsym(module, kScannerEntryPoint));
  if (entry == nullptr) {
    std::fprintf(stderr, "estate-agent: %s has no %s\n", kScannerModuleName, kScannerEntryPoint);
    return 1;
  }
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return entry(command.c_str(), static_cast<int>(argv.size()), argv.data());
}

}  // namespace estate::agent
