#include "agent/reporter.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "agent/collectors/builtin_collectors.h"
#include "agent/collectors/interface_address_source.h"
#include "agent/inventory.h"
#include "estate/facts_delta.h"
#include "estate/framing.h"
#include "tests/agent/commands/fake_collector.h"
#include "tests/agent/fixture_paths.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::FakeCollector;
using testing::TempDir;

v1::HostFacts WorkstationFacts() {
  auto addresses = MakeFileAddressSource(testing::FixturePath("roots/ws-debian12.ip-addr.txt"));
  CollectContext context{HostRoot(testing::RootPath("ws-debian12")), addresses.get(), false, ""};
  return CollectInventory(context, BuiltinCollectors());
}

// The collector's side of the protocol: what ApplyDelta makes of the reports.
class StoredRecord {
 public:
  void Apply(const v1::Frame& frame) {
    if (frame.has_full_report()) {
      facts_ = frame.full_report().facts();
      sequence_ = frame.full_report().sequence();
    } else {
      ASSERT_EQ(frame.delta_report().base_sequence(), sequence_);
      ASSERT_TRUE(ApplyDelta(&facts_, frame.delta_report()).ok());
      sequence_ = frame.delta_report().sequence();
    }
  }
  const v1::HostFacts& facts() const { return facts_; }

 private:
  v1::HostFacts facts_;
  uint64_t sequence_ = 0;
};

class ReporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    logger_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    Reopen();
  }
  // As after an agent restart: state and spool read back from disk.
  void Reopen() {
    reporter_.reset();
    spool_.reset();
    state_.reset();
    auto state = AgentState::Open(dir_.path() + "/state");
    ASSERT_TRUE(state.ok());
    state_ = std::make_unique<AgentState>(std::move(*state));
    auto spool = Spool::Open(dir_.path() + "/state/spool", 1 << 20, logger_);
    ASSERT_TRUE(spool.ok());
    spool_ = std::make_unique<Spool>(std::move(*spool));
    Point(port_);
  }
  void Point(uint16_t port) {
    port_ = port;
    ReporterOptions options;
    options.collector = Endpoint{"127.0.0.1", port};
    options.tls.insecure_plaintext = true;  // the fake collector speaks plaintext
    options.timeout = std::chrono::milliseconds(3000);
    reporter_ = std::make_unique<Reporter>(options, state_.get(), spool_.get(), logger_);
  }
  Status Report(const v1::HostFacts& facts) {
    ++clock_ms_;
    EXPECT_TRUE(reporter_->Enqueue(facts, 1700000000, clock_ms_).ok());
    return reporter_->Drain(clock_ms_);
  }

  TempDir dir_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<AgentState> state_;
  std::unique_ptr<Spool> spool_;
  std::unique_ptr<Reporter> reporter_;
  uint16_t port_ = 1;
  uint64_t clock_ms_ = 1000;
};

TEST_F(ReporterTest, SendsAFullReportThenDeltas) {
  FakeCollector collector;
  Point(collector.port());
  v1::HostFacts facts = WorkstationFacts();
  ASSERT_TRUE(Report(facts).ok());
  facts.mutable_system()->set_uptime_seconds(90000);
  facts.mutable_software(0)->set_version("9.9");
  ASSERT_TRUE(Report(facts).ok());
  auto frames = collector.Frames();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(frames[0].has_full_report());
  ASSERT_TRUE(frames[1].has_delta_report());
  EXPECT_EQ(frames[1].delta_report().base_sequence(), frames[0].full_report().sequence());
  EXPECT_EQ(frames[1].delta_report().software_upserted_size(), 1);
  StoredRecord stored;
  for (const auto& f : frames) stored.Apply(f);
  EXPECT_EQ(stored.facts().SerializeAsString(), facts.SerializeAsString());
  EXPECT_TRUE(spool_->empty());
  EXPECT_EQ(state_->acked_sequence(), ReportSequence(frames[1]));
}

TEST_F(ReporterTest, SteadyStateDeltaIsUnderOneKilobyteOnTheWire) {
  FakeCollector collector;
  Point(collector.port());
  v1::HostFacts facts = WorkstationFacts();
  ASSERT_TRUE(Report(facts).ok());
  // What changes between two runs on an idle host: uptime, free memory and space.
  facts.mutable_system()->set_uptime_seconds(facts.system().uptime_seconds() + 3600);
  facts.mutable_memory()->set_available_bytes(facts.memory().available_bytes() - 4096);
  facts.mutable_storage()->mutable_filesystems(0)->set_free_bytes(123456789);
  ASSERT_TRUE(Report(facts).ok());
  ASSERT_TRUE(Report(facts).ok());  // and a report with no change at all
  auto sizes = collector.FrameSizes();
  ASSERT_EQ(sizes.size(), 3u);
  EXPECT_GT(sizes[0], 4000u);  // the full report, for scale
  EXPECT_LT(sizes[1], 1024u);
  EXPECT_LT(sizes[2], 64u) << "a delta without change is a heartbeat";
  EXPECT_TRUE(IsEmptyDelta(collector.Frames()[2].delta_report()));
}

TEST_F(ReporterTest, SpoolsWhileTheCollectorIsDownAndReplaysInOrder) {
  uint16_t dead_port;
  {
    FakeCollector gone;
    dead_port = gone.port();
  }
  Point(dead_port);
  v1::HostFacts facts = WorkstationFacts();
  std::vector<v1::HostFacts> states;
  for (int i = 0; i < 3; ++i) {
    facts.mutable_system()->set_uptime_seconds(100 + i);
    if (i == 2) facts.mutable_software()->RemoveLast();
    states.push_back(facts);
    EXPECT_EQ(Report(facts).code(), Status::Code::kUnavailable);
  }
  EXPECT_EQ(spool_->size(), 3u);
  Reopen();  // the agent restarts before the collector comes back
  FakeCollector collector;
  Point(collector.port());
  ASSERT_TRUE(reporter_->Drain(++clock_ms_).ok());
  auto frames = collector.Frames();
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_TRUE(frames[0].has_full_report());
  EXPECT_TRUE(frames[1].has_delta_report());
  EXPECT_TRUE(frames[2].has_delta_report());
  StoredRecord stored;
  for (const auto& f : frames) stored.Apply(f);
  EXPECT_EQ(stored.facts().SerializeAsString(), states.back().SerializeAsString());
  EXPECT_TRUE(spool_->empty());
}

TEST_F(ReporterTest, SendsAFullReportWhenTheCollectorAsksForOne) {
  FakeCollector collector;
  Point(collector.port());
  v1::HostFacts facts = WorkstationFacts();
  ASSERT_TRUE(Report(facts).ok());
  collector.set_handler([&](const v1::Frame& request) {
    v1::Frame answer;
    if (request.has_delta_report()) {
      answer.mutable_error()->set_code(v1::ERROR_CODE_FULL_REPORT_REQUIRED);
    } else {
      answer.mutable_ack()->set_sequence(request.full_report().sequence());
    }
    return answer;
  });
  facts.set_hostname("renamed");
  ASSERT_TRUE(Report(facts).ok());
  auto frames = collector.Frames();
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_TRUE(frames[1].has_delta_report());
  ASSERT_TRUE(frames[2].has_full_report());
  EXPECT_EQ(frames[2].full_report().facts().hostname(), "renamed");
  EXPECT_GT(frames[2].full_report().sequence(), frames[1].delta_report().sequence());
}

TEST_F(ReporterTest, SendsAFullReportWhenTheCollectorLostItsRecord) {
  v1::HostFacts facts = WorkstationFacts();
  {
    FakeCollector collector;
    Point(collector.port());
    ASSERT_TRUE(Report(facts).ok());
  }
  FakeCollector fresh;  // a collector with an empty store: last_sequence 0
  Point(fresh.port());
  facts.mutable_system()->set_uptime_seconds(5);
  ASSERT_TRUE(Report(facts).ok());
  auto frames = fresh.Frames();
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_TRUE(frames[0].has_full_report());
  EXPECT_EQ(frames[0].full_report().facts().system().uptime_seconds(), 5);
}

TEST_F(ReporterTest, DropsUnsentReportsTheCollectorAlreadyStored) {
  FakeCollector collector;
  Point(collector.port());
  v1::HostFacts facts = WorkstationFacts();
  ASSERT_TRUE(reporter_->Enqueue(facts, 1700000000, ++clock_ms_).ok());
  // As if the report was delivered and the agent died before removing it.
  FakeCollector already(ReportSequence(spool_->Front()));
  Point(already.port());
  ASSERT_TRUE(reporter_->Drain(++clock_ms_).ok());
  EXPECT_TRUE(already.Frames().empty());
  EXPECT_TRUE(spool_->empty());
}

TEST_F(ReporterTest, KeepsTheSpoolWhenTheCollectorIsBusy) {
  FakeCollector collector;
  collector.set_handler([](const v1::Frame&) {
    v1::Frame answer;
    answer.mutable_error()->set_code(v1::ERROR_CODE_UNAVAILABLE);
    return answer;
  });
  Point(collector.port());
  EXPECT_EQ(Report(WorkstationFacts()).code(), Status::Code::kUnavailable);
  EXPECT_EQ(spool_->size(), 1u);
}

// issue 24: a Latin-1 host name or package version made every report
// unparseable at the collector, and the host was never reported again.
TEST_F(ReporterTest, ReportsALatin1HostWithTheBadBytesReplaced) {
  FakeCollector collector;
  Point(collector.port());
  CollectContext context{HostRoot(testing::RootPath("latin1-host")), nullptr, false, {}};
  ASSERT_TRUE(Report(CollectInventory(context, BuiltinCollectors())).ok());
  auto frames = collector.Frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].full_report().facts().hostname(), "b\xef\xbf\xbdro-m\xef\xbf\xbdller");
  EXPECT_EQ(collector.bad_frames(), 0);
  EXPECT_TRUE(spool_->empty());
}

// A report spooled with bytes no parser accepts (as an agent without the
// repair could spool one) is refused with BAD_FRAME and the connection closed.
// It must be dropped, not resent forever, and the reports behind it must not
// wait for the next retry period: the next one goes out in full at once.
TEST_F(ReporterTest, AReportTheCollectorCannotParseDoesNotHoldBackTheOthers) {
  uint16_t dead_port;
  {
    FakeCollector gone;
    dead_port = gone.port();
  }
  Point(dead_port);
  v1::HostFacts facts = WorkstationFacts();
  v1::HostFacts bad = facts;
  bad.set_hostname("b\xfcro");  // not through CollectInventory: no repair
  EXPECT_EQ(Report(bad).code(), Status::Code::kUnavailable);
  facts.mutable_system()->set_uptime_seconds(42);
  EXPECT_EQ(Report(facts).code(), Status::Code::kUnavailable);
  ASSERT_EQ(spool_->size(), 2u);

  FakeCollector collector;
  Point(collector.port());
  ASSERT_TRUE(reporter_->Drain(++clock_ms_).ok());
  EXPECT_TRUE(spool_->empty());
  EXPECT_EQ(collector.bad_frames(), 1);
  auto frames = collector.Frames();
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_TRUE(frames[0].has_full_report()) << "the delta's base was refused: a full report";
  EXPECT_EQ(frames[0].full_report().facts().SerializeAsString(), facts.SerializeAsString());
  EXPECT_EQ(state_->acked_sequence(), frames[0].full_report().sequence());
}

TEST_F(ReporterTest, AReportRefusedAsInvalidIsDroppedAndTheNextGoesOutInFull) {
  FakeCollector collector;
  Point(collector.port());
  v1::HostFacts facts = WorkstationFacts();
  ASSERT_TRUE(Report(facts).ok());
  std::vector<v1::Frame> refused;
  collector.set_handler([&](const v1::Frame& request) {
    v1::Frame answer;
    const uint64_t seq = ReportSequence(request);
    if (request.has_delta_report() && refused.empty()) {
      refused.push_back(request);
      answer.mutable_error()->set_code(v1::ERROR_CODE_INVALID_REPORT);
      answer.mutable_error()->set_sequence(seq);
      return answer;
    }
    answer.mutable_ack()->set_sequence(seq);
    return answer;
  });
  facts.mutable_system()->set_uptime_seconds(1);
  ASSERT_TRUE(Report(facts).ok()) << "a refused report is dropped, not kept to be refused again";
  EXPECT_TRUE(spool_->empty());
  ASSERT_EQ(refused.size(), 1u);
  facts.mutable_system()->set_uptime_seconds(2);
  ASSERT_TRUE(Report(facts).ok());
  auto frames = collector.Frames();
  ASSERT_EQ(frames.size(), 3u);
  ASSERT_TRUE(frames[2].has_full_report());
  EXPECT_EQ(frames[2].full_report().facts().system().uptime_seconds(), 2);
}

// At its connection cap the collector answers the hello "collector busy": the
// agent says so (not "unreachable", not a TLS error) and keeps its spool.
TEST_F(ReporterTest, LogsCollectorBusyAndKeepsTheSpoolWhenRefusedAtTheConnectionCap) {
  FakeCollector collector;
  v1::Error busy;
  busy.set_code(v1::ERROR_CODE_UNAVAILABLE);
  busy.set_message("collector busy: it serves its maximum of connections; retry later");
  busy.set_retry_after_ms(30000);
  collector.set_hello_refusal(busy);
  std::ostringstream log;
  logger_ = std::make_shared<spdlog::logger>("busy",
                                             std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  Point(collector.port());
  EXPECT_EQ(Report(WorkstationFacts()).code(), Status::Code::kUnavailable);
  EXPECT_EQ(spool_->size(), 1u);
  EXPECT_NE(log.str().find("collector 127.0.0.1:" + std::to_string(collector.port()) + " busy"),
            std::string::npos)
      << log.str();
  EXPECT_EQ(log.str().find("not reachable"), std::string::npos) << log.str();
}

}  // namespace
}  // namespace estate::agent
