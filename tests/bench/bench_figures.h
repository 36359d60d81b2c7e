// What the in-process benchmarks measure of themselves: wall and CPU time,
// peak RSS, percentiles. Header-only; each bench is one executable.
#ifndef ESTATE_TESTS_BENCH_BENCH_FIGURES_H_
#define ESTATE_TESTS_BENCH_BENCH_FIGURES_H_

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace estate::bench {

using Clock = std::chrono::steady_clock;

inline double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// User + system CPU of every thread of this process so far.
inline double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// User + system CPU so far of this process's threads named `name` (the
// ingest writer is "estate-apply"): the thread that bounds a rate.
inline double ThreadCpuSeconds(const std::string& name) {
  double ticks = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::string n;
    std::getline(comm, n);
    if (n != name) continue;
    std::ifstream stat(task.path() / "stat");
    const std::string line((std::istreambuf_iterator<char>(stat)),
                           std::istreambuf_iterator<char>());
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    // After "pid (comm) ": state is field 3, utime 14 and stime 15.
    std::istringstream fields(line.substr(close + 2));
    std::string skip;
    for (int f = 3; f < 14; ++f) fields >> skip;
    double utime = 0, stime = 0;
    fields >> utime >> stime;
    ticks += utime + stime;
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

inline long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// The value at fraction `p` (0.5: the median) of `v`; `v` must not be empty.
inline double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace estate::bench

#endif  // ESTATE_TESTS_BENCH_BENCH_FIGURES_H_
