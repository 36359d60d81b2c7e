#include "collector/ingest/report_applier.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "collector/reconcile/facts_sections.h"
#include "collector/reconcile/identity_claims.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "collector/store/software_set.h"
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
    auto software = SoftwareInventory::Open(*store_);
    ASSERT_TRUE(software.ok());
    software_ = std::move(*software);
    applier_ = std::make_unique<ReportApplier>(*events_, ReconcileOptions{}, *software_);
  }

  // Commits one report as the Ingestor does: a save point, the report's
  // bracketing, the group's install counts.
  template <typename Apply>
  ApplyOutcome Commit(Apply apply) {
    auto batch = store_->NewBatch();
    batch->SetSavePoint();
    ApplyOutcome out = apply(*batch);
    if (!out.ok && out.error.code() != v1::ERROR_CODE_UNAUTHENTICATED) {
      batch->RollbackToSavePoint();
    }
    software_->EndReport(out.ok);
    const auto totals = software_->EndGroup();
    EXPECT_TRUE(store_->Write(*batch).ok());
    software_->ApplyCommitted(totals);
    return out;
  }

  ApplyOutcome Full(const std::string& node, uint64_t seq, const v1::HostFacts& facts,
                    int64_t at = kT0) {
    v1::FullReport report;
    report.set_sequence(seq);
    *report.mutable_facts() = facts;
    return Commit([&](WriteBatch& batch) {
      return applier_->ApplyFull(batch, Peer{node, "", "", v1::PEER_KIND_AGENT}, report, at);
    });
  }

  ApplyOutcome Delta(const std::string& node, const v1::DeltaReport& delta, int64_t at = kT0) {
    return Commit([&](WriteBatch& batch) {
      return applier_->ApplyDelta(batch, Peer{node, "", "", v1::PEER_KIND_AGENT}, delta, at);
    });
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
  std::unique_ptr<SoftwareInventory> software_;
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

// Issue 24: the identifiers a node reports are checked against who holds them.
TEST_F(ReportApplierTest, ANewNodeClaimingALiveNodesMachineGetsItsOwnAsset) {
  ASSERT_TRUE(Full("node-a", 1, LaptopFacts()).ok);
  v1::HostFacts claim = LaptopFacts();
  claim.set_hostname("impostor");
  claim.set_fqdn("impostor.corp.example");
  ApplyOutcome again = Full("node-b", 1, claim);
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(again.ack.asset_id(), "A-000002");
  auto victim = GetRecord<v1::Asset>(*store_, Table::kAssets, "A-000001");
  EXPECT_EQ((*victim)->hostname(), "laptop-7");
  EXPECT_EQ(Identity(identity::kSerial, "PF3ABCD1"), "A-000001");
  EXPECT_EQ(Identity(identity::kMac, "8c:16:45:aa:bb:cc"), "A-000001");
  std::vector<std::string> conflicts;
  ASSERT_TRUE(store_
                  ->Scan(Table::kEvents, "",
                         [&](std::string_view, std::string_view value) {
                           v1::Event e;
                           e.ParseFromArray(value.data(), static_cast<int>(value.size()));
                           if (e.kind() == "identity_conflict") conflicts.push_back(e.summary());
                           return true;
                         })
                  .ok());
  EXPECT_EQ(conflicts.size(), 3u) << "machine-id, serial and MAC";
  for (const auto& c : conflicts) {
    EXPECT_NE(c.find("node node-b"), std::string::npos) << c;
    EXPECT_NE(c.find("node node-a"), std::string::npos) << c;
  }
}

TEST_F(ReportApplierTest, ANewNodeTakesOverTheAssetOfARevokedNode) {
  ASSERT_TRUE(Full("node-a", 1, LaptopFacts()).ok);
  {
    v1::NodeEnrollment revoked;
    revoked.set_node_id("node-a");
    revoked.set_revoked_at(kT0 / 1000000);
    auto batch = store_->NewBatch();
    PutRecord(*batch, Table::kNodes, NodeEnrollmentKey("node-a"), revoked);
    ASSERT_TRUE(store_->Write(*batch).ok());
  }
  ApplyOutcome again = Full("node-b", 1, LaptopFacts());
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(again.ack.asset_id(), "A-000001");
  EXPECT_EQ(AssetCount(), 1u);
  v1::HostFacts old_facts;
  ASSERT_TRUE(LoadSections(*store_, "A-000001", "node-a", &old_facts).ok());
  EXPECT_EQ(old_facts.ByteSizeLong(), 0u) << "the revoked node's facts left the asset";
  auto node_a = GetRecord<v1::NodeState>(*store_, Table::kNodes, "node-a");
  EXPECT_TRUE((*node_a)->asset_id().empty());
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
  ApplyOutcome out = Delta("node-a", delta);
  ASSERT_TRUE(out.ok) << out.error.message();
  v1::HostFacts facts;
  ASSERT_TRUE(LoadSections(*store_, "A-000001", "node-a", &facts).ok());
  EXPECT_EQ(facts.kernel(), "6.1.0-21-amd64");
  EXPECT_EQ(facts.hostname(), "laptop-7");  // untouched
}

// A monitor is an asset of its own, found by its serial: carried to another
// desk it is the same asset with a new parent, and its history says it moved.
TEST_F(ReportApplierTest, AMonitorMovedToAnotherDeskIsOneAssetThatMoved) {
  v1::HostFacts laptop = LaptopFacts();
  auto* dell = laptop.add_monitors();
  dell->set_manufacturer_id("DEL");
  dell->set_manufacturer("Dell Inc.");
  dell->set_model("D1918H");
  dell->set_serial("KYJ231716UHE");
  laptop.add_monitors()->set_model("LP133WH2-TLA2");  // the laptop's own panel: no serial
  ASSERT_TRUE(Full("node-a", 1, laptop).ok);
  EXPECT_EQ(AssetCount(), 2u);
  EXPECT_EQ(Identity("monitor", "DEL:KYJ231716UHE"), "A-000002");
  auto monitor = GetRecord<v1::Asset>(*store_, Table::kAssets, "A-000002");
  ASSERT_TRUE(monitor.ok() && monitor->has_value());
  EXPECT_EQ((*monitor)->asset_class(), "monitor");
  EXPECT_EQ((*monitor)->parent_id(), "A-000001");
  EXPECT_EQ((*monitor)->vendor(), "Dell Inc.");
  EXPECT_EQ((*monitor)->serial(), "KYJ231716UHE");

  // The laptop leaves; a desktop now reports the monitor (through a delta of its monitors).
  v1::HostFacts desktop;
  desktop.set_hostname("desk-12");
  desktop.set_machine_id("0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(Full("node-d", 1, desktop).ok);
  v1::DeltaReport delta;
  delta.set_sequence(2);
  delta.set_base_sequence(1);
  delta.add_replaced_fields(v1::HostFacts::kMonitorsFieldNumber);
  *delta.mutable_values()->add_monitors() = *dell;
  ASSERT_TRUE(Delta("node-d", delta, kT0 + 1000000).ok);
  EXPECT_EQ(AssetCount(), 3u);  // laptop, monitor, desktop: still one monitor
  monitor = GetRecord<v1::Asset>(*store_, Table::kAssets, "A-000002");
  EXPECT_EQ((*monitor)->parent_id(), "A-000003");

  std::vector<std::string> kinds;
  std::string moved_summary;
  ASSERT_TRUE(store_
                  ->Scan(Table::kHistory, HistoryPrefix("A-000002"),
                         [&](std::string_view, std::string_view v) {
                           v1::AssetEvent e;
                           e.ParseFromArray(v.data(), static_cast<int>(v.size()));
                           kinds.push_back(e.kind());
                           if (e.kind() == "moved") moved_summary = e.summary();
                           return true;
                         })
                  .ok());
  EXPECT_EQ(kinds, (std::vector<std::string>{"created", "moved"}));
  EXPECT_EQ(moved_summary, "monitor moved from A-000001 to A-000003 (desk-12)");
}

// Guests are assets of their host: a VM by its domain UUID (the SMBIOS UUID its
// own agent reports), a container by runtime and id; their MACs lead sightings
// to them, so a guest the network sees is never a shadow device.
constexpr char kDomainUuid[] = "4dea22b3-1d52-d8f3-2516-782e98ab3fa0";
constexpr char kGuestMac[] = "52:54:00:6b:3c:58";

v1::HostFacts HypervisorFacts() {
  v1::HostFacts facts = LaptopFacts();
  auto* vm = facts.add_guests();
  vm->set_kind("libvirt");
  vm->set_name("web-01");
  vm->set_id(kDomainUuid);
  vm->set_state("running");
  vm->add_macs(kGuestMac);
  vm->add_ips("192.0.2.41");
  auto* box = facts.add_guests();
  box->set_kind("docker");
  box->set_name("nginx-proxy");
  box->set_id("f2a1c9e0b7d34c5e8a6b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f");
  box->set_image("nginx:1.25");
  box->add_macs("02:42:ac:11:00:02");
  box->add_ips("172.17.0.2");
  return facts;
}

class GuestAssetTest : public ReportApplierTest {
 protected:
  ApplyOutcome Sighting(const std::string& mac, const std::string& ip, int64_t at = kT0) {
    v1::ObservationReport report;
    report.set_sequence(++scanner_sequence_);
    auto* obs = report.add_observations();
    obs->set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
    obs->set_ip(ip);
    obs->set_mac(mac);
    obs->set_seen_at(at / 1000000);
    return Commit([&](WriteBatch& batch) {
      return applier_->ApplyObservations(batch, Peer{"scanner-1", "", "", v1::PEER_KIND_SCANNER},
                                         report, at);
    });
  }

  v1::Asset Asset(const std::string& id) {
    auto asset = GetRecord<v1::Asset>(*store_, Table::kAssets, id);
    EXPECT_TRUE(asset.ok() && asset->has_value()) << id;
    return asset.ok() && asset->has_value() ? **asset : v1::Asset();
  }

  int EventCount(std::string_view kind) {
    int n = 0;
    EXPECT_TRUE(store_
                    ->Scan(Table::kEvents, "",
                           [&](std::string_view, std::string_view v) {
                             v1::Event e;
                             e.ParseFromArray(v.data(), static_cast<int>(v.size()));
                             n += e.kind() == kind;
                             return true;
                           })
                    .ok());
    return n;
  }

  uint64_t scanner_sequence_ = 0;
};

TEST_F(GuestAssetTest, AHostsGuestsAreManagedChildAssetsFoundByUuidAndMac) {
  ASSERT_TRUE(Full("node-h", 1, HypervisorFacts()).ok);
  EXPECT_EQ(AssetCount(), 3u);
  const auto vm_id = Identity(identity::kDmiUuid, kDomainUuid);
  ASSERT_TRUE(vm_id.has_value());
  EXPECT_EQ(Identity(identity::kMac, kGuestMac), vm_id);
  const v1::Asset vm = Asset(*vm_id);
  EXPECT_EQ(vm.asset_class(), "virtual_machine");
  EXPECT_EQ(vm.parent_id(), "A-000001");
  EXPECT_EQ(vm.hostname(), "web-01");
  EXPECT_TRUE(vm.managed());
  EXPECT_EQ(vm.state(), "deployed");

  const auto box_id =
      Identity("guest", "docker:f2a1c9e0b7d34c5e8a6b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f");
  ASSERT_TRUE(box_id.has_value());
  const v1::Asset box = Asset(*box_id);
  EXPECT_EQ(box.asset_class(), "container");
  EXPECT_EQ(box.model(), "nginx:1.25");
  EXPECT_EQ(box.parent_id(), "A-000001");

  // The scanner sees the VM: the sighting is the VM, not a new shadow device.
  ASSERT_TRUE(Sighting(kGuestMac, "192.0.2.41", kT0 + 1000000).ok);
  EXPECT_EQ(AssetCount(), 3u);
  EXPECT_EQ(EventCount("shadow_device"), 0);

  // The VM's own agent reports: its SMBIOS UUID is the domain's, in capitals.
  v1::HostFacts inside;
  inside.set_hostname("web-01");
  inside.set_machine_id("99990000aaaabbbbccccddddeeeeffff");
  inside.mutable_dmi()->set_uuid("4DEA22B3-1D52-D8F3-2516-782E98AB3FA0");
  auto* nic = inside.mutable_network()->add_interfaces();
  nic->set_name("enp1s0");
  nic->set_mac(kGuestMac);
  nic->set_kind("physical");
  ApplyOutcome own = Full("node-vm", 1, inside, kT0 + 2000000);
  ASSERT_TRUE(own.ok) << own.error.message();
  EXPECT_EQ(own.ack.asset_id(), *vm_id);
  EXPECT_EQ(AssetCount(), 3u);
  EXPECT_EQ(EventCount("identity_conflict"), 0);

  // The host reports again: the guest keeps its agent's facts and its parent.
  ASSERT_TRUE(Full("node-h", 2, HypervisorFacts(), kT0 + 3000000).ok);
  EXPECT_EQ(Asset(*vm_id).machine_id(), "99990000aaaabbbbccccddddeeeeffff");
  EXPECT_EQ(Asset(*vm_id).parent_id(), "A-000001");
  EXPECT_EQ(AssetCount(), 3u);
}

TEST_F(GuestAssetTest, ADeviceTheNetworkSawFirstBecomesTheGuestWhenItsHostReportsIt) {
  ASSERT_TRUE(Sighting(kGuestMac, "192.0.2.41").ok);
  ASSERT_EQ(AssetCount(), 1u);
  EXPECT_FALSE(Asset("A-000001").managed());  // for now, a shadow device
  ASSERT_TRUE(Full("node-h", 1, HypervisorFacts(), kT0 + 1000000).ok);
  EXPECT_EQ(AssetCount(), 3u);  // the sighting, now the VM; the host; the container
  EXPECT_EQ(Identity(identity::kDmiUuid, kDomainUuid), "A-000001");
  const v1::Asset vm = Asset("A-000001");
  EXPECT_TRUE(vm.managed());
  EXPECT_EQ(vm.asset_class(), "virtual_machine");
  EXPECT_EQ(vm.parent_id(), "A-000002");
}

TEST_F(GuestAssetTest, AVmMigratedToAnotherHostIsOneAssetThatMoved) {
  ASSERT_TRUE(Full("node-h", 1, HypervisorFacts()).ok);
  v1::HostFacts other;
  other.set_hostname("hv-2");
  other.set_machine_id("0123456789abcdef0123456789abcdef");
  *other.add_guests() = HypervisorFacts().guests(0);
  ASSERT_TRUE(Full("node-h2", 1, other, kT0 + 1000000).ok);
  EXPECT_EQ(AssetCount(), 4u);
  const auto vm_id = Identity(identity::kDmiUuid, kDomainUuid);
  ASSERT_TRUE(vm_id.has_value());
  EXPECT_EQ(Asset(*vm_id).parent_id(), "A-000004");
}

TEST_F(GuestAssetTest, AMonitorReportedByItsHostIsNotAShadowDevice) {
  v1::HostFacts laptop = LaptopFacts();
  auto* dell = laptop.add_monitors();
  dell->set_manufacturer_id("DEL");
  dell->set_serial("KYJ231716UHE");
  ASSERT_TRUE(Full("node-a", 1, laptop).ok);
  EXPECT_TRUE(Asset("A-000002").managed());
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

v1::Package Package(const std::string& name, const std::string& version, int64_t installed = 100) {
  v1::Package p;
  p.set_name(name);
  p.set_version(version);
  p.set_architecture("amd64");
  p.set_source("deb");
  p.set_publisher("Debian");
  p.set_install_time(installed);
  return p;
}

v1::HostFacts WithPackages(v1::HostFacts facts) {
  *facts.add_software() = Package("bash", "5.2.15-2+b2");
  *facts.add_software() = Package("curl", "7.88.1-10+deb12u4");
  *facts.add_software() = Package("openssl", "3.0.11-1~deb12u1");
  return facts;
}

class SoftwareReportTest : public ReportApplierTest {
 protected:
  // Install counts by "name version".
  std::map<std::string, int64_t> Installs() {
    std::map<std::string, int64_t> out;
    for (const auto& c : software_->InstallCounts()) {
      auto v = software_->catalogue().VersionById(c.version);
      out[software_->catalogue().TitleName(v->title) + " " + v->version] += c.count;
    }
    return out;
  }
  std::vector<v1::Event> EventsOfKind(const std::string& kind) {
    std::vector<v1::Event> out;
    EXPECT_TRUE(store_
                    ->Scan(Table::kEvents, "",
                           [&](std::string_view, std::string_view v) {
                             v1::Event e;
                             if (e.ParseFromArray(v.data(), static_cast<int>(v.size())) &&
                                 e.kind() == kind)
                               out.push_back(e);
                             return true;
                           })
                    .ok());
    return out;
  }
  size_t HistoryEntries() {
    size_t n = 0;
    EXPECT_TRUE(store_
                    ->Scan(Table::kHistory, HistoryPrefix("A-000001"),
                           [&](std::string_view, std::string_view) {
                             ++n;
                             return true;
                           })
                    .ok());
    return n;
  }
  // Sequence 2 of node-a, installing htop, applied and then refused: rolled
  // back as the Ingestor does on an error.
  ApplyOutcome RefusedDeltaInstallingHtop() {
    return Commit([&](WriteBatch& batch) {
      v1::DeltaReport delta;
      delta.set_sequence(2);
      delta.set_base_sequence(1);
      *delta.add_software_upserted() = Package("htop", "3.2.2-2");
      ApplyOutcome applied =
          applier_->ApplyDelta(batch, Peer{"node-a", "", "", v1::PEER_KIND_AGENT}, delta, kT0);
      EXPECT_TRUE(applied.ok);
      applied.ok = false;  // refused after all
      return applied;
    });
  }
  std::vector<std::string> StoredPackages() {
    auto set = SoftwareInventory::Load(*store_, "A-000001", "node-a");
    EXPECT_TRUE(set.ok() && set->has_value());
    google::protobuf::RepeatedPtrField<v1::Package> packages;
    software_->Describe(**set, &packages);
    std::vector<std::string> out;
    for (const auto& p : packages) out.push_back(p.name() + " " + p.version());
    return out;
  }
};

TEST_F(SoftwareReportTest, AFullReportStoresCatalogueReferencesAndCountsInstalls) {
  ASSERT_TRUE(Full("node-a", 1, WithPackages(LaptopFacts())).ok);
  EXPECT_EQ(StoredPackages(),
            (std::vector<std::string>{"bash 5.2.15-2+b2", "curl 7.88.1-10+deb12u4",
                                      "openssl 3.0.11-1~deb12u1"}));
  const std::map<std::string, int64_t> expected = {
      {"bash 5.2.15-2+b2", 1}, {"curl 7.88.1-10+deb12u4", 1}, {"openssl 3.0.11-1~deb12u1", 1}};
  EXPECT_EQ(Installs(), expected);
  EXPECT_EQ(GetRecord<v1::Asset>(*store_, Table::kAssets, "A-000001")->value().software_count(),
            3u);
  // Another host with the same packages adds counts, not catalogue entries.
  v1::HostFacts other = WithPackages(LaptopFacts());
  other.set_machine_id("ffeeddccbbaa99887766554433221100");
  other.mutable_dmi()->set_serial("OTHER-1");
  other.mutable_network()->mutable_interfaces(0)->set_mac("8c:16:45:00:00:01");
  other.set_fqdn("laptop-8.corp.example");
  ASSERT_TRUE(Full("node-b", 1, other).ok);
  EXPECT_EQ(Installs().at("curl 7.88.1-10+deb12u4"), 2);
  EXPECT_EQ(software_->catalogue().version_count(), 3u);
  EXPECT_TRUE(EventsOfKind("drift").empty()) << "a first report is the baseline";
}

TEST_F(SoftwareReportTest, KeyedChangesUpdateTheSetCountsAndRaiseOneEventForRoutineUpgrades) {
  ASSERT_TRUE(Full("node-a", 1, WithPackages(LaptopFacts())).ok);
  v1::DeltaReport delta;
  delta.set_sequence(2);
  delta.set_base_sequence(1);
  *delta.add_software_upserted() = Package("curl", "7.88.1-10+deb12u5", 200);
  *delta.add_software_upserted() = Package("openssl", "3.0.11-1~deb12u2", 200);
  auto* gone = delta.add_software_removed();
  gone->set_name("bash");
  gone->set_architecture("amd64");
  gone->set_source("deb");
  ASSERT_TRUE(Delta("node-a", delta).ok);
  EXPECT_EQ(StoredPackages(),
            (std::vector<std::string>{"curl 7.88.1-10+deb12u5", "openssl 3.0.11-1~deb12u2"}));
  const std::map<std::string, int64_t> expected = {{"curl 7.88.1-10+deb12u5", 1},
                                                   {"openssl 3.0.11-1~deb12u2", 1}};
  EXPECT_EQ(Installs(), expected);
  // Two upgrades and a removal are routine: one low drift event listing all three.
  auto drift = EventsOfKind("drift");
  ASSERT_EQ(drift.size(), 1u);
  EXPECT_EQ(drift[0].severity(), "low");
  EXPECT_EQ(drift[0].changes_size(), 3);
  auto set = SoftwareInventory::Load(*store_, "A-000001", "node-a");
  EXPECT_EQ((*set)->exceptions.size(), 3u) << "three titles differ from the baseline";
  EXPECT_EQ(GetRecord<v1::Asset>(*store_, Table::kAssets, "A-000001")->value().software_count(),
            2u);

  // Back to the approved version: that difference closes, nothing new is raised.
  v1::DeltaReport back;
  back.set_sequence(3);
  back.set_base_sequence(2);
  *back.add_software_upserted() = Package("curl", "7.88.1-10+deb12u4", 300);
  ASSERT_TRUE(Delta("node-a", back).ok);
  set = SoftwareInventory::Load(*store_, "A-000001", "node-a");
  EXPECT_EQ((*set)->exceptions.size(), 2u);
  EXPECT_EQ(EventsOfKind("drift").size(), 1u);
}

TEST(SoftwareFoldThreshold, NodesReportingInStepFoldTheirSetsAtDifferentDeltas) {
  std::map<size_t, int> nodes_by_threshold;
  double sum = 0;
  for (int i = 0; i < 1000; ++i) {
    const size_t t = SoftwareFoldThreshold(SoftwareKey("A-" + std::to_string(i), "node"));
    EXPECT_GE(t, 16u);
    EXPECT_LE(t, 47u);
    nodes_by_threshold[t]++;
    sum += static_cast<double>(t);
  }
  EXPECT_EQ(nodes_by_threshold.size(), 32u) << "every threshold from 16 to 47 is used";
  for (const auto& [threshold, nodes] : nodes_by_threshold) {
    EXPECT_LT(nodes, 63) << "no threshold takes twice its share: " << threshold;
  }
  EXPECT_NEAR(sum / 1000, 31.5, 1.5);
  EXPECT_EQ(SoftwareFoldThreshold(SoftwareKey("A-1", "node")),
            SoftwareFoldThreshold(SoftwareKey("A-1", "node")));
}

TEST_F(SoftwareReportTest, AHostThatReportsOftenKeepsItsSetFoldedNotALongChainOfChanges) {
  ASSERT_TRUE(Full("node-a", 1, WithPackages(LaptopFacts())).ok);
  // Sixty upgrades of curl, one per delta (past any threshold): each delta changes the set.
  for (uint64_t seq = 2; seq <= 61; ++seq) {
    v1::DeltaReport delta;
    delta.set_sequence(seq);
    delta.set_base_sequence(seq - 1);
    *delta.add_software_upserted() =
        Package("curl", "7.88.1-10+deb12u" + std::to_string(seq), static_cast<int64_t>(seq));
    ASSERT_TRUE(Delta("node-a", delta).ok) << seq;
    auto batch = store_->NewBatch();
    auto parts = batch->GetParts(Table::kSoftware, SoftwareKey("A-000001", "node-a"));
    ASSERT_TRUE(parts.ok());
    ASSERT_TRUE(parts->base.has_value()) << "the set itself is always stored";
    EXPECT_LT(parts->operands.size(), SoftwareFoldThreshold(SoftwareKey("A-000001", "node-a")))
        << "after delta " << seq;
  }
  EXPECT_EQ(StoredPackages(),
            (std::vector<std::string>{"bash 5.2.15-2+b2", "curl 7.88.1-10+deb12u61",
                                      "openssl 3.0.11-1~deb12u1"}));
  EXPECT_EQ(Installs().at("curl 7.88.1-10+deb12u61"), 1);
  EXPECT_EQ(Installs().count("curl 7.88.1-10+deb12u60"), 0u);
  auto set = SoftwareInventory::Load(*store_, "A-000001", "node-a");
  ASSERT_TRUE(set.ok() && set->has_value());
  ASSERT_EQ((*set)->exceptions.size(), 1u) << "curl differs from its baseline, once";
}

TEST_F(SoftwareReportTest, AProhibitedInstallIsItsOwnCriticalEventAndAShadowFinding) {
  v1::SoftwareRule rule;
  rule.set_id("1");
  rule.set_kind("package");
  rule.set_pattern("nmap");
  rule.set_verdict("prohibited");
  SoftwarePolicyOptions options;
  options.flag_unknown_software = false;
  applier_->SetPolicy(std::make_shared<SoftwarePolicy>(std::vector<v1::SoftwareRule>{rule},
                                                       std::set<std::string>{}, options));
  ASSERT_TRUE(Full("node-a", 1, WithPackages(LaptopFacts())).ok);
  v1::DeltaReport delta;
  delta.set_sequence(2);
  delta.set_base_sequence(1);
  *delta.add_software_upserted() = Package("nmap", "7.93+dfsg1-1", 200);
  *delta.add_software_upserted() = Package("curl", "7.88.1-10+deb12u5", 200);
  ASSERT_TRUE(Delta("node-a", delta).ok);
  std::map<std::string, std::string> severities;
  for (const auto& e : EventsOfKind("drift")) severities[e.summary()] = e.severity();
  const std::map<std::string, std::string> expected = {
      {"software.nmap added: 7.93+dfsg1-1", "critical"},
      {"software.curl changed: 7.88.1-10+deb12u4 -> 7.88.1-10+deb12u5", "low"}};
  EXPECT_EQ(severities, expected);
  auto shadow = EventsOfKind("shadow_software");
  ASSERT_EQ(shadow.size(), 1u) << "unknown software is not flagged here, prohibited is";
  EXPECT_EQ(shadow[0].severity(), "high");
  ASSERT_EQ(shadow[0].changes_size(), 1);
  EXPECT_EQ(shadow[0].changes(0).field(), "package nmap");
}

TEST_F(SoftwareReportTest, ADeltaOfUptimeAndFreeMemoryAddsNoHistoryAndNoDrift) {
  v1::HostFacts facts = WithPackages(LaptopFacts());
  facts.mutable_memory()->set_total_bytes(16ull << 30);
  facts.mutable_memory()->set_available_bytes(9ull << 30);
  facts.mutable_system()->set_uptime_seconds(100);
  ASSERT_TRUE(Full("node-a", 1, facts).ok);
  const size_t history = HistoryEntries();
  v1::DeltaReport delta;
  delta.set_sequence(2);
  delta.set_base_sequence(1);
  delta.add_replaced_fields(v1::HostFacts::kSystemFieldNumber);
  delta.add_replaced_fields(v1::HostFacts::kMemoryFieldNumber);
  delta.mutable_values()->mutable_system()->set_uptime_seconds(4000);
  delta.mutable_values()->mutable_memory()->set_total_bytes(16ull << 30);
  delta.mutable_values()->mutable_memory()->set_available_bytes(7ull << 30);
  ASSERT_TRUE(Delta("node-a", delta).ok);
  EXPECT_EQ(HistoryEntries(), history);
  EXPECT_TRUE(EventsOfKind("drift").empty());
  v1::HostFacts stored;
  ASSERT_TRUE(LoadSections(*store_, "A-000001", "node-a", &stored).ok());
  EXPECT_EQ(stored.system().uptime_seconds(), 4000);
  EXPECT_EQ(stored.memory().available_bytes(), 7ull << 30);
  // A DIMM's worth less total memory is drift, found from the memory field alone.
  v1::DeltaReport smaller = delta;
  smaller.set_sequence(3);
  smaller.set_base_sequence(2);
  smaller.mutable_values()->mutable_memory()->set_total_bytes(8ull << 30);
  ASSERT_TRUE(Delta("node-a", smaller).ok);
  auto drift = EventsOfKind("drift");
  ASSERT_EQ(drift.size(), 1u);
  EXPECT_EQ(drift[0].changes(0).field(), "hardware.memory");
  EXPECT_EQ(drift[0].severity(), "high");
}

TEST_F(SoftwareReportTest, ARejectedReportLeavesNoCatalogueEntries) {
  ASSERT_TRUE(Full("node-a", 1, WithPackages(LaptopFacts())).ok);
  const size_t versions = software_->catalogue().version_count();
  ApplyOutcome out = RefusedDeltaInstallingHtop();
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(software_->catalogue().version_count(), versions);
  EXPECT_FALSE(software_->catalogue().FindTitle("htop", "amd64", "deb").has_value());
  auto reloaded = SoftwareCatalogue::Load(*store_);
  EXPECT_EQ((*reloaded)->version_count(), versions);
}

TEST_F(SoftwareReportTest, ARolledBackDeltaLeavesNothingOfItInTheSetCache) {
  ASSERT_TRUE(Full("node-a", 1, WithPackages(LaptopFacts())).ok);
  ApplyOutcome out = RefusedDeltaInstallingHtop();
  ASSERT_FALSE(out.ok);
  // The same sequence again, installing vim instead: its set is the stored
  // one plus vim, not plus the refused htop.
  v1::DeltaReport delta;
  delta.set_sequence(2);
  delta.set_base_sequence(1);
  *delta.add_software_upserted() = Package("vim", "2:9.0.1378-2");
  ASSERT_TRUE(Delta("node-a", delta).ok);
  EXPECT_EQ(StoredPackages(),
            (std::vector<std::string>{"bash 5.2.15-2+b2", "curl 7.88.1-10+deb12u4",
                                      "openssl 3.0.11-1~deb12u1", "vim 2:9.0.1378-2"}));
  EXPECT_EQ(GetRecord<v1::Asset>(*store_, Table::kAssets, "A-000001")->value().software_count(),
            4u);
  EXPECT_EQ(Installs().count("htop 3.2.2-2"), 0u);
}

// The same reports into a store whose writer caches sets and one whose writer
// does not end in the same sets, counts and events.
TEST(SoftwareSetCacheInIngest, CachedAndUncachedWritersStoreTheSame) {
  struct Writer {
    TempDir dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<EventRecorder> events;
    std::unique_ptr<SoftwareInventory> software;
    std::unique_ptr<ReportApplier> applier;
  };
  auto open = [](Writer& w, size_t cache_bytes) {
    auto store = Store::Open({w.dir.path() + "/db"});
    ASSERT_TRUE(store.ok());
    w.store = std::move(*store);
    auto events = EventRecorder::Open(*w.store);
    ASSERT_TRUE(events.ok());
    w.events = std::move(*events);
    auto software = SoftwareInventory::Open(*w.store, cache_bytes);
    ASSERT_TRUE(software.ok());
    w.software = std::move(*software);
    w.applier = std::make_unique<ReportApplier>(*w.events, ReconcileOptions{}, *w.software);
  };
  Writer cached, uncached;
  open(cached, 1 << 20);
  open(uncached, 0);
  auto commit = [](Writer& w, auto apply) {
    auto batch = w.store->NewBatch();
    batch->SetSavePoint();
    ApplyOutcome out = apply(*w.applier, *batch);
    if (!out.ok) batch->RollbackToSavePoint();
    w.software->EndReport(out.ok);
    const auto totals = w.software->EndGroup();
    EXPECT_TRUE(w.store->Write(*batch).ok());
    w.software->ApplyCommitted(totals);
    return out.ok;
  };
  const Peer peer{"node-a", "", "", v1::PEER_KIND_AGENT};
  for (Writer* w : {&cached, &uncached}) {
    ASSERT_TRUE(commit(*w, [&](ReportApplier& a, WriteBatch& b) {
      v1::FullReport full;
      full.set_sequence(1);
      *full.mutable_facts() = WithPackages(LaptopFacts());
      return a.ApplyFull(b, peer, full, kT0);
    }));
  }
  // Sixty deltas: upgrades, installs and removals, past several folds.
  for (uint64_t seq = 2; seq <= 61; ++seq) {
    v1::DeltaReport delta;
    delta.set_sequence(seq);
    delta.set_base_sequence(seq - 1);
    *delta.add_software_upserted() =
        Package("curl", "7.88.1-10+deb12u" + std::to_string(seq % 7), static_cast<int64_t>(seq));
    if (seq % 3 == 0) *delta.add_software_upserted() = Package("pkg" + std::to_string(seq), "1.0");
    if (seq % 5 == 0) {
      auto* gone = delta.add_software_removed();
      gone->set_name("pkg" + std::to_string(seq - 3));
      gone->set_architecture("amd64");
      gone->set_source("deb");
    }
    for (Writer* w : {&cached, &uncached}) {
      ASSERT_TRUE(commit(*w, [&](ReportApplier& a, WriteBatch& b) {
        return a.ApplyDelta(b, peer, delta, kT0 + static_cast<int64_t>(seq) * 1'000'000);
      })) << seq;
    }
  }
  EXPECT_GT(cached.software->set_cache().hits(), 50u);
  EXPECT_EQ(uncached.software->set_cache().hits(), 0u);
  auto a = SoftwareInventory::Load(*cached.store, "A-000001", "node-a");
  auto b = SoftwareInventory::Load(*uncached.store, "A-000001", "node-a");
  ASSERT_TRUE(a.ok() && a->has_value() && b.ok() && b->has_value());
  EXPECT_EQ((*a)->entries, (*b)->entries);
  EXPECT_EQ((*a)->exceptions, (*b)->exceptions);
  EXPECT_GT((*a)->entries.size(), 10u);
  auto counts = [](Writer& w) {
    std::map<uint32_t, int64_t> out;
    for (const auto& c : w.software->InstallCounts()) out[c.version] += c.count;
    return out;
  };
  EXPECT_EQ(counts(cached), counts(uncached));
  auto events = [](Writer& w) {
    std::vector<std::string> out;
    EXPECT_TRUE(w.store
                    ->Scan(Table::kEvents, "",
                           [&](std::string_view, std::string_view v) {
                             out.emplace_back(v);
                             return true;
                           })
                    .ok());
    return out;
  };
  EXPECT_EQ(events(cached), events(uncached));
}

}  // namespace
}  // namespace estate::collector
