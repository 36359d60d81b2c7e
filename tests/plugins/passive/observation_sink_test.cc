#include "plugins/passive/observation_sink.h"

#include <gtest/gtest.h>

namespace estate::plugins {
namespace {

v1::Observation Sighting(int i) {
  v1::Observation o;
  o.set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
  o.set_ip("198.18.0." + std::to_string(i % 250 + 1));
  return o;
}

v1::Frame AckFrame(uint64_t sequence) {
  v1::Frame f;
  f.mutable_ack()->set_sequence(sequence);
  return f;
}

TEST(CollectorSink, SendsObservationsInBatchesWithIncreasingSequences) {
  std::vector<v1::ObservationReport> sent;
  auto sink = MakeCollectorSink(
      [&](v1::Frame f) -> Result<v1::Frame> {
        sent.push_back(f.observations());
        return AckFrame(f.observations().sequence());
      },
      {.batch_size = 100, .first_sequence = 7});
  for (int i = 0; i < 250; ++i) ASSERT_TRUE(sink->Add(Sighting(i)).ok());
  ASSERT_EQ(sent.size(), 2u);  // the third batch waits for Flush
  ASSERT_TRUE(sink->Flush().ok());
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].sequence(), 7u);
  EXPECT_EQ(sent[1].sequence(), 8u);
  EXPECT_EQ(sent[2].sequence(), 9u);
  EXPECT_EQ(sent[0].observations_size(), 100);
  EXPECT_EQ(sent[2].observations_size(), 50);
  EXPECT_EQ(sent[2].observations(49).ip(), "198.18.0.250");
  ASSERT_TRUE(sink->Flush().ok());
  EXPECT_EQ(sent.size(), 3u);  // nothing left to send
}

TEST(CollectorSink, ResendsTheSameReportWhenTheCollectorIsBusy) {
  std::vector<uint64_t> sequences;
  int calls = 0;
  auto sink = MakeCollectorSink(
      [&](v1::Frame f) -> Result<v1::Frame> {
        sequences.push_back(f.observations().sequence());
        if (++calls == 1) {
          v1::Frame busy;
          busy.mutable_error()->set_code(v1::ERROR_CODE_UNAVAILABLE);
          busy.mutable_error()->set_retry_after_ms(1);
          return busy;
        }
        return AckFrame(f.observations().sequence());
      },
      {.batch_size = 10, .first_sequence = 1});
  ASSERT_TRUE(sink->Add(Sighting(1)).ok());
  ASSERT_TRUE(sink->Flush().ok());
  EXPECT_EQ(sequences, (std::vector<uint64_t>{1, 1}));
}

TEST(CollectorSink, FailsWhenTheCollectorRejectsTheReport) {
  auto sink = MakeCollectorSink(
      [&](v1::Frame) -> Result<v1::Frame> {
        v1::Frame rejected;
        rejected.mutable_error()->set_code(v1::ERROR_CODE_INVALID_REPORT);
        rejected.mutable_error()->set_message("no");
        return rejected;
      },
      {.batch_size = 10, .first_sequence = 1});
  ASSERT_TRUE(sink->Add(Sighting(1)).ok());
  const Status st = sink->Flush();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("no"), std::string::npos);
}

TEST(CollectorSink, PassesATransportFailureOn) {
  auto sink = MakeCollectorSink(
      [&](v1::Frame) -> Result<v1::Frame> { return Status::Unavailable("connection reset"); },
      {.batch_size = 1, .first_sequence = 1});
  const Status st = sink->Add(Sighting(1));
  EXPECT_EQ(st.code(), Status::Code::kUnavailable);
}

}  // namespace
}  // namespace estate::plugins
