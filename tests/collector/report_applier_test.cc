#include "collector/ingest/report_applier.h"

#include <gtest/gtest.h>

#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

constexpr int64_t kT0 = 1'800'000'000'000'000;  // microseconds

v1::HostFacts LaptopFacts() {
  v1::HostFacts facts;
  facts.set_hostname("laptop-7");
  facts.set_fqdn("laptop-7.corp.example");
  facts.set_machine_id("5f0c3e1d2b8a4c6e9f7d1a2b3c4d5e6f");
  facts.set_kernel("6.1.0-18-amd64");
  facts.mutable_os()->set_name("Debian GNU/Linux");
  facts.mutable_os()->set_version("12");
  facts.mutable_dmi()->set_serial("PF3ABCD1");
  auto* nic = facts.mutable_network()->add_interfaces();
  nic->set_name("enp0s31f6");
  nic->set_mac("8c:16:45:aa:bb:cc");
  nic->set_kind("physical");
  auto* addr = nic->add_addresses();
  addr->set_address("192.0.2.15");
  addr->set_prefix_length(24);
  addr->set_family("ipv4");
  addr->set_scope("global");
  return facts;
}

class ReportApplierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::Open({dir_.path() + "/db"});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    auto events = EventRecorder::Open(*store_);
    ASSERT_TRUE(events.ok());
    events_ = std::move(*events);
    applier_ = std::make_unique<ReportApplier>(*events_, ReconcileOptions{});
  }

  ApplyOutcome Full(const std::string& node, uint64_t seq, const v1::HostFacts& facts,
                    int64_t at = kT0) {
    v1::FullReport report;
    report.set_sequence(seq);
    *report.mutable_facts() = facts;
    auto batch = store_->NewBatch();
    ApplyOutcome out =
        applier_->ApplyFull(*batch, Peer{node, "", "", v1::PEER_KIND_AGENT}, report, at);
    EXPECT_TRUE(store_->Write(*batch).ok());
    return out;
  }

  std::optional<std::string> Identity(std::string_view kind, std::string_view value) {
    return *store_->Get(Table::kIdentity, IdentityKey(kind, value));
  }

  size_t AssetCount() {
    size_t n = 0;
    EXPECT_TRUE(store_->Scan(Table::kAssets, "", [&](auto, auto) { return ++n, true; }).ok());
    return n;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<EventRecorder> events_;
  std::unique_ptr<ReportApplier> applier_;
};

TEST_F(ReportApplierTest, FirstFullReportCreatesAnIndexedAsset) {
  ApplyOutcome out = Full("node-a", 1, LaptopFacts());
  ASSERT_TRUE(out.ok) << out.error.message();
  EXPECT_EQ(out.ack.asset_id(), "A-000001");
  EXPECT_EQ(out.ack.sequence(), 1u);
  EXPECT_EQ(Identity(identity::kMac, "8c:16:45:aa:bb:cc"), "A-000001");
  EXPECT_EQ(Identity(identity::kIp, "192.0.2.15"), "A-000001");
  EXPECT_EQ(Identity(identity::kSerial, "PF3ABCD1"), "A-000001");
  EXPECT_EQ(Identity(identity::kHostname, "laptop-7"), "A-000001");
  auto asset = GetRecord<v1::Asset>(*store_, Table::kAssets, "A-000001");
  ASSERT_TRUE(asset.ok() && asset->has_value());
  EXPECT_EQ((*asset)->os(), "Debian GNU/Linux 12");
  EXPECT_EQ((*asset)->sources_size(), 1);
}

TEST_F(ReportApplierTest, ReplayedSequenceIsAcknowledgedWithoutAnotherWrite) {
  ASSERT_TRUE(Full("node-a", 5, LaptopFacts()).ok);
  v1::HostFacts changed = LaptopFacts();
  changed.set_hostname("renamed");
  ApplyOutcome replay = Full("node-a", 5, changed);
  EXPECT_TRUE(replay.ok);
  EXPECT_TRUE(replay.duplicate);
  EXPECT_EQ(replay.ack.asset_id(), "A-000001");
  auto asset = GetRecord<v1::Asset>(*store_, Table::kAssets, "A-000001");
  EXPECT_EQ((*asset)->hostname(), "laptop-7");
}

TEST_F(ReportApplierTest, ReinstalledAgentWithNewNodeIdFindsTheSameAsset) {
  ASSERT_TRUE(Full("node-a", 1, LaptopFacts()).ok);
  ApplyOutcome again = Full("node-b", 1, LaptopFacts());
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(again.ack.asset_id(), "A-000001");
  EXPECT_EQ(AssetCount(), 1u);
}

TEST_F(ReportApplierTest, DifferentMachinesBecomeDifferentAssets) {
  ASSERT_TRUE(Full("node-a", 1, LaptopFacts()).ok);
  v1::HostFacts other;
  other.set_hostname("laptop-7");  // same bare host name, nothing else in common
  other.set_machine_id("0123456789abcdef0123456789abcdef");
  ApplyOutcome out = Full("node-c", 1, other);
  ASSERT_TRUE(out.ok);
  EXPECT_EQ(out.ack.asset_id(), "A-000002");
}

TEST_F(ReportApplierTest, ChangedAddressMovesTheIpIndexAndIsRecordedInHistory) {
  ASSERT_TRUE(Full("node-a", 1, LaptopFacts()).ok);
  v1::HostFacts moved = LaptopFacts();
  moved.mutable_network()->mutable_interfaces(0)->mutable_addresses(0)->set_address("198.51.100.4");
  ASSERT_TRUE(Full("node-a", 2, moved, kT0 + 1000000).ok);
  EXPECT_FALSE(Identity(identity::kIp, "192.0.2.15").has_value());
  EXPECT_EQ(Identity(identity::kIp, "198.51.100.4"), "A-000001");

  std::vector<v1::AssetEvent> events;
  bool saw_drift = false;
  ASSERT_TRUE(store_
                  ->Scan(Table::kHistory, HistoryPrefix("A-000001"),
                         [&](std::string_view, std::string_view v) {
                           v1::AssetEvent e;
                           e.ParseFromArray(v.data(), static_cast<int>(v.size()));
                           // Findings (shadow software, drift) are checked elsewhere.
                           if (e.kind() == "drift") saw_drift = true;
                           if (e.kind() == "created" || e.kind() == "report") events.push_back(e);
                           return true;
                         })
                  .ok());
  EXPECT_TRUE(saw_drift) << "a new address differs from the baseline";
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind(), "created");
  EXPECT_EQ(events[1].kind(), "report");
  ASSERT_EQ(events[1].changes_size(), 1);
  EXPECT_EQ(events[1].changes(0).field(), "ips");
  EXPECT_EQ(events[1].changes(0).before(), "192.0.2.15");
  EXPECT_EQ(events[1].changes(0).after(), "198.51.100.4");
}

TEST_F(ReportApplierTest, DeltaOnTheWrongBaseAsksForAFullReport) {
  ASSERT_TRUE(Full("node-a", 3, LaptopFacts()).ok);
  v1::DeltaReport delta;
  delta.set_sequence(5);
  delta.set_base_sequence(4);
  auto batch = store_->NewBatch();
  ApplyOutcome out =
      applier_->ApplyDelta(*batch, Peer{"node-a", "", "", v1::PEER_KIND_AGENT}, delta, kT0);
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error.code(), v1::ERROR_CODE_FULL_REPORT_REQUIRED);
}

TEST_F(ReportApplierTest, DeltaFromAnUnknownNodeAsksForAFullReport) {
  v1::DeltaReport delta;
  delta.set_sequence(2);
  delta.set_base_sequence(1);
  auto batch = store_->NewBatch();
  ApplyOutcome out =
      applier_->ApplyDelta(*batch, Peer{"stranger", "", "", v1::PEER_KIND_AGENT}, delta, kT0);
  EXPECT_EQ(out.error.code(), v1::ERROR_CODE_FULL_REPORT_REQUIRED);
}

TEST_F(ReportApplierTest, DeltaReplacesTheListedFields) {
  ASSERT_TRUE(Full("node-a", 1, LaptopFacts()).ok);
  v1::DeltaReport delta;
  delta.set_sequence(2);
  delta.set_base_sequence(1);
  delta.add_replaced_fields(v1::HostFacts::kKernelFieldNumber);
  delta.mutable_values()->set_kernel("6.1.0-21-amd64");
  auto batch = store_->NewBatch();
  ApplyOutcome out =
      applier_->ApplyDelta(*batch, Peer{"node-a", "", "", v1::PEER_KIND_AGENT}, delta, kT0);
  ASSERT_TRUE(out.ok) << out.error.message();
  ASSERT_TRUE(store_->Write(*batch).ok());
  auto facts = GetRecord<v1::HostFacts>(*store_, Table::kFacts, FactsKey("A-000001", "node-a"));
  ASSERT_TRUE(facts.ok() && facts->has_value());
  EXPECT_EQ((*facts)->kernel(), "6.1.0-21-amd64");
  EXPECT_EQ((*facts)->hostname(), "laptop-7");  // untouched
}

TEST_F(ReportApplierTest, ObservationsBecomeSightingsKeyedByMac) {
  v1::ObservationReport report;
  report.set_sequence(1);
  auto* obs = report.add_observations();
  obs->set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
  obs->set_ip("192.0.2.99");
  obs->set_mac("02:AA:BB:CC:DD:EE");
  obs->set_seen_at(1'800'000'000);
  auto batch = store_->NewBatch();
  ApplyOutcome out = applier_->ApplyObservations(
      *batch, Peer{"scanner-1", "", "", v1::PEER_KIND_SCANNER}, report, kT0);
  ASSERT_TRUE(out.ok);
  ASSERT_TRUE(store_->Write(*batch).ok());
  auto sighting = GetRecord<v1::Sighting>(*store_, Table::kSightings, "02:aa:bb:cc:dd:ee");
  ASSERT_TRUE(sighting.ok() && sighting->has_value());
  EXPECT_EQ((*sighting)->ip(), "192.0.2.99");
  EXPECT_TRUE((*sighting)->mac_locally_administered());
  ASSERT_EQ((*sighting)->sources_size(), 1);
  EXPECT_EQ((*sighting)->sources(0), "arp_sweep");
}

}  // namespace
}  // namespace estate::collector
