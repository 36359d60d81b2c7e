// The ingest pipeline: groups applied while the one before is committed must
// acknowledge every report once, in order, and leave exactly what a one-at-a-
// time writer would have stored.
#include "collector/ingest/ingestor.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <vector>

#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "collector/store/software_set.h"
#include "estate/logging.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

std::string Mac(uint32_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "00:1b:%02x:%02x:%02x:%02x", (i >> 24) & 0xff, (i >> 16) & 0xff,
                (i >> 8) & 0xff, i & 0xff);
  return buf;
}

v1::Frame Sweep(uint64_t sequence, uint32_t first, uint32_t count) {
  v1::Frame frame;
  frame.set_request_id(sequence);
  auto* report = frame.mutable_observations();
  report->set_sequence(sequence);
  for (uint32_t i = first; i < first + count; ++i) {
    auto* o = report->add_observations();
    o->set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
    o->set_mac(Mac(i));
    o->set_ip("198.18." + std::to_string((i >> 8) & 0xff) + "." + std::to_string(i & 0xff));
  }
  return frame;
}

// Collects answers from the committer thread.
struct Answers {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<v1::Frame> frames;

  Ingestor::Completion Sink() {
    return [this](v1::Frame answer) {
      std::lock_guard lock(mu);
      frames.push_back(std::move(answer));
      cv.notify_all();
    };
  }
  void WaitFor(size_t n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return frames.size() >= n; });
  }
};

class IngestorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::Open({dir_.path() + "/db"});
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
  }
  std::unique_ptr<Ingestor> Start(IngestorOptions options) {
    auto ingestor = std::make_unique<Ingestor>(*store_, GetLogger("test"), options);
    EXPECT_TRUE(ingestor->Start().ok());
    return ingestor;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(IngestorTest, PipelinedGroupsAcknowledgeEveryReportOnceInOrderAndStoreAllOfIt) {
  IngestorOptions options;
  options.max_group_work = 500;  // many small groups: every one overlaps a commit
  auto ingestor = Start(options);
  Peer scanner{"scanner-1", "scan", "test", v1::PEER_KIND_SCANNER};
  Answers answers;
  constexpr uint32_t kReports = 120, kPerReport = 100;
  for (uint32_t r = 0; r < kReports; ++r) {
    ingestor->Submit(scanner, Sweep(r + 1, r * kPerReport, kPerReport), answers.Sink());
  }
  answers.WaitFor(kReports);
  for (uint32_t r = 0; r < kReports; ++r) {
    ASSERT_TRUE(answers.frames[r].has_ack()) << answers.frames[r].error().message();
    EXPECT_EQ(answers.frames[r].ack().sequence(), r + 1);  // answered in submission order
  }
  EXPECT_GT(ingestor->counters().commits.load(), 10u);
  // Every sighting became one asset, found again by its MAC.
  for (uint32_t i = 0; i < kReports * kPerReport; i += 97) {
    auto id = store_->Get(Table::kIdentity, IdentityKey(identity::kMac, Mac(i)));
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(id->has_value()) << Mac(i);
  }
  EXPECT_EQ(store_->Get(Table::kSettings, "next_asset_id")->value_or(""),
            std::to_string(kReports * kPerReport + 1));
}

TEST_F(IngestorTest, ReportsOfTheSameDeviceInConsecutiveGroupsSeeEachOther) {
  IngestorOptions options;
  options.max_group_work = 1;  // one report a group
  auto ingestor = Start(options);
  Peer scanner{"scanner-1", "scan", "test", v1::PEER_KIND_SCANNER};
  Answers answers;
  // The same 50 devices over and over: each group reads the previous one's
  // writes while that one is still being committed, never a second asset.
  for (uint64_t seq = 1; seq <= 40; ++seq) {
    ingestor->Submit(scanner, Sweep(seq, 0, 50), answers.Sink());
  }
  answers.WaitFor(40);
  for (const auto& a : answers.frames) ASSERT_TRUE(a.has_ack());
  EXPECT_EQ(store_->Get(Table::kSettings, "next_asset_id")->value_or(""), "51");
  auto node = GetRecord<v1::NodeState>(*store_, Table::kNodes, "scanner-1");
  ASSERT_TRUE(node.ok() && node->has_value());
  EXPECT_EQ((*node)->last_sequence(), 40u);
  EXPECT_EQ((*node)->reports(), 40u);
}

TEST_F(IngestorTest, AChangeRunsAfterEveryReportSubmittedBeforeIt) {
  auto ingestor = Start(IngestorOptions());
  Peer scanner{"scanner-1", "scan", "test", v1::PEER_KIND_SCANNER};
  Answers answers;
  for (uint64_t seq = 1; seq <= 20; ++seq) {
    ingestor->Submit(scanner, Sweep(seq, (seq - 1) * 10, 10), answers.Sink());
  }
  auto seen = ingestor->Mutate("user:test", [](ReconcileContext& ctx) -> Result<nlohmann::json> {
    auto next = ctx.batch.Get(Table::kSettings, "next_asset_id");
    if (!next.ok()) return next.status();
    return nlohmann::json{{"next", next->value_or("")}};
  });
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ((*seen)["next"], "201");
  answers.WaitFor(20);
}

TEST_F(IngestorTest, StopAnswersEverythingQueued) {
  Answers answers;
  {
    auto ingestor = Start(IngestorOptions());
    Peer scanner{"scanner-1", "scan", "test", v1::PEER_KIND_SCANNER};
    for (uint64_t seq = 1; seq <= 30; ++seq) {
      ingestor->Submit(scanner, Sweep(seq, (seq - 1) * 200, 200), answers.Sink());
    }
    ingestor->Stop();
  }
  ASSERT_EQ(answers.frames.size(), 30u);
  for (const auto& a : answers.frames) EXPECT_TRUE(a.has_ack());
}

v1::Frame FullWithPackages(const std::string& host, uint64_t sequence, int packages) {
  v1::Frame frame;
  frame.set_request_id(sequence);
  auto* report = frame.mutable_full_report();
  report->set_sequence(sequence);
  auto* facts = report->mutable_facts();
  facts->set_hostname(host);
  facts->set_machine_id(host + "-machine-id-0123456789abcdef");
  for (int i = 0; i < packages; ++i) {
    auto* p = facts->add_software();
    p->set_name("pkg" + std::to_string(i));
    p->set_version("1." + std::to_string(i % 3));
    p->set_architecture("amd64");
    p->set_source("deb");
  }
  return frame;
}

int64_t TotalInstalls(const Ingestor& ingestor) {
  int64_t n = 0;
  for (const auto& c : const_cast<Ingestor&>(ingestor).software().InstallCounts()) n += c.count;
  return n;
}

TEST_F(IngestorTest, InstallTotalsSurviveACleanStopAndAreRebuiltAfterAnUncleanOne) {
  {
    auto ingestor = Start(IngestorOptions());
    Answers answers;
    for (int host = 0; host < 5; ++host) {
      ingestor->Submit(Peer{"node-" + std::to_string(host), "", "", v1::PEER_KIND_AGENT},
                       FullWithPackages("host-" + std::to_string(host), 1, 40), answers.Sink());
    }
    answers.WaitFor(5);
    EXPECT_EQ(TotalInstalls(*ingestor), 5 * 40);
    ingestor->Stop();
  }
  EXPECT_EQ(store_->Get(Table::kSettings, "software_totals")->value_or(""), "clean");
  {
    auto ingestor = Start(IngestorOptions());
    EXPECT_EQ(TotalInstalls(*ingestor), 5 * 40) << "read back from the checkpoint";
    EXPECT_EQ(store_->Get(Table::kSettings, "software_totals")->value_or(""), "dirty")
        << "a crash from now on must rebuild them";
    // A crash: the checkpoint is stale (as if reports landed after it).
    auto batch = store_->NewBatch();
    batch->Put(Table::kSoftwareCounts, SoftwareCountKey(1, ""), EncodeCounter(999));
    ASSERT_TRUE(store_->Write(*batch).ok());
    auto reopened = SoftwareInventory::Open(*store_);
    ASSERT_TRUE(reopened.ok());
    int64_t n = 0;
    for (const auto& c : (*reopened)->InstallCounts()) n += c.count;
    EXPECT_EQ(n, 5 * 40) << "rebuilt from the package sets, not the stale counters";
  }
}

}  // namespace
}  // namespace estate::collector
