#include "agent/collectors/cpu_collector.h"

#include <cstdlib>
#include <set>
#include <string>
#include <utility>

#include "estate/text.h"

namespace estate::agent {
namespace {

constexpr std::string_view kFlagsOfInterest[] = {
    "vmx", "svm", "hypervisor", "aes", "avx", "avx2", "avx512f", "sha_ni", "lm", "nx", "sse4_2"};

double ParseDouble(std::string_view s) {
  std::string text(Trim(s));
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  return end == text.c_str() ? 0.0 : value;
}

class CpuCollector : public Collector {
 public:
  std::string_view Name() const override { return "cpu"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    auto text = context.root.ReadFile("/proc/cpuinfo", 16 << 20);
    if (!text.ok()) {
      AddWarning(facts, Name(), text.status());
      return;
    }
    *facts->mutable_cpu() = ParseCpuinfo(*text);
    // cpufreq reports kHz.
    auto max_khz = context.root.ReadLine("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
    if (max_khz.ok()) {
      if (auto khz = ParseUint(*max_khz)) facts->mutable_cpu()->set_max_mhz(*khz / 1000.0);
    }
  }
};

}  // namespace

v1::CpuFacts ParseCpuinfo(std::string_view cpuinfo) {
  v1::CpuFacts cpu;
  uint32_t logical = 0;
  std::set<std::string> sockets;
  std::set<std::pair<std::string, std::string>> cores;
  std::string physical_id;
  uint32_t cpu_cores_field = 0;
  bool flags_seen = false;
  for (std::string_view line : Split(cpuinfo, '\n')) {
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (key == "processor") {
      ++logical;
      physical_id.clear();
    } else if (key == "model name" || (key == "Model" && cpu.model().empty())) {
      if (cpu.model().empty()) cpu.set_model(std::string(value));
    } else if (key == "vendor_id" || key == "CPU implementer") {
      if (cpu.vendor().empty()) cpu.set_vendor(std::string(value));
    } else if (key == "physical id") {
      physical_id = std::string(value);
      sockets.insert(physical_id);
    } else if (key == "core id") {
      cores.emplace(physical_id, std::string(value));
    } else if (key == "cpu cores") {
      cpu_cores_field = static_cast<uint32_t>(ParseUint(value).value_or(0));
    } else if (key == "cpu MHz") {
      if (cpu.mhz() == 0) cpu.set_mhz(ParseDouble(value));
    } else if ((key == "flags" || key == "Features") && !flags_seen) {
      flags_seen = true;
      std::set<std::string_view> present;
      for (std::string_view flag : Split(value, ' ')) present.insert(flag);
      for (std::string_view wanted : kFlagsOfInterest) {
        if (present.count(wanted)) cpu.add_flags(std::string(wanted));
      }
    }
  }
  cpu.set_logical(logical);
  cpu.set_sockets(sockets.empty() ? (logical > 0 ? 1 : 0) : static_cast<uint32_t>(sockets.size()));
  if (!cores.empty()) {
    cpu.set_cores(static_cast<uint32_t>(cores.size()));
  } else if (cpu_cores_field > 0) {
    cpu.set_cores(cpu_cores_field * cpu.sockets());
  } else {
    cpu.set_cores(logical);
  }
  return cpu;
}

std::unique_ptr<Collector> MakeCpuCollector() { return std::make_unique<CpuCollector>(); }

}  // namespace estate::agent
