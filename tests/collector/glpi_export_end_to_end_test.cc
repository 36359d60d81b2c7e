// `estatectl export --format glpi` against a real estated: a Windows laptop
// its FusionInventory agent reported (a recorded inventory), a Debian
// workstation estate-agent reported (the fixture root), and --all, each
// validated against GLPI's inventory_format schema with python3-jsonschema
// and compared with what the agents sent.
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "collector/inventory/inventory_tree.h"
#include "estate/text.h"
#include "estate/v1/facts.pb.h"
#include "tests/collector/inventory_collector.h"

namespace estate {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::ReadTextFile;
using testing::RunCommand;

const std::string kFixtures =
    std::string(ESTATE_SOURCE_DIR) + "/tests/fixtures/third_party/glpi-inventory-format/";
const std::string kSchema = kFixtures + "inventory.schema.json";
const std::string kRoot = std::string(ESTATE_SOURCE_DIR) + "/tests/fixtures/roots/ws-debian12";

class GlpiExport : public testing::InventoryCollector {
 protected:
  // The document(s) `export` prints, saved to a file for the validator.
  json Export(const std::vector<std::string>& what, const std::string& file) {
    std::vector<std::string> args = {"export", "--format", "glpi"};
    args.insert(args.end(), what.begin(), what.end());
    CommandResult r = Ctl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Write(file, r.out);
    auto j = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  // Empty when every document of `file` is valid; else the validator's report.
  // Skips the test when python3-jsonschema is missing (CI installs it).
  std::string SchemaViolations(const std::string& file) {
    CommandResult r = RunCommand(
        {"/usr/bin/python3", Source("/tests/support/json_schema_check.py"), kSchema, file});
    if (r.exit_code == 77) skip_ = true;
    return r.exit_code == 0 ? "" : r.out + r.err;
  }

  v1::HostFacts AgentFacts() {
    CommandResult r =
        RunCommand({Bin("/agent/estate-agent"), "inventory", "--json", "--root", kRoot});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    v1::HostFacts facts;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &facts, options).ok());
    return facts;
  }

  std::string PushEstateAgent() {
    CommandResult push = RunCommand({Bin("/agent/estate-agent"), "push", "--insecure-plaintext",
                                     "--collector", "127.0.0.1:" + std::to_string(port_), "--root",
                                     kRoot, "--node-id", "export-ws"});
    EXPECT_EQ(push.exit_code, 0) << push.err;
    return push.out.substr(0, push.out.find('\n'));
  }

  static std::set<std::string> Macs(const json& document) {
    std::set<std::string> macs;
    for (const auto& n : document.at("content").value("networks", json::array())) {
      if (n.contains("mac")) macs.insert(n.at("mac").get<std::string>());
    }
    return macs;
  }

  bool skip_ = false;
};

TEST_F(GlpiExport, FusionInventoryWindowsLaptopKeepsWhatTheAgentSent) {
  ASSERT_EQ(PostFixture("xml/12.xml", "FusionInventory-Agent_v2.3.19"), 200) << ReadTextFile(log_);
  ASSERT_EQ(Ctl({"set", "CZC0479792", "asset_tag=IT-0042"}).exit_code, 0);
  const std::string file = dir_.path() + "/windows.json";
  const json doc = Export({"CZC0479792"}, file);
  const std::string violations = SchemaViolations(file);
  if (skip_) GTEST_SKIP() << "python3-jsonschema not installed (scripts/deps/inventory.txt)";
  EXPECT_EQ(violations, "") << doc.dump(1);

  // What the agent sent, read from the recorded inventory itself.
  auto sent = collector::ParseInventoryXml(ReadTextFile(kFixtures + "xml/12.xml"));
  ASSERT_TRUE(sent.ok());
  const collector::InventoryNode& content = *sent->Child("CONTENT");
  EXPECT_EQ(doc.at("deviceid"), std::string(sent->Text("DEVICEID")));
  EXPECT_EQ(doc.at("itemtype"), "Computer");
  EXPECT_EQ(doc.at("action"), "inventory");
  const json& c = doc.at("content");
  EXPECT_EQ(c.at("versionclient"), "FusionInventory-Agent_v2.3.19");
  const auto& bios = *content.Child("BIOS");
  EXPECT_EQ(c.at("bios").at("ssn"), "CZC0479792");
  EXPECT_EQ(c.at("bios").at("smodel"), "HP EliteBook 2540p");
  for (const char* key : {"SSN", "SMODEL", "SMANUFACTURER", "BMANUFACTURER", "BVERSION", "MMODEL",
                          "MSN", "MMANUFACTURER"}) {
    EXPECT_EQ(c.at("bios").at(ToLower(key)), std::string(bios.Text(key))) << key;
  }
  EXPECT_EQ(c.at("bios").at("bdate"), "2010-08-24");  // SMBIOS's 08/24/2010
  EXPECT_EQ(c.at("bios").at("assettag"), "IT-0042");  // the admin's tag over the firmware's
  const auto& hw = *content.Child("HARDWARE");
  EXPECT_EQ(c.at("hardware").at("uuid"), std::string(hw.Text("UUID")));
  EXPECT_EQ(c.at("hardware").at("name"), std::string(hw.Text("NAME")));
  EXPECT_EQ(c.at("hardware").at("memory"), std::stoi(std::string(hw.Text("MEMORY"))));
  EXPECT_EQ(c.at("hardware").at("chassis_type"), std::string(hw.Text("CHASSIS_TYPE")));
  EXPECT_EQ(c.at("hardware").at("vmsystem"), std::string(hw.Text("VMSYSTEM")));
  const auto& os = *content.Child("OPERATINGSYSTEM");
  EXPECT_EQ(c.at("operatingsystem").at("name"), std::string(os.Text("NAME")));
  EXPECT_EQ(c.at("operatingsystem").at("full_name"), std::string(os.Text("FULL_NAME")));
  EXPECT_EQ(c.at("operatingsystem").at("kernel_name"), std::string(os.Text("KERNEL_NAME")));
  EXPECT_EQ(c.at("operatingsystem").at("kernel_version"), std::string(os.Text("KERNEL_VERSION")));
  EXPECT_EQ(c.at("operatingsystem").at("fqdn"), std::string(os.Text("FQDN")));
  EXPECT_EQ(c.at("operatingsystem").at("arch"), std::string(os.Text("ARCH")));
  EXPECT_EQ(c.at("operatingsystem").at("version"), "8.1");  // from the full name
  const auto& cpu = *content.Child("CPUS");
  ASSERT_EQ(c.at("cpus").size(), content.All("CPUS").size());
  EXPECT_EQ(c.at("cpus")[0].at("name"), std::string(cpu.Text("NAME")));
  EXPECT_EQ(c.at("cpus")[0].at("core"), std::stoi(std::string(cpu.Text("CORE"))));
  EXPECT_EQ(c.at("cpus")[0].at("thread"), std::stoi(std::string(cpu.Text("THREAD"))));

  // Every package with its version and publisher, and nothing else.
  std::set<std::string> sent_software, exported_software;
  for (const auto* s : content.All("SOFTWARES")) {
    sent_software.insert(std::string(s->Text("NAME")) + "|" + std::string(s->Text("VERSION")) +
                         "|" + std::string(s->Text("PUBLISHER")) + "|" +
                         ToLower(s->Text("FROM")));  // Estate keeps sources lower-case
  }
  for (const auto& s : c.at("softwares")) {
    exported_software.insert(s.at("name").get<std::string>() + "|" + s.value("version", "") + "|" +
                             s.value("publisher", "") + "|" + s.value("from", ""));
  }
  EXPECT_EQ(c.at("softwares").size(), 8u);
  EXPECT_EQ(exported_software, sent_software);
  // Every card's MAC, lower-cased as GLPI stores them.
  std::set<std::string> sent_macs;
  for (const auto* n : content.All("NETWORKS")) {
    if (!n->Text("MACADDR").empty()) sent_macs.insert(ToLower(n->Text("MACADDR")));
  }
  EXPECT_EQ(Macs(doc), sent_macs);
  EXPECT_TRUE(sent_macs.count("68:b5:99:e6:84:eb"));
  // Addresses stay with their card, masks in the agents' dotted form.
  bool found_address = false;
  for (const auto& n : c.at("networks")) {
    if (n.value("ipaddress", "") == "10.253.6.55") {
      found_address = true;
      EXPECT_EQ(n.value("mac", ""), "68:b5:99:e6:84:eb");
      EXPECT_EQ(n.value("ipmask", ""), "255.255.255.0");
    }
  }
  EXPECT_TRUE(found_address) << c.at("networks").dump(1);
  ASSERT_FALSE(c.value("users", json::array()).empty());
  EXPECT_EQ(c.at("users")[0].at("login"), std::string(content.Child("USERS")->Text("LOGIN")));
}

TEST_F(GlpiExport, EstateAgentWorkstationAndEveryAssetValidate) {
  const std::string asset = PushEstateAgent();
  ASSERT_FALSE(asset.empty());
  ASSERT_EQ(PostFixture("xml/12.xml", "FusionInventory-Agent_v2.3.19"), 200);
  ASSERT_EQ(PostFixture("xml/4.xml", "FusionInventory-Agent_v2.3.21"), 200);
  const v1::HostFacts facts = AgentFacts();

  const std::string file = dir_.path() + "/ws.json";
  const json doc = Export({asset}, file);
  const std::string violations = SchemaViolations(file);
  if (skip_) GTEST_SKIP() << "python3-jsonschema not installed (scripts/deps/inventory.txt)";
  EXPECT_EQ(violations, "") << doc.dump(1);
  const json& c = doc.at("content");
  EXPECT_EQ(doc.at("itemtype"), "Computer");
  EXPECT_TRUE(StartsWith(c.at("versionclient").get<std::string>(), "Estate-Agent_v"));
  EXPECT_TRUE(StartsWith(doc.at("deviceid").get<std::string>(), facts.hostname() + "-"));
  EXPECT_EQ(c.at("bios").at("ssn"), facts.dmi().serial());
  EXPECT_EQ(c.at("bios").at("smodel"), facts.dmi().product_name());
  EXPECT_EQ(c.at("hardware").at("uuid"), facts.dmi().uuid());
  EXPECT_EQ(c.at("operatingsystem").at("name"), facts.os().name());
  EXPECT_EQ(c.at("operatingsystem").at("version"), facts.os().version());
  EXPECT_EQ(c.at("operatingsystem").at("kernel_version"), facts.kernel());
  EXPECT_EQ(c.at("softwares").size(), static_cast<size_t>(facts.software_size()));
  std::set<std::string> macs;
  for (const auto& nic : facts.network().interfaces()) {
    if (!nic.mac().empty()) macs.insert(nic.mac());
  }
  EXPECT_EQ(Macs(doc), macs);

  // --all: an array, one document per computer; the laptop's monitors are
  // in its inventory, not documents of their own.
  const std::string all_file = dir_.path() + "/all.json";
  const json all = Export({"--all"}, all_file);
  EXPECT_EQ(SchemaViolations(all_file), "");
  ASSERT_TRUE(all.is_array());
  std::set<std::string> serials;
  for (const auto& d : all) serials.insert(d.at("content").at("bios").value("ssn", ""));
  EXPECT_EQ(serials, (std::set<std::string>{facts.dmi().serial(), "CZC0479792", "C02NG5A5FY11"}));
  const json answer = Json({"export", "--format", "glpi", "--all"});
  EXPECT_EQ(answer.at("inventories").size(), 3u);
  for (const auto& s : answer.at("skipped")) {
    EXPECT_NE(s.at("reason").get<std::string>().find("inventory"), std::string::npos) << s;
  }

  // --output-dir: one file per asset, what glpi-injector --directory reads.
  const std::string out = dir_.path() + "/glpi";
  CommandResult written = Ctl({"export", "--format", "glpi", "--all", "--output-dir", out});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out)) {
    ++files;
    EXPECT_EQ(entry.path().extension(), ".json");
    EXPECT_EQ(SchemaViolations(entry.path().string()), "") << entry.path();
  }
  EXPECT_EQ(files, 3u);
  EXPECT_TRUE(std::filesystem::exists(out + "/" + asset + ".json"));
}

// The checker itself: the format's own examples pass, a broken document does not.
TEST(GlpiSchemaCheck, AcceptsTheFormatsExamplesAndRefusesABrokenDocument) {
  const std::string check = std::string(ESTATE_SOURCE_DIR) + "/tests/support/json_schema_check.py";
  CommandResult examples =
      RunCommand({"/usr/bin/python3", check, kSchema, kFixtures + "json/computer_1.json",
                  kFixtures + "json/computer_2.json"});
  if (examples.exit_code == 77) GTEST_SKIP() << "python3-jsonschema not installed";
  EXPECT_EQ(examples.exit_code, 0) << examples.out << examples.err;
  TempDir dir;
  const std::string broken = dir.path() + "/broken.json";
  std::ofstream(broken) << R"({"content":{"versionclient":"x","hardware":{"memory":"4 GB"},)"
                        << R"("bios":{"bdate":"08/24/2010"}},"itemtype":"Laptop"})";
  CommandResult refused = RunCommand({"/usr/bin/python3", check, kSchema, broken});
  EXPECT_EQ(refused.exit_code, 1);
  for (const char* what : {"deviceid", "memory", "bdate", "itemtype"}) {
    EXPECT_NE(refused.out.find(what), std::string::npos) << what << "\n" << refused.out;
  }
}

TEST_F(GlpiExport, RefusesUnknownFormatsAndAssetsClearly) {
  CommandResult format = Ctl({"export", "--format", "glpii", "--all"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("did you mean 'glpi'"), std::string::npos) << format.err;
  CommandResult unknown = Ctl({"export", "--format", "glpi", "no-such-host"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("no-such-host"), std::string::npos) << unknown.err;
  CommandResult neither = Ctl({"export", "--format", "glpi"});
  EXPECT_NE(neither.exit_code, 0);
  EXPECT_NE(neither.err.find("ASSET...|--all"), std::string::npos) << neither.err;
  CommandResult missing = Ctl({"export", "--all"});
  EXPECT_NE(missing.err.find("--format"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace estate
