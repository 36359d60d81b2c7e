#include "tests/loadgen/process_usage.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "estate/text.h"

namespace estate::loadgen {

std::optional<uint64_t> ParseStatCpuTicks(std::string_view stat) {
  const size_t paren = stat.rfind(')');
  if (paren == std::string_view::npos) return std::nullopt;
  // After "pid (comm)": state is field 3, utime field 14, stime field 15.
  std::vector<std::string_view> fields;
  for (std::string_view f : Split(Trim(stat.substr(paren + 1)), ' ')) {
    if (!f.empty()) fields.push_back(f);
  }
  if (fields.size() < 13) return std::nullopt;
  auto utime = ParseUint(fields[11]);
  auto stime = ParseUint(fields[12]);
  if (!utime || !stime) return std::nullopt;
  return *utime + *stime;
}

std::optional<uint64_t> ParseStatusKb(std::string_view status, std::string_view name) {
  for (std::string_view line : Split(status, '\n')) {
    if (!StartsWith(line, name) || line.size() <= name.size() || line[name.size()] != ':') {
      continue;
    }
    std::string_view value = Trim(line.substr(name.size() + 1));
    value = value.substr(0, value.find(' '));
    return ParseUint(value);
  }
  return std::nullopt;
}

namespace {

std::optional<std::string> Slurp(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<ProcessUsage> ReadProcessUsage(int pid) {
  auto slurp = Slurp;
  const std::string dir = "/proc/" + std::to_string(pid);
  auto stat = slurp(dir + "/stat");
  auto status = slurp(dir + "/status");
  if (!stat || !status) return Status::NotFound("no process " + std::to_string(pid));
  auto ticks = ParseStatCpuTicks(*stat);
  if (!ticks) return Status::Corruption(dir + "/stat: unexpected format");
  ProcessUsage usage;
  usage.cpu_seconds = static_cast<double>(*ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  usage.peak_rss_kb = ParseStatusKb(*status, "VmHWM").value_or(0);
  usage.rss_kb = ParseStatusKb(*status, "VmRSS").value_or(0);
  return usage;
}

std::optional<HostCpu> ParseHostCpu(std::string_view proc_stat, long ticks_per_second) {
  for (std::string_view line : Split(proc_stat, '\n')) {
    if (!StartsWith(line, "cpu ")) continue;
    // user nice system idle iowait irq softirq steal (guest time is inside user).
    std::vector<uint64_t> ticks;
    for (std::string_view f : Split(line.substr(4), ' ')) {
      if (f.empty()) continue;
      auto v = ParseUint(f);
      if (!v) return std::nullopt;
      ticks.push_back(*v);
    }
    if (ticks.size() < 5 || ticks_per_second <= 0) return std::nullopt;
    uint64_t total = 0;
    for (size_t i = 0; i < ticks.size() && i < 8; ++i) total += ticks[i];
    const uint64_t idle = ticks[3] + ticks[4];
    const double tps = static_cast<double>(ticks_per_second);
    return HostCpu{static_cast<double>(total - idle) / tps, static_cast<double>(total) / tps};
  }
  return std::nullopt;
}

std::optional<HostCpu> ReadHostCpu() {
  auto text = Slurp("/proc/stat");
  if (!text) return std::nullopt;
  return ParseHostCpu(*text, ::sysconf(_SC_CLK_TCK));
}

double SelfCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace estate::loadgen
