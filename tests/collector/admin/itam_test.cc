// Licences, compliance, contracts and their time rules over a real store and
// writer (issue 29): a simulated fleet reports its software through the
// ingestor, and the compliance figures are checked against counts the test
// computes on its own from what it sent; expiry events fire on the right days
// of an injected clock.
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/command_registry.h"
#include "collector/admin/itam_rules.h"
#include "collector/admin/licence_compliance.h"
#include "collector/admin/money.h"
#include "collector/store/keys.h"
#include "estate/logging.h"
#include "estate/version_compare.h"
#include "tests/collector/admin/admin_fixture.h"

namespace estate::collector {
namespace {

using nlohmann::json;

// One simulated host: what it has installed (name -> version) and its owner.
struct SimHost {
  std::string name, owner;
  std::map<std::string, std::string> packages;
  uint32_t sockets = 0, cores = 0, logical = 0;  // CPU facts; none when logical is 0
};

int64_t At(const char* date) { return *DaysFromIsoDate(date) * 86400 + 3600; }

class Itam : public AdminCommands {
 protected:
  // The host reports its packages (and CPU) as an agent does, a full report
  // each time; its owner is set after.
  void Report(const SimHost& host) {
    v1::HostFacts facts;
    facts.set_hostname(host.name);
    facts.set_machine_id(host.name + "-machine-id-0123456789abcdef");
    if (host.logical > 0) {
      facts.mutable_cpu()->set_sockets(host.sockets);
      facts.mutable_cpu()->set_cores(host.cores);
      facts.mutable_cpu()->set_logical(host.logical);
    }
    for (const auto& [name, version] : host.packages) {
      auto* p = facts.add_software();
      p->set_name(name);
      p->set_version(version);
      p->set_architecture("amd64");
      p->set_source("deb");
      p->set_publisher("Acme Software");
    }
    Reported("node-" + host.name, facts);
    if (!host.owner.empty()) Ok(Request("set", {host.name, "owner=" + host.owner}));
  }

  // Compliance as the command answers it (from the title index), checked
  // against the same computation scanning every software set.
  json Compliance() {
    json indexed = Ok(Request("compliance"));
    auto licences = LoadLicences(*store_);
    EXPECT_TRUE(licences.ok());
    auto scanned = ComputeCompliance(*store_, ingestor_->software().catalogue(), *licences,
                                     DayOfTime(UnixNow()), "", ScanInstalls(*store_),
                                     /*max_hosts=*/100);  // the command's default
    EXPECT_TRUE(scanned.ok());
    if (scanned.ok()) {
      EXPECT_EQ(indexed, *scanned) << "the index and a scan disagree";
    }
    return indexed;
  }

  std::vector<json> Events(const std::string& kind) {
    // Straight from the event log, in sequence order.
    std::vector<json> out;
    EXPECT_TRUE(store_
                    ->Scan(Table::kEvents, "",
                           [&](std::string_view, std::string_view v) {
                             v1::Event e;
                             if (e.ParseFromArray(v.data(), static_cast<int>(v.size())) &&
                                 e.kind() == kind) {
                               out.push_back({{"kind", e.kind()},
                                              {"severity", e.severity()},
                                              {"summary", e.summary()}});
                             }
                             return true;
                           })
                    .ok());
    return out;
  }

  json Product(const json& compliance, const std::string& name) {
    for (const auto& p : compliance.at("products")) {
      if (p.at("product") == name) return p;
    }
    ADD_FAILURE() << "no product " << name << " in " << compliance.dump();
    return json();
  }
  json Licence(const json& compliance, const std::string& id) {
    for (const auto& l : compliance.at("licences")) {
      if (l.at("id") == id) return l;
    }
    ADD_FAILURE() << "no licence " << id;
    return json();
  }
};

TEST_F(Itam, ComplianceMatchesCountsComputedFromTheFleet) {
  // 60 hosts, 12 owners (some hosts have none); office-suite at one of three
  // versions on some, cad-pro on others, both or neither.
  std::mt19937 random(29);
  std::vector<SimHost> fleet;
  const std::vector<std::string> office_versions = {"2019.1", "2021.3", "2024.0"};
  for (int i = 0; i < 60; ++i) {
    SimHost h;
    h.name = "host-" + std::to_string(i);
    if (random() % 5 != 0) h.owner = "user" + std::to_string(random() % 12);
    if (random() % 3 != 0) h.packages["office-suite"] = office_versions[random() % 3];
    if (random() % 2 == 0) h.packages["cad-pro"] = "7." + std::to_string(random() % 4);
    h.packages["coreutils"] = "9.1";
    fleet.push_back(h);
    Report(h);
  }
  // Independently: who needs what.
  std::set<std::string> office_hosts, office_covered_versions;
  size_t office_eligible = 0;
  std::set<std::string> cad_users;
  size_t cad_hosts = 0;
  for (const auto& h : fleet) {
    auto o = h.packages.find("office-suite");
    if (o != h.packages.end()) {
      office_hosts.insert(h.name);
      if (CompareVersions(o->second, "2021") >= 0) ++office_eligible;
    }
    if (h.packages.count("cad-pro")) {
      ++cad_hosts;
      cad_users.insert(h.owner.empty() ? "asset:" + h.name : h.owner);
    }
  }
  ASSERT_GT(office_eligible, 10u);
  ASSERT_LT(office_eligible, office_hosts.size()) << "some installs must be of 2019";

  // office-suite 2021 and later, per device, 10 seats short of the eligible hosts.
  const uint64_t office_quantity = office_eligible - 10;
  json added = Ok(Request("licence", {"add", "OFF-1"},
                          {{"product", "office-suite"},
                           {"publisher", "Acme*"},
                           {"min-version", "2021"},
                           {"metric", "per_device"},
                           {"quantity", std::to_string(office_quantity)},
                           {"start", "2024-01-01"},
                           {"end", "2099-12-31"},
                           {"cost", "5000 EUR"},
                           {"vendor", "Acme"},
                           {"po", "PO-77"}}));
  EXPECT_TRUE(added.at("warnings").empty()) << added.dump();
  // cad-pro per user, 5 more than the users.
  Ok(Request("licence", {"add", "CAD-1"},
             {{"product", "cad-pro"},
              {"metric", "per_user"},
              {"quantity", std::to_string(cad_users.size() + 5)}}));

  json c = Compliance();
  json office = Product(c, "office-suite");
  EXPECT_EQ(office.at("installs"), office_hosts.size());
  EXPECT_EQ(office.at("entitled"), office_quantity);
  EXPECT_EQ(office.at("used"), office_quantity);
  EXPECT_EQ(office.at("unlicensed_installs"), office_hosts.size() - office_quantity);
  EXPECT_EQ(office.at("status"), "under-licensed");
  EXPECT_EQ(office.at("covered_hosts").size(), office_quantity);
  // The hosts behind the number: every 2019 install is among them, for its version.
  size_t not_covered_version = 0;
  std::set<std::string> named;
  for (const auto& h : office.at("unlicensed_hosts")) {
    named.insert(h.at("hostname").get<std::string>());
    if (h.at("reason") == "installed version is not covered") ++not_covered_version;
  }
  EXPECT_EQ(not_covered_version, office_hosts.size() - office_eligible);
  EXPECT_EQ(named.size(), office_hosts.size() - office_quantity);
  for (const auto& name : named) EXPECT_TRUE(office_hosts.count(name)) << name;

  json cad = Product(c, "cad-pro");
  EXPECT_EQ(cad.at("installs"), cad_hosts);
  EXPECT_EQ(cad.at("used"), cad_users.size());
  EXPECT_EQ(cad.at("available"), 5);
  EXPECT_EQ(cad.at("status"), "over-licensed");
  EXPECT_EQ(cad.at("unlicensed_installs"), 0);
  EXPECT_EQ(Licence(c, "CAD-1").at("status"), "over-licensed");

  // --product narrows; CSV-able rows; the licence list carries usage.
  json only = Ok(Request("compliance", {}, {{"product", "cad-pro"}}));
  EXPECT_EQ(only.at("products").size(), 1u);
  EXPECT_NE(Error(Request("compliance", {}, {{"product", "nothing-like-it"}})).find("no licence"),
            std::string::npos);
  EXPECT_EQ(only.at("products")[0].at("hosts_truncated"), false);
  // --hosts N names at most N hosts a list; the counts stay exact and the
  // cut lists are marked.
  json cut = Ok(Request("compliance", {}, {{"hosts", "2"}}));
  json cut_office = Product(cut, "office-suite");
  EXPECT_EQ(cut_office.at("covered_hosts").size(), 2u);
  EXPECT_EQ(cut_office.at("unlicensed_hosts").size(), 2u);
  EXPECT_EQ(cut_office.at("hosts_truncated"), true);
  EXPECT_EQ(cut_office.at("covered_installs"), office_quantity);
  for (const char* k : {"installs", "entitled", "used", "unlicensed_installs", "status"}) {
    EXPECT_EQ(cut_office.at(k), office.at(k)) << k;
  }
  EXPECT_EQ(Licence(cut, "OFF-1").at("hosts").size(), 2u);
  EXPECT_EQ(Licence(cut, "OFF-1").at("host_count"), office_quantity);
  EXPECT_EQ(Licence(cut, "OFF-1").at("hosts_truncated"), true);
  EXPECT_EQ(Licence(c, "OFF-1").at("hosts_truncated"), false);
  EXPECT_NE(Error(Request("compliance", {}, {{"hosts", "many"}})).find("--hosts"),
            std::string::npos);
  json list = Ok(Request("licence"));
  ASSERT_EQ(list.at("licences").size(), 2u);

  // A true-up of 10 seats makes office-suite's 2021+ installs compliant; the
  // 2019 ones stay unlicensed.
  Ok(Request("licence", {"set", "OFF-1"}, {{"quantity", std::to_string(office_eligible)}}));
  office = Product(Compliance(), "office-suite");
  EXPECT_EQ(office.at("used"), office_eligible);
  EXPECT_EQ(office.at("unlicensed_installs"), office_hosts.size() - office_eligible);

  // Before the licence started, nothing is licensed.
  office = Product(Ok(Request("compliance", {}, {{"at", "2023-06-01"}})), "office-suite");
  EXPECT_EQ(office.at("used"), 0);
  EXPECT_EQ(office.at("unlicensed_installs"), office_hosts.size());

  // History: added, then changed, with the field.
  json shown = Ok(Request("licence", {"show", "OFF-1"}));
  ASSERT_EQ(shown.at("history").size(), 2u);
  EXPECT_EQ(shown.at("history")[1].at("kind"), "licence_changed");
  EXPECT_EQ(shown.at("history")[1].at("changes")[0].at("field"), "quantity");
  EXPECT_EQ(shown.at("compliance").at("used"), office_eligible);
}

TEST_F(Itam, AnAssignedLicenceCoversOnlyItsAssetsAndPeople) {
  Report({"ws-1", "alice", {{"viewer", "3.0"}}});
  Report({"ws-2", "bob", {{"viewer", "3.0"}}});
  Report({"ws-3", "carol", {{"viewer", "3.0"}}});
  Ok(Request("licence", {"add", "V-1"},
             {{"product", "viewer"}, {"metric", "per_device"}, {"quantity", "5"}}));
  Ok(Request("licence", {"assign", "V-1"}, {{"asset", "ws-1"}}));
  Ok(Request("licence", {"assign", "V-1"}, {{"person", "Bob"}}));
  json p = Product(Compliance(), "viewer");
  EXPECT_EQ(p.at("used"), 2);
  ASSERT_EQ(p.at("unlicensed_hosts").size(), 1u);
  EXPECT_EQ(p.at("unlicensed_hosts")[0].at("hostname"), "ws-3");
  EXPECT_EQ(p.at("unlicensed_hosts")[0].at("reason"), "not assigned to this host or its user");
  Ok(Request("licence", {"assign", "V-1"}, {{"asset", "ws-1"}, {"unassign", "true"}}));
  p = Product(Compliance(), "viewer");
  EXPECT_EQ(p.at("used"), 1);  // bob's only
}

TEST_F(Itam, BadLicencesAreRefusedNamingTheField) {
  Report({"ws-1", "", {{"viewer", "3.0"}}});
  EXPECT_NE(Error(Request("licence", {"add", "X"},
                          {{"product", "viewer"},
                           {"metric", "per_device"},
                           {"quantity", "1"},
                           {"start", "2026-05-01"},
                           {"end", "2026-04-01"}}))
                .find("end: 2026-04-01 is before start 2026-05-01"),
            std::string::npos);
  EXPECT_NE(
      Error(Request("licence", {"add", "X"}, {{"product", "viewer"}, {"metric", "per_device"}}))
          .find("quantity:"),
      std::string::npos);
  EXPECT_NE(Error(Request("licence", {"add", "X"},
                          {{"product", "viewer"}, {"metric", "per_device"}, {"quantity", "-3"}}))
                .find("quantity"),
            std::string::npos);
  EXPECT_NE(Error(Request("licence", {"add", "X"},
                          {{"product", "viewer"}, {"metric", "per_devic"}, {"quantity", "1"}}))
                .find("did you mean 'per_device'"),
            std::string::npos);
  EXPECT_NE(Error(Request("licence", {"add", "X"},
                          {{"product", "viewer"},
                           {"metric", "per_device"},
                           {"quantity", "1"},
                           {"cost", "10 USX"}}))
                .find("cost: 'USX' is not an ISO 4217 currency"),
            std::string::npos);
  EXPECT_NE(Error(Request("licence", {"add", "X"},
                          {{"product", "viewer"},
                           {"metric", "per_device"},
                           {"quantity", "1"},
                           {"min-version", "4"},
                           {"max-version", "3"}}))
                .find("min-version"),
            std::string::npos);
  EXPECT_TRUE(Ok(Request("licence")).at("licences").empty()) << "nothing refused was stored";
  // Accepted with a warning: a rule matching nothing reported, a second metric.
  json w = Ok(Request("licence", {"add", "Y"},
                      {{"product", "vieuwer"}, {"metric", "per_device"}, {"quantity", "1"}}));
  ASSERT_EQ(w.at("warnings").size(), 1u);
  EXPECT_NE(w.at("warnings")[0].get<std::string>().find("product: 'vieuwer' matches no software"),
            std::string::npos);
  Ok(Request("licence", {"add", "Z1"}, {{"product", "viewer"}, {"metric", "site"}}));
  json mixed = Ok(Request("licence", {"add", "Z2"},
                          {{"product", "viewer"}, {"metric", "per_user"}, {"quantity", "2"}}));
  ASSERT_FALSE(mixed.at("warnings").empty());
  EXPECT_NE(mixed.at("warnings")[0].get<std::string>().find("metric:"), std::string::npos);
  EXPECT_NE(Error(Request("licence", {"show", "nope"})).find("no licence nope"), std::string::npos);
  Ok(Request("licence", {"remove", "Y"}));
  EXPECT_EQ(Ok(Request("licence")).at("licences").size(), 2u);
}

TEST_F(Itam, ExpiryEventsFireAt90And30And7DaysAndOnce) {
  Ok(Request("licence", {"add", "L-END"},
             {{"product", "viewer"}, {"metric", "site"}, {"end", "2027-03-31"}}));
  Ok(Request("contract", {"add", "C-1"},
             {{"type", "support"},
              {"vendor", "Acme"},
              {"start", "2026-04-01"},
              {"end", "2027-03-31"},
              {"notice", "60"},
              {"cost", "3650 EUR"}}));
  auto run = [&](const char* date) {
    auto r = RunItamRules(*store_, *ingestor_, "test", At(date));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : json();
  };
  // 2027-03-31 minus 91 days: nothing yet.
  EXPECT_EQ(run("2026-12-30").at("expiring"), 0);
  // 90 days before: the licence and the contract.
  EXPECT_EQ(run("2026-12-31").at("expiring"), 2);
  EXPECT_EQ(run("2026-12-31").at("expiring"), 0) << "once";
  EXPECT_EQ(run("2027-01-15").at("expiring"), 0);
  // 60 days before: the contract's notice period begins.
  EXPECT_EQ(run("2027-01-29").at("contract_notice"), 0);
  EXPECT_EQ(run("2027-01-30").at("contract_notice"), 1);
  EXPECT_EQ(run("2027-02-28").at("expiring"), 0);  // 31 days left
  EXPECT_EQ(run("2027-03-01").at("expiring"), 2);  // 30
  EXPECT_EQ(run("2027-03-23").at("expiring"), 0);  // 8
  EXPECT_EQ(run("2027-03-24").at("expiring"), 2);  // 7
  EXPECT_EQ(run("2027-03-31").at("expired"), 0);   // the last valid day
  EXPECT_EQ(run("2027-04-01").at("expired"), 2);
  EXPECT_EQ(run("2027-04-02").at("expired"), 0);
  const auto licence = Events("licence_expiring");
  ASSERT_EQ(licence.size(), 3u);
  EXPECT_EQ(licence[0].at("severity"), "low");
  EXPECT_NE(licence[0].at("summary").get<std::string>().find("in 90 days"), std::string::npos);
  EXPECT_EQ(licence[1].at("severity"), "medium");
  EXPECT_EQ(licence[2].at("severity"), "high");
  EXPECT_EQ(Events("contract_expiring").size(), 3u);
  EXPECT_EQ(Events("contract_notice").size(), 1u);
  // A renewal (a new end) warns again; one added 20 days before its end gets
  // the 30-day warning only.
  Ok(Request("contract", {"set", "C-1"}, {{"end", "2028-03-31"}}));
  EXPECT_EQ(run("2028-01-01").at("expiring"), 1);
  Ok(Request("contract", {"add", "C-2"}, {{"type", "warranty"}, {"end", "2028-01-21"}}));
  EXPECT_EQ(run("2028-01-01").at("expiring"), 1);
  EXPECT_EQ(run("2028-01-14").at("expiring"), 1);  // and then the 7-day one
  const auto contract = Events("contract_expiring");
  EXPECT_NE(contract.back().at("summary").get<std::string>().find("C-2"), std::string::npos);
}

TEST_F(Itam, UsagePastEntitlementRaisesOneEventUntilCompliantAgain) {
  Report({"ws-1", "", {{"viewer", "3.0"}}});
  Report({"ws-2", "", {{"viewer", "3.0"}}});
  Ok(Request("licence", {"add", "V-1"},
             {{"product", "viewer"}, {"metric", "per_device"}, {"quantity", "1"}}));
  const int64_t now = UnixNow();
  EXPECT_EQ(RunItamRules(*store_, *ingestor_, "test", now)->at("licence_exceeded"), 1);
  EXPECT_EQ(RunItamRules(*store_, *ingestor_, "test", now)->at("licence_exceeded"), 0);
  const auto exceeded = Events("licence_exceeded");
  ASSERT_EQ(exceeded.size(), 1u);
  EXPECT_NE(exceeded[0].at("summary").get<std::string>().find("1 of 1 entitled used, 1 unlicensed"),
            std::string::npos)
      << exceeded[0].dump();
  Ok(Request("licence", {"set", "V-1"}, {{"quantity", "2"}}));
  EXPECT_EQ(RunItamRules(*store_, *ingestor_, "test", now)->at("licence_compliant"), 1);
}

TEST_F(Itam, ReportListsExpiringRecordsAndFlagsInUseAssetsOutOfWarranty) {
  const std::string today = IsoDateFromDays(DayOfTime(UnixNow()));
  const std::string in_40 = IsoDateFromDays(DayOfTime(UnixNow()) + 40);
  const std::string in_200 = IsoDateFromDays(DayOfTime(UnixNow()) + 200);
  const std::string ago_10 = IsoDateFromDays(DayOfTime(UnixNow()) - 10);
  json old = Ok(Request("register", {"warranty_end=" + ago_10},
                        {{"class", "laptop"}, {"state", "deployed"}}));
  json renewed = Ok(Request("register", {"warranty_end=" + ago_10},
                            {{"class", "laptop"}, {"state", "deployed"}}));
  json stock = Ok(Request("register", {"warranty_end=" + ago_10},
                          {{"class", "laptop"}, {"state", "in_stock"}}));
  Ok(Request("contract", {"add", "W-1"},
             {{"type", "warranty"}, {"end", in_40}, {"cost", "100 EUR"}}));
  Ok(Request("contract", {"assign", "W-1"}, {{"asset", renewed.at("id").get<std::string>()}}));
  Ok(Request("contract", {"add", "S-1"}, {{"type", "support"}, {"end", in_200}}));
  Ok(Request("licence", {"add", "L-1"}, {{"product", "x"}, {"metric", "site"}, {"end", in_40}}));

  json report = Ok(Request("report", {}, {{"expiring", "90d"}}));
  ASSERT_EQ(report.at("warranty_ended").size(), 1u) << report.at("warranty_ended").dump();
  EXPECT_EQ(report.at("warranty_ended")[0].at("asset_id"), old.at("id"));
  std::set<std::string> ids;
  for (const auto& e : report.at("expiring")) ids.insert(e.at("id"));
  EXPECT_EQ(ids, (std::set<std::string>{"W-1", "L-1"}));
  EXPECT_EQ(report.at("expiring")[0].at("days_left"), 40);
  EXPECT_FALSE(Ok(Request("report")).contains("expiring"));
  (void)today;
  (void)stock;
  // The contract's cost joins the value as the class "contract".
  json value = Ok(Request("value"));
  bool found = false;
  for (const auto& r : value.at("totals"))
    found |= r.at("name") == "contract" && r.at("cost") == "100.00";
  EXPECT_TRUE(found) << value.dump();
}

TEST_F(Itam, TheTitleIndexFollowsInstallsRemovalsMergesSplitsAndRetirement) {
  // Who has viewer installed, and which asset each host is, kept by the test.
  std::map<std::string, std::string> viewer;  // host -> version
  auto report = [&](const std::string& name, const std::string& version) {
    SimHost h{name, "", {{"coreutils", "9.1"}}};
    if (!version.empty()) h.packages["viewer"] = version;
    Report(h);
    if (version.empty()) {
      viewer.erase(name);
    } else {
      viewer[name] = version;
    }
  };
  for (int i = 1; i <= 4; ++i) report("ws-" + std::to_string(i), "3.0");
  Ok(Request(
      "licence", {"add", "V-1"},
      {{"product", "viewer"}, {"min-version", "3"}, {"metric", "per_device"}, {"quantity", "10"}}));
  auto covered = [&] {
    size_t n = 0;
    for (const auto& [host, version] : viewer) n += CompareVersions(version, "3") >= 0;
    return n;
  };
  json p = Product(Compliance(), "viewer");  // the first call indexes viewer
  EXPECT_EQ(p.at("installs"), viewer.size());
  EXPECT_EQ(ingestor_->software().title_hosts().titles(), 1u);

  report("ws-1", "");     // removed
  report("ws-2", "2.0");  // downgraded below the licence's range
  report("ws-5", "3.1");  // a new host after the index was filled
  p = Product(Compliance(), "viewer");
  EXPECT_EQ(p.at("installs"), viewer.size());
  EXPECT_EQ(p.at("used"), covered());
  ASSERT_EQ(p.at("unlicensed_hosts").size(), 1u);
  EXPECT_EQ(p.at("unlicensed_hosts")[0].at("hostname"), "ws-2");

  // ws-3 is merged into ws-4: one asset, so one install.
  Ok(Request("merge", {"ws-4", "ws-3"}, {{"reason", "one machine"}}));
  p = Product(Compliance(), "viewer");
  EXPECT_EQ(p.at("installs"), viewer.size() - 1);
  // Split back off, it is an install of its own again (under a new asset id).
  auto ws4 = LookupAsset(*store_, "ws-4");
  ASSERT_TRUE(ws4.ok());
  Ok(Request("split", {ws4->id()}, {{"node", "node-ws-3"}}));
  p = Product(Compliance(), "viewer");
  EXPECT_EQ(p.at("installs"), viewer.size());

  // A retired machine's software is no install in use.
  Ok(Request("state", {"ws-5", "retired"}, {{"reason", "broken"}}));
  p = Product(Compliance(), "viewer");
  EXPECT_EQ(p.at("installs"), viewer.size() - 1);
  EXPECT_EQ(p.at("used"), covered() - 1);
}

TEST_F(Itam, PerCoreLicencesCountPhysicalCoresWithProcessorMinimums) {
  // Two 6-core processors (24 threads), one 4-core (8 threads), one 24-core (48 threads).
  Report({"db-1", "", {{"dbserver", "19.3"}}, 2, 12, 24});
  Report({"db-2", "", {{"dbserver", "19.3"}}, 1, 4, 8});
  Report({"db-3", "", {{"dbserver", "19.3"}}, 1, 24, 48});
  Ok(Request("licence", {"add", "DB-1"},
             {{"product", "dbserver"}, {"metric", "per_core"}, {"quantity", "200"}}));
  // Physical cores, not threads: 12 + 4 + 24.
  EXPECT_EQ(Product(Compliance(), "dbserver").at("used"), 40);
  // Per-processor licensing as Microsoft sells it: each processor at least 8
  // cores, each host at least 16: db-1 2 x max(6, 8) = 16; db-2 max(8, 16)
  // = 16; db-3 24.
  Ok(Request("licence", {"set", "DB-1"},
             {{"min-cores-per-processor", "8"}, {"min-cores-per-host", "16"}}));
  json p = Product(Compliance(), "dbserver");
  EXPECT_EQ(p.at("used"), 16 + 16 + 24);
  EXPECT_EQ(p.at("available"), 200 - 56);
  // Too few cores for the last host: it is the unlicensed one.
  Ok(Request("licence", {"set", "DB-1"}, {{"quantity", "40"}}));
  p = Product(Compliance(), "dbserver");
  EXPECT_EQ(p.at("used"), 32);
  ASSERT_EQ(p.at("unlicensed_hosts").size(), 1u);
  EXPECT_EQ(p.at("unlicensed_hosts")[0].at("hostname"), "db-3");
  EXPECT_EQ(p.at("unlicensed_hosts")[0].at("reason"), "entitlement used up");
  // Hand-computed: the rule alone.
  v1::Licence l;
  l.set_min_cores_per_processor(8);
  EXPECT_EQ(CoresToLicense(l, 12, 2), 16u);            // 6 per processor -> 8
  EXPECT_EQ(CoresToLicense(l, 20, 2), 20u);            // 10 per processor
  EXPECT_EQ(CoresToLicense(l, 0, 0), 8u);              // unknown: one processor
  EXPECT_EQ(CoresToLicense(l, 7, 2), 16u);             // 4 per processor, rounded up -> 8
  EXPECT_EQ(CoresToLicense(v1::Licence(), 7, 2), 7u);  // no minimum: the cores
}

TEST_F(Itam, WarningDaysAreConfigurableAndTheEventsListThem) {
  Ok(Request("licence", {"add", "L-END"},
             {{"product", "viewer"}, {"metric", "site"}, {"end", "2027-03-31"}}));
  const std::vector<int> days = {60, 14};
  auto run = [&](const char* date) {
    auto r = RunItamRules(*store_, *ingestor_, "test", At(date), days);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->at("expiring").get<int>() : -1;
  };
  EXPECT_EQ(run("2026-12-31"), 0);  // 90 days: not a warning day here
  EXPECT_EQ(run("2027-01-29"), 0);  // 61
  EXPECT_EQ(run("2027-01-30"), 1);  // 60
  EXPECT_EQ(run("2027-03-16"), 0);  // 15
  EXPECT_EQ(run("2027-03-17"), 1);  // 14
  EXPECT_EQ(run("2027-03-24"), 0);  // 7: not a warning day here
  // `events --kind` finds them, as an admin looks for them.
  json listed = Ok(Request("events", {}, {{"kind", "licence_expiring"}}));
  ASSERT_EQ(listed.at("events").size(), 2u) << listed.dump();
  EXPECT_NE(listed.at("events")[0].at("summary").get<std::string>().find("the 60-day warning"),
            std::string::npos);
  EXPECT_EQ(listed.at("events")[1].at("severity"), "medium");
  EXPECT_EQ(Ok(Request("events", {}, {{"kind", "licence_added"}})).at("events").size(), 1u);
  // The collector's own days by default: 90, 30 and 7.
  EXPECT_EQ(ingestor_->reconcile_options().expiry_warning_days, kDefaultExpiryWarnings);
}

TEST_F(Itam, ContradictoryLicencesAreRefusedNamingTheField) {
  Report({"ws-1", "", {{"viewer", "3.0"}}});
  EXPECT_NE(Error(Request("licence", {"add", "X"},
                          {{"product", "viewer"}, {"metric", "site"}, {"quantity", "50"}}))
                .find("quantity: a site licence is unlimited"),
            std::string::npos);
  EXPECT_NE(Error(Request("licence", {"add", "X"},
                          {{"product", "viewer"},
                           {"metric", "per_device"},
                           {"quantity", "5"},
                           {"min-cores-per-processor", "8"}}))
                .find("min-cores-per-processor: only a per_core licence counts cores"),
            std::string::npos);
  EXPECT_NE(Error(Request("licence", {"add", "X"},
                          {{"product", "viewer"},
                           {"metric", "per_core"},
                           {"quantity", "5"},
                           {"min-cores-per-host", "-1"}}))
                .find("min-cores-per-host: '-1'"),
            std::string::npos);
  // A change that makes a licence contradictory is refused too, and leaves it as it was.
  Ok(Request("licence", {"add", "V-1"},
             {{"product", "viewer"}, {"metric", "per_device"}, {"quantity", "5"}}));
  EXPECT_NE(
      Error(Request("licence", {"set", "V-1"}, {{"end", "2020-01-01"}, {"start", "2021-01-01"}}))
          .find("end: 2020-01-01 is before start 2021-01-01"),
      std::string::npos);
  EXPECT_EQ(Ok(Request("licence", {"show", "V-1"})).value("end", ""), "");
  // Renamed to a product nobody has: accepted, with the warning.
  json renamed = Ok(Request("licence", {"set", "V-1"}, {{"product", "veiwer"}}));
  ASSERT_EQ(renamed.at("warnings").size(), 1u) << renamed.dump();
  EXPECT_NE(renamed.at("warnings")[0].get<std::string>().find("product: 'veiwer' matches no"),
            std::string::npos);
}

}  // namespace
}  // namespace estate::collector
