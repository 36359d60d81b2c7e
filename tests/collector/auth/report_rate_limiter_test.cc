#include "collector/auth/report_rate_limiter.h"

#include <gtest/gtest.h>

namespace estate::collector {
namespace {

using std::chrono::seconds;

TEST(ReportRateLimiter, AllowsTheBurstThenAsksToWaitForTheNextToken) {
  ReportRateLimiter limiter({/*per_minute=*/60, /*burst=*/3});
  const auto t0 = ReportRateLimiter::Clock::time_point() + seconds(100);
  EXPECT_EQ(limiter.Take("a", t0), 0u);
  EXPECT_EQ(limiter.Take("a", t0), 0u);
  EXPECT_EQ(limiter.Take("a", t0), 0u);
  EXPECT_EQ(limiter.Take("a", t0), 1000u);  // one token a second
  // Another node has its own bucket.
  EXPECT_EQ(limiter.Take("b", t0), 0u);
  // A second later one more report may go.
  EXPECT_EQ(limiter.Take("a", t0 + seconds(1)), 0u);
  EXPECT_GT(limiter.Take("a", t0 + seconds(1)), 0u);
}

TEST(ReportRateLimiter, RefillsNoHigherThanTheBurst) {
  ReportRateLimiter limiter({60, 2});
  const auto t0 = ReportRateLimiter::Clock::time_point() + seconds(100);
  EXPECT_EQ(limiter.Take("a", t0), 0u);
  const auto later = t0 + seconds(3600);
  EXPECT_EQ(limiter.Take("a", later), 0u);
  EXPECT_EQ(limiter.Take("a", later), 0u);
  EXPECT_GT(limiter.Take("a", later), 0u);
}

TEST(ReportRateLimiter, ZeroRateMeansNoLimit) {
  ReportRateLimiter limiter({0, 1});
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.Take("a"), 0u);
}

}  // namespace
}  // namespace estate::collector
