// Reconciliation scenarios against a real estated: agent reports made of facts
// the real agent collected from a fixture root (changed the way hardware and
// software change on a real machine) and scanner observations, all over the
// real protocol on loopback; estatectl reads back the outcome.
#include <arpa/inet.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "estate/collector_client.h"
#include "estate/v1/frame.pb.h"
#include "tests/collector/temp_dir.h"
#include "tests/support/local_collector.h"
#include "tests/support/subprocess.h"

namespace estate {
namespace {

using testing::CommandResult;
using testing::Daemon;
using testing::RunCommand;
using testing::WaitFor;

const std::string kBin = ESTATE_BINARY_DIR;
const std::string kEstatectl = kBin + "/collector/estatectl";
const std::string kAgent = kBin + "/agent/estate-agent";
const std::string kRoot = std::string(ESTATE_SOURCE_DIR) + "/tests/fixtures/roots/ws-debian12";
// The fixture laptop's wired NIC, as the agent reports it.
const std::string kWiredMac = "8c:16:45:aa:bb:01";

class Reconciliation : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = collector_.port();
    socket_ = collector_.socket();
    log_ = collector_.log();
    ASSERT_TRUE(collector_.Start()) << testing::ReadTextFile(log_);
    // What the real agent collects from the fixture laptop.
    CommandResult inventory = RunCommand({kAgent, "inventory", "--json", "--root", kRoot});
    ASSERT_EQ(inventory.exit_code, 0) << inventory.err;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(inventory.out, &facts_, options).ok());
  }

  CommandResult Ctl(std::vector<std::string> args) { return collector_.Ctl(std::move(args)); }

  nlohmann::json CtlJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CommandResult r = Ctl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  // One report over the real protocol; returns the answer frame.
  v1::Frame Send(v1::PeerKind kind, const std::string& node, v1::Frame request) {
    CollectorClientOptions options;
    options.collector = Endpoint{"127.0.0.1", port_};
    options.kind = kind;
    options.node_id = node;
    options.hostname = node;
    options.tls.insecure_plaintext = true;
    CollectorClient client(options);
    EXPECT_TRUE(client.Connect().ok());
    auto answer = client.Call(std::move(request));
    EXPECT_TRUE(answer.ok());
    return answer.ok() ? *answer : v1::Frame();
  }

  std::string Report(const v1::HostFacts& facts, const std::string& node = "laptop-agent") {
    v1::Frame frame;
    frame.mutable_full_report()->set_sequence(++sequence_);
    *frame.mutable_full_report()->mutable_facts() = facts;
    v1::Frame answer = Send(v1::PEER_KIND_AGENT, node, frame);
    EXPECT_TRUE(answer.has_ack()) << answer.DebugString();
    return answer.ack().asset_id();
  }

  // A guest (a VM, a container) whose only NIC has `mac` and `ip`: its own
  // serial, UUID and machine-id, no hardware MAC.
  v1::HostFacts Guest(const std::string& name, const std::string& mac, const std::string& ip,
                      const std::string& kind = "physical", bool is_virtual = false) const {
    v1::HostFacts facts = facts_;
    facts.set_hostname(name);
    facts.set_fqdn(name + ".lab.example");
    facts.set_machine_id("machine-" + name);
    facts.mutable_dmi()->set_serial("");
    facts.mutable_dmi()->set_uuid("");
    facts.mutable_network()->clear_interfaces();
    auto* lo = facts.mutable_network()->add_interfaces();
    lo->set_name("lo");
    lo->set_kind("loopback");
    lo->set_mac("00:00:00:00:00:00");
    auto* nic = facts.mutable_network()->add_interfaces();
    nic->set_name("eth0");
    nic->set_mac(mac);
    nic->set_kind(kind);
    nic->set_is_virtual(is_virtual);
    auto* addr = nic->add_addresses();
    addr->set_address(ip);
    addr->set_prefix_length(24);
    addr->set_family("ipv4");
    addr->set_scope("global");
    return facts;
  }

  static v1::Observation Fdb(const std::string& mac, const std::string& sw, const std::string& port,
                             uint32_t vlan) {
    v1::Observation o;
    o.set_source(v1::OBSERVATION_SOURCE_SNMP_FDB);
    o.set_mac(mac);
    o.mutable_switch_port()->set_device(sw);
    o.mutable_switch_port()->set_port(port);
    o.mutable_switch_port()->set_vlan(vlan);
    o.set_seen_at(static_cast<int64_t>(std::time(nullptr)));
    return o;
  }

  void Observe(std::vector<v1::Observation> observations) {
    v1::Frame frame;
    frame.mutable_observations()->set_sequence(++scanner_sequence_);
    for (auto& o : observations) *frame.mutable_observations()->add_observations() = o;
    v1::Frame answer = Send(v1::PEER_KIND_SCANNER, "scanner-1", frame);
    EXPECT_TRUE(answer.has_ack()) << answer.DebugString();
  }

  static v1::Observation Arp(const std::string& mac, const std::string& ip) {
    v1::Observation o;
    o.set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
    o.set_mac(mac);
    o.set_ip(ip);
    o.set_vendor("Test Vendor");
    o.set_seen_at(static_cast<int64_t>(std::time(nullptr)));
    return o;
  }

  std::vector<nlohmann::json> Events(const std::string& kind) {
    std::vector<nlohmann::json> out;
    const nlohmann::json result = CtlJson({"events", "--kind", kind});
    for (const auto& e : result.at("events")) out.push_back(e);
    return out;
  }

  TempDir dir_;
  uint16_t port_ = 0;
  std::string socket_, log_;
  testing::LocalCollector collector_{kBin, dir_.path()};
  v1::HostFacts facts_;
  uint64_t sequence_ = 0, scanner_sequence_ = 0;
};

TEST_F(Reconciliation, LaptopSeenByArpThenByItsAgentIsOneAsset) {
  Observe({Arp(kWiredMac, "192.0.2.42")});
  auto shadow = CtlJson({"shadow", "--devices"}).at("devices");
  ASSERT_EQ(shadow.size(), 1u);
  EXPECT_EQ(shadow[0].at("mac"), kWiredMac);
  const std::string discovered = shadow[0].at("asset_id");
  ASSERT_EQ(Events("shadow_device").size(), 1u);

  const std::string asset = Report(facts_);
  EXPECT_EQ(asset, discovered) << "the agent's report must land on the device ARP found";
  EXPECT_EQ(CtlJson({"assets"}).at("assets").size(), 1u);
  EXPECT_TRUE(CtlJson({"shadow", "--devices"}).at("devices").empty());
  auto record = CtlJson({"show", kWiredMac});
  EXPECT_EQ(record.at("id"), asset);
  EXPECT_EQ(record.at("hostname"), facts_.hostname());
  EXPECT_TRUE(record.at("managed").get<bool>());
  EXPECT_EQ(record.at("state"), "deployed");
  std::set<std::string> kinds;
  for (const auto& s : record.at("sources")) kinds.insert(s.at("kind").get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"agent", "scanner"}));
}

TEST_F(Reconciliation, AgentFirstThenArpOfItsSecondNicMergesNothingNew) {
  const std::string asset = Report(facts_);
  Observe({Arp("3c:58:c2:11:22:33", "192.0.2.43")});  // its Wi-Fi NIC
  EXPECT_EQ(CtlJson({"assets"}).at("assets").size(), 1u);
  EXPECT_EQ(CtlJson({"show", "3c:58:c2:11:22:33"}).at("id"), asset);
}

TEST_F(Reconciliation, DiscoveredNicLaterReportedByAgentIsMergedKeepingHistory) {
  const std::string asset = Report(facts_);
  Observe({Arp("00:1b:21:00:00:77", "192.0.2.77")});  // a NIC not yet in the laptop
  ASSERT_EQ(CtlJson({"assets"}).at("assets").size(), 2u);
  const std::string discovered = CtlJson({"show", "00:1b:21:00:00:77"}).at("id");
  v1::HostFacts with_nic = facts_;
  auto* nic = with_nic.mutable_network()->add_interfaces();
  nic->set_name("enp5s0");
  nic->set_mac("00:1b:21:00:00:77");
  nic->set_kind("physical");
  EXPECT_EQ(Report(with_nic), asset);
  auto assets = CtlJson({"assets"}).at("assets");
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(CtlJson({"show", discovered}).at("id"), asset) << "the old id resolves to the survivor";
  bool merged = false, discovered_entry = false;
  const nlohmann::json history = CtlJson({"history", asset});
  for (const auto& e : history.at("events")) {
    merged |= e.at("kind") == "merged";
    discovered_entry |= e.at("kind") == "shadow_device";
  }
  EXPECT_TRUE(merged);
  EXPECT_TRUE(discovered_entry) << "the discovered record's history is kept";
}

TEST_F(Reconciliation, NicSwapRamRemovalAndPackageInstallAreExactlyTheDrift) {
  ASSERT_EQ(Ctl({"approve", "software", "nmap", "--verdict", "prohibited"}).exit_code, 0);
  const std::string asset = Report(facts_);
  EXPECT_TRUE(CtlJson({"drift"}).at("drift").empty()) << "the first report is the baseline";

  v1::HostFacts changed = facts_;
  // The wired NIC is replaced by another card.
  for (auto& nic : *changed.mutable_network()->mutable_interfaces()) {
    if (nic.mac() == kWiredMac) nic.set_mac("8c:16:45:aa:bb:99");
  }
  // One populated DIMM is pulled.
  std::string pulled_slot;
  auto* dimms = changed.mutable_dmi()->mutable_memory_modules();
  for (int i = 0; i < dimms->size(); ++i) {
    if (dimms->Get(i).size_bytes() > 0) {
      pulled_slot = dimms->Get(i).locator();
      dimms->DeleteSubrange(i, 1);
      break;
    }
  }
  ASSERT_FALSE(pulled_slot.empty());
  auto* package = changed.add_software();
  package->set_name("nmap");
  package->set_version("7.93+dfsg1-1");
  package->set_architecture("amd64");
  package->set_source("deb");
  EXPECT_EQ(Report(changed), asset);

  std::map<std::string, std::string> drift;
  const nlohmann::json open = CtlJson({"drift", asset});
  for (const auto& d : open.at("drift")) drift[d.at("fact")] = d.at("severity");
  const std::map<std::string, std::string> expected = {
      {"hardware.dimm." + pulled_slot, "high"},
      {"hardware.nic." + kWiredMac, "high"},
      {"hardware.nic.8c:16:45:aa:bb:99", "medium"},
      {"software.nmap", "critical"},
  };
  EXPECT_EQ(drift, expected);
  EXPECT_EQ(Events("drift").size(), 4u);
  // The prohibited package is also shadow software on this host.
  bool prohibited = false;
  const nlohmann::json shadow_software = CtlJson({"shadow", "--software"});
  for (const auto& s : shadow_software.at("software")) {
    prohibited |= s.at("name") == "nmap" && s.at("verdict") == "prohibited";
  }
  EXPECT_TRUE(prohibited);

  // The same state reported again raises nothing new.
  EXPECT_EQ(Report(changed), asset);
  EXPECT_EQ(Events("drift").size(), 4u);
  // Accepting makes it the baseline.
  ASSERT_EQ(Ctl({"accept", asset}).exit_code, 0);
  EXPECT_TRUE(CtlJson({"drift"}).at("drift").empty());
}

TEST_F(Reconciliation, UnknownMacOnAnAccessPortIsAShadowDeviceWithItsSwitchPort) {
  Report(facts_);
  v1::Observation fdb;
  fdb.set_source(v1::OBSERVATION_SOURCE_SNMP_FDB);
  fdb.set_mac("f4:f5:e8:12:34:56");
  fdb.set_vendor("Google, Inc.");
  fdb.mutable_switch_port()->set_device("sw-floor2");
  fdb.mutable_switch_port()->set_port("Gi1/0/17");
  fdb.mutable_switch_port()->set_vlan(20);
  v1::Observation uplink = fdb;  // the same MAC learned on the uplink says nothing of where it is
  uplink.mutable_switch_port()->set_device("sw-core");
  uplink.mutable_switch_port()->set_port("Te1/1/1");
  uplink.add_flags("uplink");
  Observe({fdb, uplink});

  auto devices = CtlJson({"shadow", "--devices"}).at("devices");
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].at("mac"), "f4:f5:e8:12:34:56");
  EXPECT_EQ(devices[0].at("switch"), "sw-floor2");
  EXPECT_EQ(devices[0].at("port"), "Gi1/0/17");
  EXPECT_EQ(devices[0].at("vlan"), 20);
  auto events = Events("shadow_device");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].at("summary").get<std::string>().find("sw-floor2 port Gi1/0/17"),
            std::string::npos);

  // An admin ignores it; it leaves the list but stays in the inventory.
  const std::string id = devices[0].at("asset_id");
  ASSERT_EQ(Ctl({"ignore", "device", id, "--reason", "guest chromecast"}).exit_code, 0);
  EXPECT_TRUE(CtlJson({"shadow", "--devices"}).at("devices").empty());
  EXPECT_EQ(CtlJson({"shadow", "--devices", "--all"}).at("devices").size(), 1u);
}

TEST_F(Reconciliation, RetiredAssetReappearingRaisesAnEvent) {
  const std::string asset = Report(facts_);
  ASSERT_EQ(Ctl({"state", asset, "retired", "--reason", "replaced"}).exit_code, 0);
  CommandResult refused = Ctl({"checkout", asset, "--to", "alice"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("cannot move a retired asset to checked_out"), std::string::npos)
      << refused.err;
  Observe({Arp(kWiredMac, "192.0.2.42")});
  auto seen = Events("retired_seen");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].at("asset_id"), asset);
  EXPECT_EQ(seen[0].at("severity"), "high");
}

TEST_F(Reconciliation, CustodyAndAttributesByTagAndHistoryReconstructsThePast) {
  const std::string asset = Report(facts_);
  ASSERT_EQ(Ctl({"set", asset, "asset_tag=ACME-0042", "owner=it-dept", "location=HQ 2F"}).exit_code,
            0);
  const nlohmann::json then = CtlJson({"show", "ACME-0042"});
  EXPECT_EQ(then.at("id"), asset);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const int64_t t1 = static_cast<int64_t>(std::time(nullptr));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));

  ASSERT_EQ(Ctl({"checkout", "ACME-0042", "--to", "alice", "--due", "2099-01-31"}).exit_code, 0);
  v1::HostFacts renamed = facts_;
  renamed.set_hostname("renamed-laptop");
  Report(renamed);
  // Discovery never overwrites admin attributes.
  auto now = CtlJson({"show", "ACME-0042"});
  EXPECT_EQ(now.at("attributes").at("owner"), "it-dept");
  EXPECT_EQ(now.at("state"), "checked_out");
  EXPECT_EQ(now.at("custody").at("holder"), "alice");
  EXPECT_EQ(now.at("hostname"), "renamed-laptop");

  auto past = CtlJson({"show", asset, "--at", std::to_string(t1)});
  EXPECT_EQ(past.at("hostname"), then.at("hostname"));
  EXPECT_EQ(past.at("state"), then.at("state"));
  EXPECT_EQ(past.at("attributes"), then.at("attributes"));
  EXPECT_EQ(past.at("macs"), then.at("macs"));
  EXPECT_FALSE(past.contains("custody"));

  ASSERT_EQ(Ctl({"checkin", asset, "--condition", "damaged"}).exit_code, 0);
  EXPECT_EQ(CtlJson({"show", asset}).at("state"), "in_repair");
  std::vector<std::string> kinds;
  const nlohmann::json events = CtlJson({"events", "--asset", asset});
  for (const auto& e : events.at("events")) kinds.push_back(e.at("kind"));
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "checked_out"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "checked_in"), kinds.end());

  // Filters and CSV. The scanner places the laptop's address.
  Observe({Arp(kWiredMac, "192.0.2.42")});
  EXPECT_EQ(CtlJson({"assets", "--state", "in_repair", "--owner", "it-dept"}).at("assets").size(),
            1u);
  EXPECT_EQ(CtlJson({"assets", "--state", "deployed"}).at("assets").size(), 0u);
  EXPECT_EQ(CtlJson({"assets", "--subnet", "192.0.2.0/24"}).at("assets").size(), 1u);
  EXPECT_EQ(CtlJson({"assets", "--subnet", "10.0.0.0/8"}).at("assets").size(), 0u);
  const std::string first_package = facts_.software(0).name();
  EXPECT_EQ(CtlJson({"assets", "--has-software", first_package}).at("assets").size(), 1u);
  EXPECT_EQ(CtlJson({"assets", "--has-software", "no-such-package"}).at("assets").size(), 0u);
  CommandResult csv = Ctl({"assets", "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const std::string header = csv.out.substr(0, csv.out.find('\n'));
  EXPECT_NE(("," + header + ",").find(",id,"), std::string::npos) << header;
  EXPECT_NE(csv.out.find(asset), std::string::npos);
  auto report = CtlJson({"report"});
  EXPECT_EQ(report.at("assets"), 1);
  EXPECT_EQ(report.at("by_state")[0].at("name"), "in_repair");
}

TEST_F(Reconciliation, EventsFollowStreamsNewEventsAsJsonLines) {
  const std::string out = dir_.path() + "/follow.out";
  Daemon follow;
  ASSERT_TRUE(follow.Start({kEstatectl, "--socket", socket_, "events", "--follow"}, out));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  Observe({Arp("f4:f5:e8:00:00:01", "192.0.2.200")});
  ASSERT_TRUE(WaitFor([&] {
    return testing::ReadTextFile(out).find("shadow_device") != std::string::npos;
  })) << testing::ReadTextFile(out);
  follow.Stop(SIGTERM);
  const std::string line =
      testing::ReadTextFile(out).substr(0, testing::ReadTextFile(out).find('\n'));
  auto event = nlohmann::json::parse(line, nullptr, false);
  ASSERT_FALSE(event.is_discarded()) << line;
  EXPECT_EQ(event.at("kind"), "shadow_device");
}

// Issue 25: a VM's NIC (KVM 52:54:00, locally administered) and a container's
// veth are the agent's own interfaces: their sightings land on its asset.
TEST_F(Reconciliation, VirtualMachineAndContainerSightingsLandOnTheirAgentsAssets) {
  const std::string vm = Report(Guest("vm-1", "52:54:00:12:34:56", "192.0.2.21"), "vm-agent");
  const std::string ct =
      Report(Guest("ct-1", "02:fc:00:00:00:07", "192.0.2.22", "veth", true), "ct-agent");
  Observe({Arp("52:54:00:12:34:56", "192.0.2.21"), Arp("02:fc:00:00:00:07", "192.0.2.22"),
           Fdb("52:54:00:12:34:56", "sw-1", "Gi1/0/3", 10)});
  EXPECT_EQ(CtlJson({"assets"}).at("assets").size(), 2u);
  EXPECT_TRUE(CtlJson({"shadow", "--devices"}).at("devices").empty());
  EXPECT_TRUE(Events("shadow_device").empty());
  EXPECT_EQ(CtlJson({"show", "02:fc:00:00:00:07"}).at("id"), ct);
  const nlohmann::json record = CtlJson({"show", "52:54:00:12:34:56"});
  EXPECT_EQ(record.at("id"), vm);
  EXPECT_EQ(record.at("macs")[0], "52:54:00:12:34:56") << "its primary MAC";
  EXPECT_EQ(record.at("location").at("port"), "Gi1/0/3");
  // The list shows the primary MAC.
  const CommandResult table = Ctl({"assets"});
  EXPECT_NE(table.out.find("02:fc:00:00:00:07"), std::string::npos) << table.out;
}

TEST_F(Reconciliation, DiscoveredVirtualMachineMergesWhenItsAgentReports) {
  Observe({Arp("fa:16:3e:aa:bb:cc", "192.0.2.31")});  // an OpenStack guest
  const std::string discovered = CtlJson({"show", "fa:16:3e:aa:bb:cc"}).at("id");
  const std::string asset = Report(Guest("os-vm", "fa:16:3e:aa:bb:cc", "192.0.2.31"), "os-agent");
  EXPECT_EQ(CtlJson({"assets"}).at("assets").size(), 1u);
  EXPECT_EQ(CtlJson({"show", discovered}).at("id"), asset) << "the old id resolves";
  bool shadow_entry = false;
  const nlohmann::json history = CtlJson({"history", asset});
  for (const auto& e : history.at("events")) shadow_entry |= e.at("kind") == "shadow_device";
  EXPECT_TRUE(shadow_entry) << "the discovered record's history is kept";
}

// The merge leaves the MAC indexed to the agent's asset: later sightings land
// there, not on a new shadow twin.
TEST_F(Reconciliation, SightingsAfterTheMergeLandOnTheAgentsAsset) {
  Observe(
      {Arp("52:54:00:aa:bb:01", "192.0.2.32"), Fdb("52:54:00:aa:bb:01", "sw-1", "Gi1/0/7", 10)});
  const std::string asset = Report(Guest("kvm-1", "52:54:00:aa:bb:01", "192.0.2.32"), "kvm-agent");
  const size_t shadow_events = Events("shadow_device").size();
  Observe(
      {Arp("52:54:00:aa:bb:01", "192.0.2.32"), Fdb("52:54:00:aa:bb:01", "sw-1", "Gi1/0/7", 10)});
  EXPECT_EQ(CtlJson({"assets"}).at("assets").size(), 1u);
  EXPECT_EQ(CtlJson({"show", "52:54:00:aa:bb:01"}).at("id"), asset);
  EXPECT_TRUE(CtlJson({"shadow", "--devices"}).at("devices").empty());
  EXPECT_EQ(Events("shadow_device").size(), shadow_events) << "no new shadow device";
}

// A switch answers ARP with a base MAC its inventory does not list: the
// sighting and the inventory are one record whichever comes first.
TEST_F(Reconciliation, SwitchBaseMacAndItsInventoryAreOneRecordInEitherOrder) {
  auto inventory = [](const std::string& ip, const std::string& serial, uint32_t mac_suffix) {
    v1::NetworkDevice d;
    d.set_ip(ip);
    d.set_sys_name("sw-" + serial);
    d.set_type("switch");
    d.set_vendor("Cisco");
    d.set_serial(serial);
    d.set_scanned_at(static_cast<int64_t>(std::time(nullptr)));
    for (uint32_t port = 1; port <= 4; ++port) {
      auto* i = d.add_interfaces();
      i->set_index(port);
      i->set_name("Gi1/0/" + std::to_string(port));
      char mac[32];
      std::snprintf(mac, sizeof mac, "f4:bd:9e:00:%02x:%02x", mac_suffix, port);
      i->set_mac(mac);
    }
    return d;
  };
  auto send_inventory = [&](const v1::NetworkDevice& d) {
    v1::Frame frame;
    frame.mutable_observations()->set_sequence(++scanner_sequence_);
    *frame.mutable_observations()->add_devices() = d;
    EXPECT_TRUE(Send(v1::PEER_KIND_SCANNER, "scanner-1", frame).has_ack());
  };
  // ARP first, then the inventory, then ARP again.
  Observe({Arp("f4:bd:9e:00:01:00", "192.0.2.2")});
  send_inventory(inventory("192.0.2.2", "FOC1", 1));
  Observe({Arp("f4:bd:9e:00:01:00", "192.0.2.2")});
  // The inventory first, then ARP, then the inventory again.
  send_inventory(inventory("192.0.2.3", "FOC2", 2));
  Observe({Arp("f4:bd:9e:00:02:00", "192.0.2.3")});
  send_inventory(inventory("192.0.2.3", "FOC2", 2));
  const auto assets = CtlJson({"assets"}).at("assets");
  ASSERT_EQ(assets.size(), 2u) << assets.dump();
  EXPECT_EQ(CtlJson({"show", "f4:bd:9e:00:01:00"}).at("serial"), "FOC1");
  EXPECT_EQ(CtlJson({"show", "f4:bd:9e:00:02:00"}).at("serial"), "FOC2");
  // A device without an inventory gets no such benefit: a new burned-in MAC
  // at a discovered device's address is another device (DHCP reuses addresses).
  Observe({Arp("00:80:77:00:00:01", "192.0.2.40")});
  Observe({Arp("00:80:77:00:00:02", "192.0.2.40")});
  EXPECT_EQ(CtlJson({"assets"}).at("assets").size(), 4u);
}

// A locally administered MAC is chosen by software: it names a device only
// together with an address the agent reported, so a phone's rotating MAC or a
// clone at another address never joins the agent's machine.
TEST_F(Reconciliation, LocallyAdministeredMacAtAnotherAddressIsNotJoined) {
  const std::string vm = Report(Guest("vm-2", "52:54:00:00:00:42", "192.0.2.42"), "vm-agent");
  Observe({Arp("52:54:00:00:00:42", "192.0.2.99")});
  Observe({Arp("52:54:00:00:00:42", "192.0.2.99")});
  auto assets = CtlJson({"assets"}).at("assets");
  ASSERT_EQ(assets.size(), 2u) << "the clone is one record, seen twice";
  EXPECT_EQ(CtlJson({"show", vm}).at("ips"), nlohmann::json::array({"192.0.2.42"}));
  EXPECT_NE(CtlJson({"show", "192.0.2.99"}).at("id"), vm);
  EXPECT_FALSE(Events("identity_conflict").empty()) << "the clash is told";
  // A universally administered MAC is the hardware's own, wherever it is seen.
  Report(facts_);
  Observe({Arp(kWiredMac, "192.0.2.250")});
  EXPECT_EQ(CtlJson({"assets"}).at("assets").size(), 3u);
}

TEST_F(Reconciliation, TwoAgentsClaimingOneMacAreKeptApartWithAConflict) {
  const std::string a = Report(Guest("clone-a", "52:54:00:00:00:77", "192.0.2.71"), "node-a");
  const std::string b = Report(Guest("clone-b", "52:54:00:00:00:77", "192.0.2.72"), "node-b");
  EXPECT_NE(a, b);
  EXPECT_EQ(CtlJson({"show", "52:54:00:00:00:77"}).at("id"), a);
  const auto conflicts = Events("identity_conflict");
  ASSERT_EQ(conflicts.size(), 1u);
  const std::string summary = conflicts[0].at("summary");
  EXPECT_NE(summary.find("node node-a"), std::string::npos) << summary;
  EXPECT_NE(summary.find("node node-b"), std::string::npos) << summary;
}

TEST_F(Reconciliation, GarbageMacsAreNeverIdentities) {
  for (const char* garbage : {"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:fb"}) {
    const std::string node = std::string("garbage-") + garbage;
    Report(Guest(node, garbage, "192.0.2.80"), node);
  }
  const auto assets = CtlJson({"assets"}).at("assets");
  EXPECT_EQ(assets.size(), 3u);
  for (const auto& a : assets) EXPECT_FALSE(a.contains("macs")) << a.dump();
  EXPECT_TRUE(Events("identity_conflict").empty());
  EXPECT_NE(Ctl({"show", "00:00:00:00:00:00"}).exit_code, 0);
}

TEST_F(Reconciliation, FirstSwitchPortOfAMacIsItsBaselineAndOnlyAMoveIsDrift) {
  const std::string asset = Report(facts_);
  Observe({Fdb(kWiredMac, "sw-floor2", "Gi1/0/5", 20)});
  Observe({Fdb(kWiredMac, "sw-floor2", "Gi1/0/5", 20)});
  EXPECT_TRUE(CtlJson({"drift"}).at("drift").empty());
  EXPECT_TRUE(Events("drift").empty()) << "learning a port is not a move";
  Observe({Fdb(kWiredMac, "sw-floor2", "Gi1/0/9", 20)});
  const nlohmann::json open = CtlJson({"drift", asset});
  ASSERT_EQ(open.at("drift").size(), 1u) << open.dump();
  EXPECT_EQ(open.at("drift")[0].at("fact"), "network.port");
  EXPECT_EQ(open.at("drift")[0].at("severity"), "medium");
  EXPECT_EQ(Events("drift").size(), 1u);
  // A discovered device's first port is no drift either.
  Observe({Fdb("f4:f5:e8:00:00:09", "sw-floor2", "Gi1/0/11", 20)});
  EXPECT_EQ(Events("drift").size(), 1u);
}

}  // namespace
}  // namespace estate
