#include "tests/loadgen/run_stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/loadgen/process_usage.h"

namespace estate::loadgen {
namespace {

TEST(LatencySamples, PercentilesAreNearestRank) {
  LatencySamples s;
  EXPECT_EQ(s.Percentile(0.5), 0);
  for (int i = 100; i >= 1; --i) s.Add(i);
  EXPECT_EQ(s.Percentile(0.5), 50);
  EXPECT_EQ(s.Percentile(0.99), 99);
  EXPECT_EQ(s.Max(), 100);
  EXPECT_EQ(s.Percentile(0), 1);
  EXPECT_DOUBLE_EQ(s.Mean(), 50.5);
}

TEST(RunStats, BackpressureIsNotAHardError) {
  RunStats st;
  st.AddError(kBackpressure, 5);
  EXPECT_EQ(st.hard_errors(), 0u);
  st.AddError("ERROR_CODE_FULL_REPORT_REQUIRED");
  st.AddError(kTransport);
  EXPECT_EQ(st.hard_errors(), 2u);
  EXPECT_EQ(st.backpressure(), 5u);
}

TEST(RunSummary, JsonCarriesTheFieldsScriptsRead) {
  LoadgenOptions options;
  options.mode = Mode::kObservations;
  options.agents = 200;
  RunStats st;
  st.reports = 10;
  st.ack_ms.Add(2);
  st.AddError(kBackpressure, 3);
  RunSummary s;
  s.options = &options;
  s.stats = &st;
  s.seconds = 2;
  s.collector_before = ProcessUsage{1.0, 1000, 900};
  s.collector_after = ProcessUsage{1.5, 2048, 2000};
  auto j = SummaryJson(s);
  for (const char* key :
       {"reports_per_s", "p50_ms", "p99_ms", "max_ms", "errors", "reports", "seconds", "mode",
        "agents", "collector_cpu_seconds", "collector_peak_rss_kb"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["mode"], "observations");
  EXPECT_EQ(j["reports_per_s"], 5.0);
  EXPECT_EQ(j["errors"], 0);
  EXPECT_EQ(j["backpressure"], 3);
  EXPECT_EQ(j["collector_cpu_seconds"], 0.5);
  EXPECT_EQ(j["collector_peak_rss_kb"], 2048);
  EXPECT_NE(SummaryText(s).find("5.0 reports/s"), std::string::npos) << SummaryText(s);
}

TEST(ProcessUsage, ParsesCpuTicksAfterACommandNameWithSpaces) {
  const char* stat =
      "4242 (est ated) (x)) S 1 4242 4242 0 -1 4194560 1525 0 0 0 250 75 0 0 20 0 5 0 "
      "123 456 789";
  auto ticks = ParseStatCpuTicks(stat);
  ASSERT_TRUE(ticks.has_value());
  EXPECT_EQ(*ticks, 325u);
  EXPECT_FALSE(ParseStatCpuTicks("garbage").has_value());
}

TEST(ProcessUsage, ReadsPeakResidentSetFromStatus) {
  const char* status =
      "Name:\testated\nVmPeak:\t  900 kB\nVmHWM:\t   52340 kB\nVmRSS:\t 51000 kB\n";
  EXPECT_EQ(ParseStatusKb(status, "VmHWM"), 52340u);
  EXPECT_EQ(ParseStatusKb(status, "VmRSS"), 51000u);
  EXPECT_FALSE(ParseStatusKb(status, "VmSwap").has_value());
}

TEST(ProcessUsage, HostCpuCountsIdleAndIowaitAsNotBusy) {
  const char* stat = "cpu  600 0 200 1000 100 50 50 0 0 0\ncpu0 300 0 100 500 50 25 25 0 0 0\n";
  auto cpu = ParseHostCpu(stat, 100);
  ASSERT_TRUE(cpu.has_value());
  EXPECT_DOUBLE_EQ(cpu->busy_seconds, 9.0);
  EXPECT_DOUBLE_EQ(cpu->total_seconds, 20.0);
  EXPECT_FALSE(ParseHostCpu("intr 1 2 3\n", 100).has_value());
  EXPECT_TRUE(ReadHostCpu().has_value());
}

TEST(ProcessUsage, ReadsThisProcess) {
  auto usage = ReadProcessUsage(static_cast<int>(::getpid()));
  ASSERT_TRUE(usage.ok());
  EXPECT_GT(usage->peak_rss_kb, 0u);
  EXPECT_FALSE(ReadProcessUsage(0).ok());
}

}  // namespace
}  // namespace estate::loadgen
