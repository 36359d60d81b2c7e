// Device definitions as data: loading with file:line errors, the user's
// override directory, matching order, sources and the brand table.
#include "plugins/snmp/definitions.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "plugins/snmp/device_collector.h"
#include "plugins/snmp/replay_session.h"
#include "plugins/snmp/standard_mibs.h"
#include "plugins/snmp/walk_parser.h"

namespace estate::plugins::snmp {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("estate_defs_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(path_ / "definitions");
    Write("brands.textproto", "brand { name: \"HPE\" enterprise: 232 alias: \"Compaq\" }\n");
  }
  ~TempDir() { fs::remove_all(path_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((path_ / rel).parent_path());
    std::ofstream(path_ / rel) << text;
  }
  std::string path(const std::string& rel = "") const { return (path_ / rel).string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(DefinitionSet, ABadFieldIsAnErrorNamingFileAndLine) {
  auto d = DefinitionSet::ParseDefinition("type: \"switch\"\n\nbrnd: \"X\"\n", "/x/foo.textproto");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("/x/foo.textproto:3:"), std::string::npos)
      << d.status().message();
  EXPECT_NE(d.status().message().find("brnd"), std::string::npos);
}

TEST(DefinitionSet, AnUnknownTypeSuggestsTheClosestOne) {
  auto d = DefinitionSet::ParseDefinition("sys_object_id: \"1.3.6.1.4.1.9\"\ntype: \"swich\"\n",
                                          "/x/foo.textproto");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("foo.textproto:2:"), std::string::npos)
      << d.status().message();
  EXPECT_NE(d.status().message().find("did you mean \"switch\""), std::string::npos);
}

TEST(DefinitionSet, BadOidsAndRegexesAreErrorsWithTheirLine) {
  auto oid = DefinitionSet::ParseDefinition(
      "sys_object_id: \"1.3.6.1.4.1.9\"\nserial { get: \"jnxBoxSerialNo.0\" }\n", "f.textproto");
  ASSERT_FALSE(oid.ok());
  EXPECT_NE(oid.status().message().find("f.textproto:2:"), std::string::npos)
      << oid.status().message();
  auto re = DefinitionSet::ParseDefinition("sys_descr: \"^Cisco (\"\n", "g.textproto");
  ASSERT_FALSE(re.ok());
  EXPECT_NE(re.status().message().find("g.textproto:1:"), std::string::npos)
      << re.status().message();
  auto none = DefinitionSet::ParseDefinition("type: \"switch\"\n", "h.textproto");
  EXPECT_FALSE(none.ok());
}

TEST(DefinitionSet, UserFilesReplaceShippedOnesOfTheSameName) {
  TempDir shipped, user;
  shipped.Write("definitions/acme.textproto",
                "brand: \"Acme\" sys_object_id: \"1.3.6.1.4.1.99999\" type: \"switch\"\n");
  shipped.Write("definitions/other.textproto", "sys_object_id: \"1.3.6.1.4.1.88888\"\n");
  user.Write("acme.textproto",
             "brand: \"Acme Corp\" sys_object_id: \"1.3.6.1.4.1.99999\" type: \"router\"\n");
  user.Write("new.textproto", "sys_descr: \"^Widget\"\n");
  auto set = DefinitionSet::Load(shipped.path(), user.path());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->size(), 3u);
  DeviceIdent ident{Oid{1, 3, 6, 1, 4, 1, 99999, 1}, "x"};
  auto matches = set->Match(ident);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].definition->brand, "Acme Corp");
}

TEST(DefinitionSet, ABrokenUserFileFailsTheLoad) {
  TempDir shipped, user;
  user.Write("broken.textproto", "sys_object_id: 1.3.6\n");
  auto set = DefinitionSet::Load(shipped.path(), user.path());
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("broken.textproto:1:"), std::string::npos)
      << set.status().message();
}

TEST(DefinitionSet, TheMostSpecificMatchComesFirst) {
  DefinitionSet set;
  for (const char* text : {"sys_object_id: \"1.3.6.1.4.1.9\" type: \"network\"",
                           "sys_object_id: \"1.3.6.1.4.1.9.1\" sys_descr: \"IOS-XE\" "
                           "type: \"router\"",
                           "sys_object_id: \"1.3.6.1.4.1.9.1\" type: \"switch\""}) {
    auto d = DefinitionSet::ParseDefinition(text, "t.textproto");
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    set.Add(std::move(*d));
  }
  auto m = set.Match({Oid{1, 3, 6, 1, 4, 1, 9, 1, 1745}, "Cisco IOS-XE Software"});
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].definition->type, "router");
  EXPECT_EQ(m[1].definition->type, "switch");
  auto other = set.Match({Oid{1, 3, 6, 1, 4, 1, 9, 1, 1745}, "Cisco IOS Software"});
  ASSERT_EQ(other.size(), 2u);
  EXPECT_EQ(other[0].definition->type, "switch");
}

TEST(DefinitionSet, SourcesReadScalarsFirstRowsAndSysDescrWithRegexAndTemplate) {
  auto d = DefinitionSet::ParseDefinition(
      R"pb(sys_object_id: "1.3.6.1.4.1.2636"
           model { get: "1.3.6.1.4.1.2636.3.1.2.0" regex: "^Juniper (\\S+)" }
           serial { first: "1.3.6.1.4.1.2636.3.1.8.1.7" }
           firmware { sys_descr: true regex: "JUNOS ([^,\\s]+)" }
           hardware_revision { sys_descr: true regex: "(\\d+)\\.(\\d+)R" template: "r$1-$2" })pb",
      "j.textproto");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  MibView view;
  auto text = [](Oid oid, std::string s) {
    VarBind vb;
    vb.oid = std::move(oid);
    vb.type = ValueType::kOctetString;
    vb.bytes = std::move(s);
    return vb;
  };
  view.Insert(text({1, 3, 6, 1, 4, 1, 2636, 3, 1, 2, 0}, "Juniper EX4300-48T Switch"));
  view.Insert(text({1, 3, 6, 1, 4, 1, 2636, 3, 1, 8, 1, 7, 1, 1}, "  "));  // blank first row
  view.Insert(text({1, 3, 6, 1, 4, 1, 2636, 3, 1, 8, 1, 7, 2, 1}, "PE3714100218"));
  const std::string descr = "Juniper Networks, Inc. ex4300-48t, kernel JUNOS 18.4R2.7, Build";
  EXPECT_EQ(ResolveSource(d->model[0], view, descr), "EX4300-48T");
  EXPECT_EQ(ResolveSource(d->serial[0], view, descr), "PE3714100218");
  EXPECT_EQ(ResolveSource(d->firmware[0], view, descr), "18.4R2.7");
  EXPECT_EQ(ResolveSource(d->hardware_revision[0], view, descr), "r18-4");
}

TEST(DefinitionSet, PlaceholdersAreNoValue) {
  for (const char* v :
       {"", "0", "N/A", "Unknown", "To be filled by O.E.M.", "0000000000", "  ", "XXXXXXXX"}) {
    EXPECT_TRUE(IsPlaceholder(v)) << v;
  }
  for (const char* v : {"FOC1234X0AB", "7.0.3", "J9625A"}) EXPECT_FALSE(IsPlaceholder(v)) << v;
}

TEST(BrandTable, MapsRegistrantsToBrandsAndTidiesUnknownOnes) {
  auto table = BrandTable::Parse(
      "brand { name: \"HPE\" enterprise: 232 alias: \"Compaq\" }\n"
      "brand { name: \"Eaton\" enterprise: 705 alias: \"Merlin Gerin\" }\n",
      "brands.textproto");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->ForEnterprise(232), "HPE");
  EXPECT_EQ(table->Normalize("merlin gerin"), "Eaton");
  EXPECT_EQ(table->Normalize("COMPAQ"), "HPE");
  EXPECT_EQ(table->Normalize("ATEN INTERNATIONAL CO., LTD."), "Aten International");
  EXPECT_EQ(table->Normalize("Foo Networks, Inc."), "Foo Networks");
  auto dup = BrandTable::Parse(
      "brand { name: \"A\" enterprise: 1 }\nbrand { name: \"B\" enterprise: 1 }", "b.textproto");
  EXPECT_FALSE(dup.ok());
}

// The shipped files all load: a broken one would stop every scan.
TEST(DefinitionSet, TheShippedDefinitionsLoad) {
  auto set = DefinitionSet::Load(ESTATE_SOURCE_DIR "/share/snmp", "");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_GE(set->size(), 300u);
  EXPECT_EQ(set->brands().Normalize("Merlin Gerin"), "Eaton");
}

// Definitions of other Cisco product lines (Small Business, access points,
// firewalls, ISE, CIMC, UC servers, IOS-XR) sit under the same ciscoProducts
// subtree as every Catalyst: each must tell itself apart by sysDescr, so a
// Catalyst or Nexus is matched only by the IOS, IOS-XE and NX-OS families.
TEST(DefinitionSet, ACatalystOrNexusMatchesOnlyItsOwnOsFamilies) {
  auto set = DefinitionSet::Load(ESTATE_SOURCE_DIR "/share/snmp", "");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  struct Device {
    const char* object_id;
    const char* descr;
    std::set<std::string> allowed;
  };
  const Device kDevices[] = {
      {"1.3.6.1.4.1.9.1.1208",  // cat29xxStack
       "Cisco IOS Software, C2960S Software (C2960S-UNIVERSALK9-M), Version 15.2(2)E6, RELEASE "
       "SOFTWARE (fc1)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) "
       "1986-2016 by Cisco Systems, Inc.\r\nCompiled Fri 16-Dec-16 21:12 by prod_rel_team",
       {"cisco-ios", "ios"}},
      {"1.3.6.1.4.1.9.1.2694",  // a Catalyst 9300
       "Cisco IOS Software [Amsterdam], Catalyst L3 Switch Software (CAT9K_IOSXE), Version "
       "17.3.4, RELEASE SOFTWARE (fc3)\r\nTechnical Support: http://www.cisco.com/techsupport",
       {"cisco-iosxe", "iosxe"}},
      {"1.3.6.1.4.1.9.1.1745",  // an ISR 4451
       "Cisco IOS XE Software, Version 16.09.05\r\nCisco IOS Software [Fuji], ISR Software "
       "(X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 16.9.5, RELEASE SOFTWARE (fc1)",
       {"cisco-iosxe", "iosxe"}},
      {"1.3.6.1.4.1.9.12.3.1.3.1084",  // a Nexus 5548
       "Cisco NX-OS(tm) n5000, Software (n5000-uk9), Version 7.3(8)N1(1), RELEASE SOFTWARE "
       "Copyright (c) 2002-2012 by Cisco Systems, Inc. Device Manager Version 6.0(2)N1(1),",
       {"cisco-nxos", "nxos"}},
      {"1.3.6.1.4.1.9.12.3.1.3.1812",  // a Nexus 9300 in NX-OS mode
       "Cisco Nexus Operating System (NX-OS) Software\r\nTAC support: "
       "http://www.cisco.com/tac\r\nCopyright (c) 2002-2020, Cisco Systems, Inc.",
       {"cisco-nxos", "nxos"}},
  };
  for (const Device& device : kDevices) {
    DeviceIdent ident;
    ident.sys_object_id = *Oid::Parse(device.object_id);
    ident.sys_descr = device.descr;
    for (const DefinitionMatch& m : set->Match(ident)) {
      EXPECT_TRUE(device.allowed.count(m.definition->name))
          << m.definition->name << " claims " << device.object_id << " \"" << device.descr << "\"";
    }
  }
}

// The structural rule behind the test above, over every shipped file: no
// definition but the generic OS families claims a vendor's whole product
// subtree (ciscoProducts 1.3.6.1.4.1.9.1, ciscoModules ...9.12) with no
// sysDescr matcher to narrow it.
TEST(DefinitionSet, NoShippedDefinitionClaimsCiscosWholeProductTreeUnnarrowed) {
  auto set = DefinitionSet::Load(ESTATE_SOURCE_DIR "/share/snmp", "");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  const std::set<std::string> kGeneric = {"nxos"};  // cevChassis is NX-OS's own
  size_t checked = 0;
  for (const char* probe : {"1.3.6.1.4.1.9.1.1208", "1.3.6.1.4.1.9.12.3.1.3.1084"}) {
    DeviceIdent ident;
    ident.sys_object_id = *Oid::Parse(probe);
    ident.sys_descr = "";  // a sysDescr no family's pattern matches
    for (const DefinitionMatch& m : set->Match(ident)) {
      ++checked;
      // A family confirmed by its own enterprise MIB (has_oid) is narrowed.
      if (!m.definition->has_oid.empty()) continue;
      EXPECT_TRUE(kGeneric.count(m.definition->name))
          << m.definition->path << " matches " << probe << " by sysObjectID alone";
    }
  }
  EXPECT_GE(checked, 1u);  // nxos, at least: the probe itself works
}

// A definition's scalars cost one GET, asked only of the devices it matches,
// and fill the fields; the brand replaces the registrant.
TEST(DefinitionSet, TheCollectorFetchesADefinitionsScalarsWithOneGet) {
  auto d = DefinitionSet::ParseDefinition(
      R"pb(brand: "HPE"
           type: "bmc"
           sys_object_id: "1.3.6.1.4.1.232.9.4"
           model { get: "1.3.6.1.4.1.232.2.2.4.2.0" }
           serial { get: "1.3.6.1.4.1.232.2.2.2.1.0" }
           firmware { sys_descr: true regex: "Integrated Lights-Out \\d+ (\\S+)" })pb",
      "ilo.textproto");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto set = std::make_shared<DefinitionSet>();
  set->Add(std::move(*d));
  PluginRegistry plugins;
  plugins.SetDefinitions(set);
  const std::string rec =
      "1.3.6.1.2.1.1.1.0|4|Integrated Lights-Out 4 2.50 Sep 23 2016\n"
      "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.232.9.4.10\n"
      "1.3.6.1.4.1.232.2.2.2.1.0|4|CZJ1234567\n"
      "1.3.6.1.4.1.232.2.2.4.2.0|4|ProLiant DL380 Gen9\n";
  auto run = [&](const PluginRegistry& p) {
    ReplaySession session(ParseSnmprec(rec).varbinds);
    DeviceCollector c("192.0.2.1", "v2c", p, nullptr);
    auto dev = CollectSync(c, session);
    return std::make_pair(dev, c.requests());
  };
  auto [dev, requests] = run(plugins);
  EXPECT_EQ(dev.model(), "ProLiant DL380 Gen9");
  EXPECT_EQ(dev.serial(), "CZJ1234567");
  EXPECT_EQ(dev.firmware(), "2.50");
  EXPECT_EQ(dev.type(), "bmc");
  EXPECT_EQ(dev.vendor(), "HPE");
  PluginRegistry bare;
  auto [plain, plain_requests] = run(bare);
  EXPECT_EQ(requests, plain_requests + 1);
}

// Records every request, answered by a recording.
class RecordingSession : public SnmpSession {
 public:
  explicit RecordingSession(const std::string& snmprec) : inner_(ParseSnmprec(snmprec).varbinds) {}
  void Send(const SnmpRequest& request, Callback done) override {
    requests.push_back(request);
    inner_.Send(request, std::move(done));
  }
  std::string Version() const override { return inner_.Version(); }
  std::vector<SnmpRequest> requests;

 private:
  ReplaySession inner_;
};

// Families sharing net-snmp's sysObjectID are told apart by the enterprise
// MIB they answer: all candidates' has_oid subtrees go out in one GETNEXT,
// and only the confirmed family's scalars are asked afterwards.
TEST(DefinitionSet, HasOidCandidatesAreProbedInOneRequestAndOnlyTheConfirmedOnesScalarsAsked) {
  auto set = std::make_shared<DefinitionSet>();
  const struct {
    const char* name;
    const char* enterprise;
    const char* brand;
  } kFamilies[] = {{"nas", "1.3.6.1.4.1.24681", "QNAP"},
                   {"ap", "1.3.6.1.4.1.41112", "Ubiquiti"},
                   {"bmc", "1.3.6.1.4.1.10876", "Supermicro"}};
  for (const auto& f : kFamilies) {
    auto d = DefinitionSet::ParseDefinition(
        std::string("brand: \"") + f.brand + "\"\nsys_object_id: \"1.3.6.1.4.1.8072.3.2.10\"\n" +
            "has_oid: \"" + f.enterprise + "\"\nmodel { get: \"" + f.enterprise +
            ".1.1.0\" }\nserial { first: \"" + f.enterprise + ".1.2\" }\n",
        std::string(f.name) + ".textproto");
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    set->Add(std::move(*d));
  }
  PluginRegistry plugins;
  plugins.SetDefinitions(set);
  RecordingSession session(
      "1.3.6.1.2.1.1.1.0|4|Linux nas 5.10.60-qnap #1 SMP x86_64\n"
      "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10\n"
      "1.3.6.1.4.1.24681.1.1.0|4|TS-453D\n"
      "1.3.6.1.4.1.24681.1.2.1|4|Q201I12345\n");
  DeviceCollector c("192.0.2.1", "v2c", plugins, nullptr);
  const v1::NetworkDevice d = CollectSync(c, session);
  EXPECT_EQ(d.vendor(), "QNAP");
  EXPECT_EQ(d.model(), "TS-453D");
  EXPECT_EQ(d.serial(), "Q201I12345");
  // identification GET, one probe GETNEXT of the three subtrees, then the
  // confirmed family's GET and GETNEXT; the walks follow.
  ASSERT_GE(session.requests.size(), 4u);
  EXPECT_EQ(session.requests[1].kind, SnmpRequest::Kind::kGetNext);
  EXPECT_EQ(session.requests[1].oids.size(), 3u);
  std::vector<Oid> scalars;
  for (size_t i = 2; i < session.requests.size(); ++i) {
    if (session.requests[i].kind == SnmpRequest::Kind::kGetBulk) break;
    for (const Oid& o : session.requests[i].oids) scalars.push_back(o);
  }
  const Oid kQnap{1, 3, 6, 1, 4, 1, 24681};
  EXPECT_EQ(scalars.size(), 2u);
  for (const Oid& o : scalars) EXPECT_TRUE(o.StartsWith(kQnap)) << o.ToString();
  EXPECT_EQ(c.requests(), session.requests.size());
}

}  // namespace
}  // namespace estate::plugins::snmp
