#include "tests/loadgen/run_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace estate::loadgen {

double LatencySamples::Percentile(double q) {
  if (samples_.empty()) return 0;
  if (!sorted_) {
    std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
  }
  const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(samples_.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return samples_[std::min(index, samples_.size() - 1)];
}

double LatencySamples::Max() { return Percentile(1.0); }

double LatencySamples::Mean() const {
  if (samples_.empty()) return 0;
  return std::accumulate(samples_.begin(), samples_.end(), 0.0) /
         static_cast<double>(samples_.size());
}

uint64_t RunStats::backpressure() const {
  auto it = errors.find(kBackpressure);
  return it == errors.end() ? 0 : it->second;
}

uint64_t RunStats::hard_errors() const {
  uint64_t n = 0;
  for (const auto& [code, count] : errors) {
    if (code != kBackpressure) n += count;
  }
  return n;
}

namespace {

// Rounds to `decimals` places so that the JSON shows the short decimal.
double Round(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

double PerSecond(uint64_t n, double seconds) {
  return seconds > 0 ? static_cast<double>(n) / seconds : 0;
}

}  // namespace

nlohmann::json SummaryJson(RunSummary& s) {
  const LoadgenOptions& o = *s.options;
  RunStats& st = *s.stats;
  nlohmann::json j = {
      {"mode", ModeName(o.mode)},
      {"agents", o.agents},
      {"nodes", s.nodes},
      {"connections", o.connections},
      {"rate", o.rate},
      {"seed", o.seed},
      {"seconds", Round(s.seconds, 3)},
      {"reports", st.reports},
      {"reports_per_s", Round(PerSecond(st.reports, s.seconds), 1)},
      {"full_reports", st.full_reports},
      {"delta_reports", st.delta_reports},
      {"observation_reports", st.observation_reports},
      {"observations", st.observations},
      {"observations_per_s", Round(PerSecond(st.observations, s.seconds), 1)},
      {"p50_ms", Round(st.ack_ms.Percentile(0.50), 3)},
      {"p90_ms", Round(st.ack_ms.Percentile(0.90), 3)},
      {"p99_ms", Round(st.ack_ms.Percentile(0.99), 3)},
      {"max_ms", Round(st.ack_ms.Max(), 3)},
      {"mean_ms", Round(st.ack_ms.Mean(), 3)},
      {"hello_p50_ms", Round(st.hello_ms.Percentile(0.50), 3)},
      {"hello_p99_ms", Round(st.hello_ms.Percentile(0.99), 3)},
      {"errors", st.hard_errors()},
      {"backpressure", st.backpressure()},
      {"errors_by_code", st.errors},
      {"full_fallbacks", st.full_fallbacks},
      {"connections_opened", st.connections},
      {"enrollments", st.enrollments},
      {"bytes_sent", st.bytes_sent},
      {"bytes_received", st.bytes_received},
      {"mean_report_bytes", st.reports ? st.report_bytes / st.reports : 0},
      {"prime_reports", s.prime_reports},
      {"prime_seconds", Round(s.prime_seconds, 3)},
  };
  j["window"] = o.window;
  j["multiplex"] = !o.no_multiplex;
  j["loadgen_cpu_seconds"] = Round(s.loadgen_cpu_seconds, 2);
  j["loadgen_cpu_ms_per_report"] =
      st.reports ? Round(s.loadgen_cpu_seconds * 1000 / static_cast<double>(st.reports), 4) : 0.0;
  double collector_cpu = 0;
  if (s.collector_before && s.collector_after) {
    collector_cpu = s.collector_after->cpu_seconds - s.collector_before->cpu_seconds;
  }
  if (s.host_before && s.host_after) {
    const double busy = s.host_after->busy_seconds - s.host_before->busy_seconds;
    const double total = s.host_after->total_seconds - s.host_before->total_seconds;
    j["host_cpu_busy_pct"] = total > 0 ? Round(100 * busy / total, 1) : 0.0;
    // Work of other processes competing for the same CPUs (0 when the collector is not known).
    if (s.collector_after) {
      j["other_cpu_seconds"] =
          Round(std::max(0.0, busy - collector_cpu - s.loadgen_cpu_seconds), 2);
    }
  }
  if (s.collector_before && s.collector_after) {
    const double cpu = collector_cpu;
    j["collector_cpu_seconds"] = Round(cpu, 2);
    j["collector_cpu_ms_per_report"] =
        st.reports ? Round(cpu * 1000 / static_cast<double>(st.reports), 3) : 0.0;
    j["collector_peak_rss_kb"] = s.collector_after->peak_rss_kb;
    j["collector_rss_kb"] = s.collector_after->rss_kb;
  }
  return j;
}

std::string SummaryText(RunSummary& s) {
  const LoadgenOptions& o = *s.options;
  RunStats& st = *s.stats;
  char buf[512];
  std::string out;
  auto line = [&](const char* fmt, auto... args) {
    std::snprintf(buf, sizeof buf, fmt, args...);
    out += buf;
    out += '\n';
  };
  line("estate-loadgen: mode %s, %u agents (%u nodes), %u connections (%s), rate %s",
       ModeName(o.mode), o.agents, s.nodes, o.connections,
       o.no_multiplex ? "one node each, no multiplexing"
                      : ("relay, window " + std::to_string(o.window)).c_str(),
       o.rate > 0 ? (std::to_string(static_cast<uint64_t>(o.rate)) + "/s").c_str() : "unlimited");
  if (s.prime_reports > 0) {
    line("  prime:       %llu full reports in %.2f s (%.1f reports/s)",
         static_cast<unsigned long long>(s.prime_reports), s.prime_seconds,
         PerSecond(s.prime_reports, s.prime_seconds));
  }
  line(
      "  throughput:  %llu reports in %.2f s = %.1f reports/s (full %llu, delta %llu, "
      "observation %llu)",
      static_cast<unsigned long long>(st.reports), s.seconds, PerSecond(st.reports, s.seconds),
      static_cast<unsigned long long>(st.full_reports),
      static_cast<unsigned long long>(st.delta_reports),
      static_cast<unsigned long long>(st.observation_reports));
  if (st.observations > 0) {
    line("  sightings:   %llu observations = %.1f/s",
         static_cast<unsigned long long>(st.observations), PerSecond(st.observations, s.seconds));
  }
  line("  ack latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (hello p50 %.2f ms)",
       st.ack_ms.Percentile(0.5), st.ack_ms.Percentile(0.9), st.ack_ms.Percentile(0.99),
       st.ack_ms.Max(), st.hello_ms.Percentile(0.5));
  std::string errors;
  for (const auto& [code, n] : st.errors) {
    errors += " " + code + "=" + std::to_string(n);
  }
  line("  errors:      %llu (backpressure retries %llu)%s",
       static_cast<unsigned long long>(st.hard_errors()),
       static_cast<unsigned long long>(st.backpressure()), errors.c_str());
  line("  traffic:     %llu connections, %.1f MB sent, %.1f MB received, %llu bytes per report",
       static_cast<unsigned long long>(st.connections), static_cast<double>(st.bytes_sent) / 1e6,
       static_cast<double>(st.bytes_received) / 1e6,
       static_cast<unsigned long long>(st.reports ? st.report_bytes / st.reports : 0));
  if (s.collector_before && s.collector_after) {
    const double cpu = s.collector_after->cpu_seconds - s.collector_before->cpu_seconds;
    line("  collector:   %.2f CPU s (%.3f ms per report, %.0f%% of one core), peak RSS %.1f MiB",
         cpu, st.reports ? cpu * 1000 / static_cast<double>(st.reports) : 0.0,
         s.seconds > 0 ? 100 * cpu / s.seconds : 0.0,
         static_cast<double>(s.collector_after->peak_rss_kb) / 1024);
  }
  if (s.host_before && s.host_after) {
    const double busy = s.host_after->busy_seconds - s.host_before->busy_seconds;
    const double total = s.host_after->total_seconds - s.host_before->total_seconds;
    line("  machine:     %.0f%% of all CPUs busy; loadgen %.2f CPU s (%.4f ms per report)",
         total > 0 ? 100 * busy / total : 0.0, s.loadgen_cpu_seconds,
         st.reports ? s.loadgen_cpu_seconds * 1000 / static_cast<double>(st.reports) : 0.0);
    if (s.collector_before && s.collector_after) {
      const double collector = s.collector_after->cpu_seconds - s.collector_before->cpu_seconds;
      line("               other processes %.2f CPU s (competing with the measurement)",
           std::max(0.0, busy - collector - s.loadgen_cpu_seconds));
    }
  }
  return out;
}

}  // namespace estate::loadgen
