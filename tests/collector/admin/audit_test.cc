// Locations, audits and periodic validation (issue 30) over a real store and
// writer, without sockets: a simulated fleet on switch ports the location
// map knows; between an audit's start and its report the test removes,
// moves and adds devices and scans barcodes, and checks the report against
// its own record of what it did. Validation rules fire on the right day
// with an injected clock.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "collector/admin/audit_input.h"
#include "collector/admin/command_registry.h"
#include "collector/admin/location_path.h"
#include "collector/admin/verification.h"
#include "estate/logging.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

using nlohmann::json;

TEST(LocationPath, NormalizesAndRefusesMalformedPathsNamingTheField) {
  EXPECT_EQ(*NormalizeLocationPath(" HQ / B2/F3 /R301/ ", "--location"), "HQ/B2/F3/R301");
  auto empty_segment = NormalizeLocationPath("HQ//B2", "--location");
  ASSERT_FALSE(empty_segment.ok());
  EXPECT_NE(empty_segment.status().message().find("--location: 'HQ//B2' has an empty segment"),
            std::string::npos);
  EXPECT_FALSE(NormalizeLocationPath("", "PATH").ok());
  EXPECT_FALSE(NormalizeLocationPath("HQ/B\t2", "PATH").ok());
  EXPECT_FALSE(NormalizeLocationPath("a/b/c/d/e/f/g/h/i", "PATH").ok());
}

TEST(LocationPath, PrefixMatchesWholeSegmentsInAnyCase) {
  EXPECT_TRUE(LocationUnder("HQ/B2/F3/R301", "hq/b2"));
  EXPECT_TRUE(LocationUnder("HQ/B2", "HQ/B2"));
  EXPECT_FALSE(LocationUnder("HQ/B20/F1", "HQ/B2")) << "B20 is not inside B2";
  EXPECT_FALSE(LocationUnder("HQ", "HQ/B2"));
  EXPECT_TRUE(LocationsDisagree("HQ/B2/F3/R301", "HQ/B2/F3/R302"));
  EXPECT_FALSE(LocationsDisagree("HQ/B2/F3/R301", "HQ")) << "a room agrees with its site";
  EXPECT_FALSE(LocationsDisagree("", "HQ/B2"));
}

TEST(AuditInput, ReadsWhatABarcodeScannerTypes) {
  // CR LF line ends, a blank line, spaces around a code.
  auto codes = ParseScannedCodes("IT-0001\r\n\r\n  SN-0042 \r\nIT-0003\n");
  ASSERT_TRUE(codes.ok());
  ASSERT_EQ(codes->size(), 3u);
  EXPECT_EQ((*codes)[0].code, "IT-0001");
  EXPECT_EQ((*codes)[1].code, "SN-0042");
  EXPECT_EQ((*codes)[1].line, 3u);
  EXPECT_EQ((*codes)[2].code, "IT-0003");
  auto tab = ParseScannedCodes("IT-0001\nIT\t0002\n");
  ASSERT_FALSE(tab.ok());
  EXPECT_NE(tab.status().message().find("line 2"), std::string::npos);
}

TEST(AuditInput, ReadsACsvWithCodeAndLocationColumns) {
  auto rows = ParseConfirmationCsv(
      "\xEF\xBB\xBFSerial,Location\r\nSN-1,HQ/B2/F3/R301\r\n\r\n\"SN,2\",\r\n");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].location, "HQ/B2/F3/R301");
  EXPECT_EQ((*rows)[1].code, "SN,2");
  EXPECT_EQ((*rows)[1].line, 4u);
  auto unknown = ParseConfirmationCsv("tag,room\nIT-1,R1\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("line 1: unknown column 'room'"), std::string::npos);
  auto empty_code = ParseConfirmationCsv("tag,location\nIT-1,R1\n,R2\n");
  ASSERT_FALSE(empty_code.ok());
  EXPECT_NE(empty_code.status().message().find("line 3"), std::string::npos);
}

v1::AdminRequest Request(const std::string& command, std::vector<std::string> args = {},
                         std::map<std::string, std::string> options = {}) {
  v1::AdminRequest request;
  request.set_command(command);
  for (auto& a : args) request.add_args(a);
  for (auto& [k, v] : options) (*request.mutable_options())[k] = v;
  return request;
}

class Audits : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open({dir_.path() + "/db"});
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    ingestor_ = std::make_unique<Ingestor>(*store_, GetLogger("test.ingest"));
    ASSERT_TRUE(ingestor_->Start().ok());
  }
  void TearDown() override { ingestor_->Stop(); }

  v1::AdminResponse Run(const v1::AdminRequest& request, Role role = Role::kAdmin,
                        const std::string& user = "root") {
    AdminContext context{*store_, counters_, *ingestor_,
                         Caller{.uid = 0, .user = user, .role = role}};
    return registry_.Execute(request, context);
  }
  json Ok(const v1::AdminRequest& request, Role role = Role::kAdmin,
          const std::string& user = "root") {
    v1::AdminResponse r = Run(request, role, user);
    EXPECT_TRUE(r.ok()) << request.command() << " " << (request.args_size() ? request.args(0) : "")
                        << ": " << r.error();
    return r.ok() ? json::parse(r.json()) : json();
  }
  std::string Error(const v1::AdminRequest& request, Role role = Role::kAdmin) {
    v1::AdminResponse r = Run(request, role);
    EXPECT_FALSE(r.ok()) << request.command() << " succeeded: " << r.json();
    return r.error();
  }

  void Submit(const Peer& peer, v1::Frame frame) {
    std::promise<v1::Frame> answer;
    ingestor_->Submit(peer, std::move(frame), [&](v1::Frame a) { answer.set_value(std::move(a)); });
    ASSERT_TRUE(answer.get_future().get().has_ack());
  }

  static std::string Mac(int n) {
    char mac[32];
    std::snprintf(mac, sizeof mac, "00:1b:21:00:01:%02x", n);
    return mac;
  }
  static std::string Ip(int n) { return "10.20.3." + std::to_string(n); }

  // Laptop n's agent reports: host lap-n, serial SN-n, one NIC.
  void AgentReports(int n) {
    v1::Frame frame;
    frame.mutable_full_report()->set_sequence(++sequence_[n]);
    auto* facts = frame.mutable_full_report()->mutable_facts();
    facts->set_hostname("lap-" + std::to_string(n));
    facts->set_machine_id("machine-id-of-lap-" + std::to_string(n) + "-0123456789");
    facts->mutable_dmi()->set_serial("SN-" + std::to_string(n));
    auto* nic = facts->mutable_network()->add_interfaces();
    nic->set_name("eth0");
    nic->set_mac(Mac(n));
    nic->set_kind("physical");
    auto* addr = nic->add_addresses();
    addr->set_address(Ip(n));
    addr->set_prefix_length(16);
    addr->set_family("ipv4");
    addr->set_scope("global");
    Submit(Peer{"node-lap-" + std::to_string(n), "", "", v1::PEER_KIND_AGENT}, std::move(frame));
  }

  // The switch's forwarding table places MAC `n` on a port (and ARP its address).
  void SwitchSees(int n, const std::string& port) {
    v1::Frame frame;
    auto* report = frame.mutable_observations();
    report->set_sequence(++scanner_sequence_);
    auto* fdb = report->add_observations();
    fdb->set_source(v1::OBSERVATION_SOURCE_SNMP_FDB);
    fdb->set_mac(Mac(n));
    fdb->mutable_switch_port()->set_device("sw-b2");
    fdb->mutable_switch_port()->set_port(port);
    fdb->mutable_switch_port()->set_vlan(10);
    fdb->set_seen_at(UnixNow());
    auto* arp = report->add_observations();
    arp->set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
    arp->set_mac(Mac(n));
    arp->set_ip(Ip(n));
    arp->set_seen_at(UnixNow());
    Submit(Peer{"scanner-1", "", "", v1::PEER_KIND_SCANNER}, std::move(frame));
  }

  static int64_t UnixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Ingestor> ingestor_;
  ServerCounters counters_;
  CommandRegistry registry_ = MakeBuiltinCommands();
  std::map<int, uint64_t> sequence_;
  uint64_t scanner_sequence_ = 0;
};

TEST_F(Audits, LocationMapInfersWhereTheNetworkSawTheDeviceAndReportsMismatches) {
  Ok(Request("location", {"map", "HQ/B2/F3/R301"}, {{"switch", "sw-b2"}, {"port", "Gi1/0/1"}}));
  Ok(Request("location", {"map", "HQ/B2/F3"}, {{"switch", "SW-B2"}}));
  Ok(Request("location", {"map", "HQ"}, {{"subnet", "10.20.0.0/16"}}));
  EXPECT_EQ(Ok(Request("location", {"list"})).at("locations").size(), 3u);
  for (int n : {1, 2, 3}) AgentReports(n);
  SwitchSees(1, "Gi1/0/1");
  SwitchSees(2, "Gi1/0/9");  // a port of the switch the map does not name
  Ok(Request("set", {"lap-1", "location=HQ/B2/F3/R301"}));
  Ok(Request("set", {"lap-2", "location=HQ/B1/F1/R101"}));
  Ok(Request("set", {"lap-3", "location=HQ/B20"}));

  json one = Ok(Request("show", {"lap-1"}));
  EXPECT_EQ(one.at("location_inferred").at("path"), "HQ/B2/F3/R301");
  EXPECT_EQ(one.at("location_inferred").at("basis"), "switch sw-b2 port Gi1/0/1");
  EXPECT_FALSE(one.at("location_inferred").at("mismatch").get<bool>());
  json two = Ok(Request("show", {"lap-2"}));
  EXPECT_EQ(two.at("location_inferred").at("path"), "HQ/B2/F3") << "the whole switch";
  EXPECT_TRUE(two.at("location_inferred").at("mismatch").get<bool>());
  json three = Ok(Request("show", {"lap-3"}));
  EXPECT_EQ(three.at("location_inferred").at("path"), "HQ") << "its subnet only";

  auto ids = [](const json& answer) {
    std::vector<std::string> out;
    for (const auto& a : answer.at("assets")) out.push_back(a.at("hostname"));
    return out;
  };
  EXPECT_EQ(ids(Ok(Request("assets", {}, {{"location", "hq/b2"}}))),
            std::vector<std::string>{"lap-1"})
      << "HQ/B20 is not under HQ/B2";
  EXPECT_EQ(ids(Ok(Request("assets", {}, {{"seen-in", "HQ/B2"}}))),
            (std::vector<std::string>{"lap-1", "lap-2"}));
  EXPECT_EQ(ids(Ok(Request("assets", {}, {{"location-mismatch", "true"}}))),
            std::vector<std::string>{"lap-2"});
  json report = Ok(Request("report", {}, {{"no-software", "true"}}));
  ASSERT_EQ(report.at("location_mismatches").size(), 1u);
  EXPECT_EQ(report.at("location_mismatches")[0].at("seen"), "HQ/B2/F3");

  // Bad input names the field.
  EXPECT_NE(
      Error(Request("location", {"map", "HQ"}, {{"subnet", "10.20.0.0/33"}})).find("--subnet"),
      std::string::npos);
  EXPECT_NE(
      Error(Request("location", {"map", "HQ//B2"}, {{"switch", "sw"}})).find("PATH: 'HQ//B2'"),
      std::string::npos);
  EXPECT_NE(
      Error(Request("location", {"map", "HQ"}, {{"port", "Gi1"}})).find("--port needs --switch"),
      std::string::npos);
  EXPECT_NE(Error(Request("assets", {}, {{"location", "HQ//B2"}})).find("--location"),
            std::string::npos);
  EXPECT_NE(Error(Request("location", {"unmap"}, {{"subnet", "10.9.0.0/16"}})).find("not mapped"),
            std::string::npos);
  Ok(Request("location", {"unmap"}, {{"subnet", "10.20.0.0/16"}}));
  EXPECT_FALSE(Ok(Request("show", {"lap-3"})).contains("location_inferred"));
  // Mapping is an admin's; a viewer reads.
  EXPECT_FALSE(Run(Request("location", {"map", "HQ"}, {{"switch", "x"}}), Role::kTechnician).ok());
  EXPECT_TRUE(Run(Request("location", {"list"}), Role::kViewer).ok());
}

TEST_F(Audits, ReportOverASimulatedFleetMatchesWhatTheTestDid) {
  // Rooms: port Gi1/0/n is room R30n of HQ/B2/F3; Gi1/0/40 is on floor 4.
  for (int p = 1; p <= 9; ++p) {
    Ok(Request("location", {"map", "HQ/B2/F3/R30" + std::to_string(p)},
               {{"switch", "sw-b2"}, {"port", "Gi1/0/" + std::to_string(p)}}));
  }
  Ok(Request("location", {"map", "HQ/B2/F4/R410"}, {{"switch", "sw-b2"}, {"port", "Gi1/0/40"}}));
  // The fleet: laptops 1-8 recorded on floor 3 of building 2, 9-10 in building 1.
  for (int n = 1; n <= 10; ++n) {
    AgentReports(n);
    const std::string where =
        n <= 8 ? "HQ/B2/F3/R30" + std::to_string((n - 1) % 9 + 1) : "HQ/B1/F1/R101";
    Ok(Request("set", {"lap-" + std::to_string(n), "class=laptop",
                       "asset_tag=IT-000" + std::to_string(n - 1), "location=" + where}));
  }
  // Discovery before the start is no evidence: wait for the next second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  json started =
      Ok(Request("audit", {"start", "Q4-B2"}, {{"location", "HQ/B2"}, {"class", "laptop"}}));
  EXPECT_EQ(started.at("expected"), 8);
  EXPECT_NE(Error(Request("audit", {"start", "q4-b2"})).find("exists"), std::string::npos);

  // What the test does, and so what the report must say.
  std::map<std::string, std::string> truth;  // host name -> status
  AgentReports(1);
  truth["lap-1"] = "found";  // its agent reported
  AgentReports(6);
  SwitchSees(6, "Gi1/0/6");
  truth["lap-6"] = "found";                     // agent and switch, in its recorded room
  truth["lap-2"] = truth["lap-3"] = "missing";  // removed: nothing reports them
  AgentReports(4);
  SwitchSees(4, "Gi1/0/40");
  truth["lap-4"] = "moved";  // the network places it on floor 4
  // Barcodes: lap-5 scanned in another room, lap-7 by tag, lap-8 by serial in
  // lower case, lap-9 (recorded in building 1) found here, one unknown code.
  json scanned =
      Ok(Request("audit",
                 {"confirm", "q4-b2", "IT-0004\r\n\r\nIT-0006 \r\nsn-8\r\nIT-0008\r\nIT-9999\r\n"},
                 {{"location", "HQ/B2/F3/R309"}}),
         Role::kTechnician, "tina");
  EXPECT_EQ(scanned.at("confirmed"), 4);
  ASSERT_EQ(scanned.at("unknown").size(), 1u);
  EXPECT_EQ(scanned.at("unknown")[0].at("code"), "IT-9999");
  EXPECT_EQ(scanned.at("unknown")[0].at("line"), 6);
  truth["lap-5"] = "moved";  // recorded R305, scanned in R309
  truth["lap-7"] = "moved";  // recorded R307, scanned in R309
  truth["lap-8"] = "moved";
  truth["lap-9"] = "unexpected";  // registered in building 1
  // Scanned again in its own room: the newest confirmation counts.
  Ok(Request("audit", {"confirm", "q4-b2", "IT-0006"}, {{"location", "HQ/B2/F3/R307"}}),
     Role::kTechnician, "tina");
  truth["lap-7"] = "found";
  // Added: a new laptop recorded in scope whose agent reports during the audit.
  AgentReports(11);
  Ok(Request("set", {"lap-11", "class=laptop", "location=HQ/B2/F3/R302"}));
  truth["lap-11"] = "unexpected";
  // And a device nobody registered, on a port of floor 3.
  SwitchSees(12, "Gi1/0/2");
  truth["10.20.3.12"] = "shadow";
  // lap-10 reports too, but is out of scope and unconfirmed: not in the report.
  AgentReports(10);

  json report = Ok(Request("audit", {"report", "q4-b2"}), Role::kViewer);
  std::map<std::string, std::string> got;
  std::string unknown_code;
  for (const auto& row : report.at("assets")) {
    const std::string host = row.at("hostname");
    if (row.at("asset_id") == "") {
      unknown_code = row.at("code");
      EXPECT_EQ(row.at("status"), "shadow");
      continue;
    }
    got[host.empty() ? std::string(row.at("asset_id")) : host] = row.at("status");
    if (host == "lap-5") {
      EXPECT_EQ(row.at("confirmed_by"), "user:tina");
      EXPECT_EQ(row.at("seen_location"), "HQ/B2/F3/R309");
      EXPECT_EQ(row.at("recorded_location"), "HQ/B2/F3/R305");
    }
    if (host == "lap-4") {
      EXPECT_EQ(row.at("seen_location"), "HQ/B2/F4/R410");
    }
    if (host == "lap-2") {
      EXPECT_EQ(row.at("evidence"), "");
    }
  }
  EXPECT_EQ(unknown_code, "IT-9999");
  // The shadow device has no host name: found by its address.
  std::string shadow_key;
  for (const auto& [k, v] : got) {
    if (k.rfind("lap-", 0) != 0) shadow_key = k;
  }
  ASSERT_FALSE(shadow_key.empty()) << report.dump(1);
  got["10.20.3.12"] = got[shadow_key];
  got.erase(shadow_key);
  EXPECT_EQ(got, truth) << report.dump(1);
  EXPECT_EQ(report.at("counts").at("missing"), 2);
  EXPECT_EQ(report.at("counts").at("shadow"), 2) << "the unregistered device and the unknown code";
  EXPECT_EQ(Ok(Request("audit", {"report", "q4-b2"}, {{"status", "missing"}})).at("assets").size(),
            2u);

  // Technicians confirm; closing is an admin's.
  EXPECT_FALSE(Run(Request("audit", {"close", "q4-b2"}), Role::kTechnician).ok());
  EXPECT_FALSE(Run(Request("audit", {"confirm", "q4-b2", "IT-0001"}), Role::kViewer).ok());
  json closed = Ok(Request("audit", {"close", "q4-b2"}));
  EXPECT_EQ(closed.at("state"), "closed");
  EXPECT_EQ(closed.at("outcome").at("missing"), 2);
  EXPECT_NE(Error(Request("audit", {"confirm", "q4-b2", "IT-0001"}), Role::kTechnician)
                .find("was closed"),
            std::string::npos);
  EXPECT_NE(Error(Request("audit", {"close", "q4-b2"})).find("was closed"), std::string::npos);
  // Each asset carries its outcome and the entry in its history.
  json lap2 = Ok(Request("show", {"lap-2"}));
  EXPECT_EQ(lap2.at("audit").at("outcome"), "missing");
  EXPECT_EQ(lap2.at("audit").at("audit"), "q4-b2");
  EXPECT_FALSE(lap2.at("audit").at("last_audited").get<std::string>().empty());
  bool audited = false;
  const json history = Ok(Request("history", {"lap-2"}));
  for (const auto& e : history.at("events")) {
    audited |= e.at("kind") == "audited" &&
               e.at("summary").get<std::string>().find("missing") != std::string::npos;
  }
  EXPECT_TRUE(audited) << history.dump(1);
  // A closed audit reports what was recorded, even after lap-2 comes back.
  AgentReports(2);
  json after = Ok(Request("audit", {"report", "q4-b2"}));
  EXPECT_EQ(after.at("counts"), report.at("counts"));
  json list = Ok(Request("audit", {"list"}), Role::kViewer);
  ASSERT_EQ(list.at("audits").size(), 1u);
  EXPECT_EQ(list.at("audits")[0].at("state"), "closed");
}

TEST_F(Audits, BadInputIsRefusedNamingTheField) {
  EXPECT_NE(Error(Request("audit", {"report", "nope"})).find("no audit named 'nope'"),
            std::string::npos);
  EXPECT_NE(Error(Request("audit", {"confirm", "nope", "IT-1"})).find("no audit named"),
            std::string::npos);
  EXPECT_NE(Error(Request("audit", {"start", "bad name!"})).find("NAME: 'bad name!'"),
            std::string::npos);
  EXPECT_NE(Error(Request("audit", {"start", "a"}, {{"subnet", "10.0.0.0/40"}})).find("bad prefix"),
            std::string::npos);
  EXPECT_NE(Error(Request("audit", {"start", "a"}, {{"location", "HQ//B2"}})).find("--location"),
            std::string::npos);
  Ok(Request("audit", {"start", "a"}));
  EXPECT_NE(
      Error(Request("audit", {"confirm", "a", "IT-1"}, {{"location", "/"}})).find("--location"),
      std::string::npos);
  EXPECT_NE(Error(Request("audit", {"confirm", "a", "tag,room\nIT-1,R1\n"}, {{"file", "scan.csv"}}))
                .find("scan.csv: line 1: unknown column 'room'"),
            std::string::npos);
  EXPECT_NE(
      Error(Request("class", {"set", "laptop"}, {{"verify-every", "soon"}})).find("--verify-every"),
      std::string::npos);
  EXPECT_NE(
      Error(Request("class", {"set", "laptop"}, {{"verify-every", "30d"}, {"verify-by", "agnet"}}))
          .find("did you mean 'agent'"),
      std::string::npos);
}

TEST_F(Audits, ValidationRuleRaisesUnverifiedOnTheRightDayOnce) {
  for (int n : {1, 2}) {
    AgentReports(n);
    Ok(Request("set", {"lap-" + std::to_string(n), "class=laptop"}));
  }
  AgentReports(3);  // a server: no rule
  Ok(Request("set", {"lap-3", "class=server"}));
  Ok(Request("class", {"set", "laptop"}, {{"verify-every", "180d"}, {"verify-by", "agent,audit"}}));
  bool listed = false;
  const json classes = Ok(Request("class"));
  for (const auto& c : classes.at("classes")) {
    if (c.at("name") == "laptop") listed = c.at("verify") == "180d agent,audit";
  }
  EXPECT_TRUE(listed) << classes.dump(1);
  const int64_t now = UnixNow();
  auto run = [&](int64_t at) {
    auto r = RunVerificationRules(*store_, *ingestor_, "test", at);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->at("unverified").get<int>() : -1;
  };
  EXPECT_EQ(run(now + 179 * 86400), 0);
  EXPECT_EQ(run(now + 181 * 86400), 2) << "both laptops, on day 181";
  EXPECT_EQ(run(now + 182 * 86400), 0) << "once per lapse";
  auto lapsed = UnverifiedAssets(*store_, now + 181 * 86400);
  ASSERT_TRUE(lapsed.ok());
  ASSERT_EQ(lapsed->size(), 2u);
  EXPECT_EQ((*lapsed)[0].at("verified_by"), "agent");
  uint64_t events = 0;
  const json all = Ok(Request("events", {}, {{"kind", "asset_unverified"}}));
  for (const auto& e : all.at("events")) {
    events += e.at("kind") == "asset_unverified";
  }
  EXPECT_EQ(events, 2u) << all.dump(1);
  // Only people count now: lap-1 is confirmed in an audit, lap-2's agent reports no longer verify
  // it.
  Ok(Request("class", {"set", "laptop"}, {{"verify-every", "1d"}, {"verify-by", "audit"}}));
  Ok(Request("audit", {"start", "spot"}));
  Ok(Request("audit", {"confirm", "spot", "SN-1"}), Role::kTechnician);
  auto audit_only = UnverifiedAssets(*store_, now + 12 * 3600);
  ASSERT_TRUE(audit_only.ok());
  ASSERT_EQ(audit_only->size(), 1u);
  EXPECT_EQ((*audit_only)[0].at("hostname"), "lap-2");
  EXPECT_EQ((*audit_only)[0].at("last_verified"), "") << "never confirmed by a person";
  // lap-1's lapse is over: its marker is cleared, so a later lapse is raised again.
  auto cleared = RunVerificationRules(*store_, *ingestor_, "test", now + 12 * 3600);
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(cleared->at("reverified"), 1);
  EXPECT_EQ(run(now + 2 * 86400), 1) << "lap-1 lapsed again";
}

}  // namespace
}  // namespace estate::collector
