// What the in-process benchmarks measure of themselves: wall and CPU time,
// peak RSS, percentiles. Header-only; each bench is one executable.
#ifndef ESTATE_TESTS_BENCH_BENCH_FIGURES_H_
#define ESTATE_TESTS_BENCH_BENCH_FIGURES_H_

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
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
