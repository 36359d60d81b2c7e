#include "tests/loadgen/report_encoder.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "estate/facts_delta.h"
#include "estate/framing.h"
#include "tests/loadgen/package_pool.h"

namespace estate::loadgen {
namespace {

using google::protobuf::util::MessageDifferencer;

SimulatedFleet MakeFleet(uint32_t agents, uint64_t seed = 3) {
  FleetOptions options;
  options.seed = seed;
  options.agents = agents;
  return SimulatedFleet(options, BuiltinPackagePool());
}

TEST(ReportEncoder, FactsAreByteForByteWhatTheProtobufPathSerializes) {
  auto fleet = MakeFleet(400);
  ReportEncoder encoder(fleet);
  for (uint32_t agent = 0; agent < 400; agent += 3) {
    AgentState state;
    // Revisions 0..12 of each agent: upgrades, installs and removals included.
    for (int revision = 0; revision <= 12; ++revision) {
      v1::HostFacts expected;
      fleet.BuildFacts(agent, state, &expected);
      std::string fast;
      encoder.AppendFacts(agent, state, &fast);
      ASSERT_EQ(fast, expected.SerializeAsString())
          << "agent " << agent << " revision " << revision;
      v1::DeltaReport delta;
      fleet.AdvanceRevision(agent, &state, &delta);
    }
  }
}

TEST(ReportEncoder, FullReportFrameIsTheEncodedFrame) {
  auto fleet = MakeFleet(50);
  ReportEncoder encoder(fleet);
  AgentState state;
  v1::DeltaReport delta;
  for (int i = 0; i < 5; ++i) fleet.AdvanceRevision(17, &state, &delta);
  for (uint32_t channel : {0u, 1u, 300u, 70000u}) {
    v1::Frame frame;
    frame.set_request_id(12345678901ull);
    frame.set_channel(channel);
    auto* full = frame.mutable_full_report();
    full->set_sequence(42);
    full->set_collected_at(1760000000);
    fleet.BuildFacts(17, state, full->mutable_facts());
    std::string fast = "already here";
    encoder.AppendFullReportFrame(12345678901ull, channel, 42, 1760000000, 17, state, &fast);
    ASSERT_EQ(fast, "already here" + *EncodeFrame(frame)) << "channel " << channel;
  }
}

TEST(ReportEncoder, AppendFrameIsEncodeFrame) {
  v1::Frame frame;
  frame.set_request_id(9);
  frame.set_channel(4);
  frame.mutable_delta_report()->set_sequence(7);
  frame.mutable_delta_report()->set_base_sequence(6);
  std::string out = "x";
  AppendFrame(frame, &out);
  EXPECT_EQ(out, "x" + *EncodeFrame(frame));
}

TEST(ReportEncoder, DeltasStillTurnTheEncodedFactsIntoTheNextRevision) {
  auto fleet = MakeFleet(20);
  ReportEncoder encoder(fleet);
  AgentState state;
  std::string bytes;
  encoder.AppendFacts(5, state, &bytes);
  v1::HostFacts facts;
  ASSERT_TRUE(facts.ParseFromString(bytes));
  for (int revision = 1; revision <= 30; ++revision) {
    v1::DeltaReport delta;
    fleet.AdvanceRevision(5, &state, &delta);
    ASSERT_TRUE(ApplyDelta(&facts, delta).ok());
    bytes.clear();
    encoder.AppendFacts(5, state, &bytes);
    v1::HostFacts next;
    ASSERT_TRUE(next.ParseFromString(bytes));
    ASSERT_TRUE(MessageDifferencer::Equals(facts, next)) << "revision " << revision;
  }
}

// Not a limit, a figure: what one report costs the loadgen to build (the
// docs' claim that the loadgen is not the benchmark's bottleneck rests on it).
TEST(ReportEncoder, PrintsWhatAReportCostsToBuild) {
  auto fleet = MakeFleet(2000);
  ReportEncoder encoder(fleet);
  std::string out;
  const auto start = std::chrono::steady_clock::now();
  constexpr uint32_t kReports = 500;
  size_t bytes = 0;
  for (uint32_t i = 0; i < kReports; ++i) {
    out.clear();
    encoder.AppendFullReportFrame(i + 1, i % 50, 1, 1760000000, i * 3 % 2000, AgentState(), &out);
    bytes += out.size();
  }
  const double full_us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
      kReports;
  std::printf("full report: %.1f us to build, %zu bytes\n", full_us, bytes / kReports);
  EXPECT_GT(bytes / kReports, 100000u);

  // A delta: the next revision's keyed changes, framed.
  std::vector<AgentState> states(2000);
  v1::Frame frame;
  constexpr uint32_t kDeltas = 20000;
  const auto delta_start = std::chrono::steady_clock::now();
  for (uint32_t i = 0; i < kDeltas; ++i) {
    out.clear();
    const uint32_t agent = i % 2000;
    frame.set_request_id(i + 1);
    auto* delta = frame.mutable_delta_report();
    fleet.AdvanceRevision(agent, &states[agent], delta);
    delta->set_sequence(states[agent].revision + 1);
    delta->set_base_sequence(states[agent].revision);
    delta->set_collected_at(1760000000);
    AppendFrame(frame, &out);
  }
  const double delta_us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - delta_start)
          .count() /
      kDeltas;
  std::printf("delta report: %.1f us to build\n", delta_us);
}

}  // namespace
}  // namespace estate::loadgen
