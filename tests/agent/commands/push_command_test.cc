#include <gtest/gtest.h>

#include "agent/commands/commands.h"
#include "tests/agent/commands/fake_collector.h"
#include "tests/agent/fixture_paths.h"

namespace estate::agent {
namespace {

using testing::FakeCollector;
using testing::RootPath;

Args PushArgs(const FakeCollector& collector, std::vector<std::string> extra = {}) {
  Args args = {"--collector", collector.address(), "--insecure-plaintext", "--root",
               RootPath("ws-debian12")};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(PushCommand, SendsAFullReportAndPrintsTheAssetId) {
  FakeCollector collector;
  ::testing::internal::CaptureStdout();
  int rc = RunPushCommand(PushArgs(collector, {"--sequence", "7"}));
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(out, "asset-1\n");
  auto frames = collector.Frames();
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_TRUE(frames[0].has_full_report());
  EXPECT_EQ(frames[0].full_report().sequence(), 7u);
  EXPECT_EQ(frames[0].full_report().facts().hostname(), "ws-042");
  EXPECT_EQ(frames[0].full_report().facts().software_size(), 5);
}

TEST(PushCommand, DefaultSequenceFollowsTheCollectorsLastOne) {
  const uint64_t far_future = 1ull << 60;  // above any "now in ms"
  FakeCollector collector(far_future);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(RunPushCommand(PushArgs(collector)), 0);
  ::testing::internal::GetCapturedStdout();
  ASSERT_EQ(collector.Frames().size(), 1u);
  EXPECT_EQ(collector.Frames()[0].full_report().sequence(), far_future + 1);
}

TEST(PushCommand, FailsWithTheCollectorsError) {
  FakeCollector collector;
  collector.set_handler([](const v1::Frame&) {
    v1::Frame answer;
    answer.mutable_error()->set_code(v1::ERROR_CODE_INVALID_REPORT);
    answer.mutable_error()->set_message("no thanks");
    return answer;
  });
  ::testing::internal::CaptureStderr();
  int rc = RunPushCommand(PushArgs(collector, {"--node-id", "node-x"}));
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, 1);
  EXPECT_NE(err.find("invalid_report: no thanks"), std::string::npos) << err;
}

TEST(PushCommand, FailsWhenNoCollectorListens) {
  uint16_t port;
  {
    FakeCollector gone;
    port = gone.port();
  }
  ::testing::internal::CaptureStderr();
  int rc =
      RunPushCommand({"--collector", "127.0.0.1:" + std::to_string(port), "--insecure-plaintext",
                      "--root", RootPath("ws-debian12"), "--timeout-ms", "2000"});
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, 1);
  EXPECT_NE(err.find("cannot connect"), std::string::npos) << err;
}

TEST(PushCommand, RejectsAMissingCollector) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunPushCommand({"--root", "/"}), 2);
  ::testing::internal::GetCapturedStderr();
}

}  // namespace
}  // namespace estate::agent
