// The collector's CPU time and memory as the kernel accounts them, read from
// /proc/PID/stat and /proc/PID/status. Parsers are pure functions over the
// files' text; ReadProcessUsage does the reading.
#ifndef ESTATE_TESTS_LOADGEN_PROCESS_USAGE_H_
#define ESTATE_TESTS_LOADGEN_PROCESS_USAGE_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "estate/status.h"

namespace estate::loadgen {

struct ProcessUsage {
  double cpu_seconds = 0;    // user + system, whole lifetime
  uint64_t peak_rss_kb = 0;  // VmHWM
  uint64_t rss_kb = 0;       // VmRSS
};

// utime + stime in clock ticks from /proc/PID/stat (the command name may hold
// spaces and parentheses: fields are counted after its last ')').
std::optional<uint64_t> ParseStatCpuTicks(std::string_view stat);
// A "Name:   123 kB" line of /proc/PID/status, in kB.
std::optional<uint64_t> ParseStatusKb(std::string_view status, std::string_view name);

// NotFound when the process is gone.
Result<ProcessUsage> ReadProcessUsage(int pid);

// The whole machine's CPU time from the "cpu" line of /proc/stat, in seconds:
// busy (everything but idle and iowait) and total, summed over all CPUs. On a
// shared machine, busy time not spent by the collector or the loadgen is other
// work competing with the measurement.
struct HostCpu {
  double busy_seconds = 0;
  double total_seconds = 0;
};
std::optional<HostCpu> ParseHostCpu(std::string_view proc_stat, long ticks_per_second);
std::optional<HostCpu> ReadHostCpu();

// This process's user + system CPU time.
double SelfCpuSeconds();

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_PROCESS_USAGE_H_
