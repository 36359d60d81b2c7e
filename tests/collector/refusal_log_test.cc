#include "collector/net/refusal_log.h"

#include <gtest/gtest.h>

namespace estate::collector {
namespace {

using std::chrono::seconds;

TEST(RefusalLog, LogsAClientOncePerReasonPerWindow) {
  RefusalLog log(seconds(60));
  const auto t0 = RefusalLog::Clock::time_point() + seconds(1000);
  EXPECT_TRUE(log.ShouldLog("tls", "10.0.0.1", t0));
  EXPECT_FALSE(log.ShouldLog("tls", "10.0.0.1", t0 + seconds(1)));
  EXPECT_FALSE(log.ShouldLog("tls", "10.0.0.1", t0 + seconds(59)));
  // Another reason or another client is news.
  EXPECT_TRUE(log.ShouldLog("auth", "10.0.0.1", t0 + seconds(2)));
  EXPECT_TRUE(log.ShouldLog("tls", "10.0.0.2", t0 + seconds(2)));
  // After the window, once more.
  EXPECT_TRUE(log.ShouldLog("tls", "10.0.0.1", t0 + seconds(61)));
  EXPECT_FALSE(log.ShouldLog("tls", "10.0.0.1", t0 + seconds(62)));
}

TEST(RefusalLog, StaysBoundedUnderManyClients) {
  RefusalLog log(seconds(60));
  const auto t0 = RefusalLog::Clock::time_point() + seconds(1000);
  size_t logged = 0;
  for (int i = 0; i < 20000; ++i) logged += log.ShouldLog("cap", std::to_string(i), t0);
  EXPECT_EQ(logged, 10000u);  // the rest are counted, not logged
  // Once the window has passed, old entries make room again.
  EXPECT_TRUE(log.ShouldLog("cap", "new-client", t0 + seconds(61)));
}

}  // namespace
}  // namespace estate::collector
