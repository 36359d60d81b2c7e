#include "tests/loadgen/loadgen_options.h"

#include <gtest/gtest.h>

namespace estate::loadgen {
namespace {

TEST(LoadgenOptions, ParsesTheDocumentedCommandLine) {
  auto o = ParseLoadgenOptions({"--collector", "127.0.0.1:4790", "--agents", "100000", "--duration",
                                "30", "--mode", "delta", "--connections", "300", "--rate=500",
                                "--seed", "9", "--collector-pid", "1234", "--fdb"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->collector.host, "127.0.0.1");
  EXPECT_EQ(o->collector.port, 4790);
  EXPECT_EQ(o->agents, 100000u);
  EXPECT_EQ(o->duration_seconds, 30);
  EXPECT_EQ(o->mode, Mode::kDelta);
  EXPECT_EQ(o->connections, 300u);
  EXPECT_EQ(o->rate, 500);
  EXPECT_EQ(o->seed, 9u);
  EXPECT_EQ(o->collector_pid, 1234);
  EXPECT_TRUE(o->fdb);
}

TEST(LoadgenOptions, DefaultsToFullReportsAsFastAsAcksAllow) {
  auto o = ParseLoadgenOptions({"--collector", "127.0.0.1:4790"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->mode, Mode::kFull);
  EXPECT_EQ(o->rate, 0);
  EXPECT_EQ(o->reports_per_connection, 1u);
  EXPECT_EQ(o->connections, 200u);
  EXPECT_EQ(o->window, 32u);
  EXPECT_FALSE(o->no_multiplex);
}

TEST(LoadgenOptions, ParsesTheWindowAndTheCycleMode) {
  auto o =
      ParseLoadgenOptions({"--collector", "127.0.0.1:4790", "--window", "64", "--no-multiplex"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->window, 64u);
  EXPECT_TRUE(o->no_multiplex);
  EXPECT_FALSE(ParseLoadgenOptions({"--collector", "127.0.0.1:1", "--window", "0"}).ok());
}

TEST(LoadgenOptions, RefusesTrafficBeyondLoopback) {
  auto o = ParseLoadgenOptions({"--collector", "192.0.2.10:4790"});
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("loopback"), std::string::npos);
}

TEST(LoadgenOptions, RejectsBadValues) {
  EXPECT_FALSE(ParseLoadgenOptions({}).ok());
  EXPECT_FALSE(ParseLoadgenOptions({"--collector", "127.0.0.1"}).ok());
  EXPECT_FALSE(ParseLoadgenOptions({"--collector", "127.0.0.1:1", "--mode", "burst"}).ok());
  EXPECT_FALSE(ParseLoadgenOptions({"--collector", "127.0.0.1:1", "--agents", "0"}).ok());
  EXPECT_FALSE(ParseLoadgenOptions({"--collector", "127.0.0.1:1", "--agents", "1.5"}).ok());
  EXPECT_FALSE(ParseLoadgenOptions({"--collector", "127.0.0.1:1", "--rate", "fast"}).ok());
  EXPECT_FALSE(ParseLoadgenOptions({"--collector", "127.0.0.1:1", "--agents"}).ok());
  EXPECT_FALSE(ParseLoadgenOptions({"--collector", "127.0.0.1:1", "--bogus", "1"}).ok());
}

}  // namespace
}  // namespace estate::loadgen
