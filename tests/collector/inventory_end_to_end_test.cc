// Foreign agents against a real estated on loopback: recorded FusionInventory
// and GLPI Agent inventories from Windows, macOS and Linux machines
// (tests/fixtures/third_party/glpi-inventory-format) POSTed as the agents send
// them, and the real Debian fusioninventory-agent, read back with estatectl.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "collector/inventory/body_codec.h"
#include "tests/collector/temp_dir.h"
#include "tests/support/subprocess.h"

namespace estate {
namespace {

using testing::CommandResult;
using testing::Daemon;
using testing::RunCommand;
using testing::WaitFor;

const std::string kBin = ESTATE_BINARY_DIR;
const std::string kEstated = kBin + "/collector/estated";
const std::string kEstatectl = kBin + "/collector/estatectl";
const std::string kFixtures =
    std::string(ESTATE_SOURCE_DIR) + "/tests/fixtures/third_party/glpi-inventory-format/";
const std::string kToken = "0123456789abcdef-inventory-token";

struct HttpResult {
  int status = 0;
  std::string body;
  std::string headers;
};

class InventoryEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::FreeLoopbackPort();
    inventory_port_ = testing::FreeLoopbackPort();
    socket_ = dir_.path() + "/admin.sock";
    log_ = dir_.path() + "/estated.log";
    Write(dir_.path() + "/token", kToken + "\n");
    Write(dir_.path() + "/estated.conf",
          "inventory_listen = 127.0.0.1:" + std::to_string(inventory_port_) +
              "\ninventory_insecure_plaintext = true\ninventory_token_file = " + dir_.path() +
              "/token\n");
    ASSERT_TRUE(
        collector_.Start({kEstated, "--data-dir", dir_.path() + "/data", "--listen",
                          "127.0.0.1:" + std::to_string(port_), "--admin-socket", socket_,
                          "--insecure-plaintext", "--config", dir_.path() + "/estated.conf"},
                         log_));
    ASSERT_TRUE(WaitFor([&] { return Ctl({"stats"}).exit_code == 0; }))
        << testing::ReadTextFile(log_);
  }

  static void Write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(inventory_port_) + "/"; }

  // POSTs `body` as an agent would; `credentials` "user:password" or "".
  HttpResult Post(const std::string& body, const std::string& user_agent,
                  const std::string& credentials = "estate:" + kToken) {
    const std::string in = dir_.path() + "/request." + std::to_string(++posts_);
    const std::string out = in + ".reply";
    Write(in, body);
    std::vector<std::string> args = {"/usr/bin/curl",
                                     "-sS",
                                     "-o",
                                     out,
                                     "-w",
                                     "%{http_code}",
                                     "-D",
                                     out + ".headers",
                                     "-A",
                                     user_agent,
                                     "-H",
                                     "Content-Type: application/x-compress",
                                     "--data-binary",
                                     "@" + in};
    if (!credentials.empty()) args.insert(args.end(), {"-u", credentials});
    args.push_back(Url());
    CommandResult r = RunCommand(args);
    HttpResult result;
    result.status = std::atoi(r.out.c_str());
    result.body = testing::ReadTextFile(out);
    result.headers = testing::ReadTextFile(out + ".headers");
    return result;
  }

  HttpResult PostFixture(const std::string& name, const std::string& user_agent,
                         collector::BodyEncoding encoding) {
    auto body = collector::EncodeBody(testing::ReadTextFile(kFixtures + name), encoding);
    EXPECT_TRUE(body.ok());
    return Post(body.ok() ? *body : "", user_agent);
  }

  CommandResult Ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {kEstatectl, "--socket", socket_});
    return RunCommand(args);
  }

  nlohmann::json Json(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CommandResult r = Ctl(args);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
    return j;
  }

  nlohmann::json Agent(const std::string& node_id) {
    const nlohmann::json agents = Json({"agents"});  // the loop reads into it
    for (const auto& a : agents.at("agents")) {
      if (a.at("node_id") == node_id) return a;
    }
    return nullptr;
  }

  TempDir dir_;
  uint16_t port_ = 0, inventory_port_ = 0;
  int posts_ = 0;
  std::string socket_, log_;
  Daemon collector_;
};

TEST_F(InventoryEndToEnd, WindowsMacAndGlpiInventoriesBecomeAssets) {
  HttpResult prolog = Post(
      *collector::EncodeBody("<?xml version=\"1.0\" encoding=\"UTF-8\" ?><REQUEST><DEVICEID>"
                             "pc-arg-23.cedre.local-2017-04-18-09-26-44</DEVICEID><QUERY>PROLOG"
                             "</QUERY></REQUEST>",
                             collector::BodyEncoding::kZlib),
      "FusionInventory-Agent_v2.3.19");
  ASSERT_EQ(prolog.status, 200) << prolog.body << testing::ReadTextFile(log_);
  auto reply = collector::DecodeBody(prolog.body, 1 << 20);
  ASSERT_TRUE(reply.ok());
  EXPECT_NE(reply->find("<RESPONSE>SEND</RESPONSE>"), std::string::npos) << *reply;

  ASSERT_EQ(
      PostFixture("xml/12.xml", "FusionInventory-Agent_v2.3.19", collector::BodyEncoding::kZlib)
          .status,
      200)
      << testing::ReadTextFile(log_);
  ASSERT_EQ(
      PostFixture("xml/4.xml", "FusionInventory-Agent_v2.3.21", collector::BodyEncoding::kZlib)
          .status,
      200);
  HttpResult glpi =
      PostFixture("json/computer_1.json", "GLPI-Agent_v1.7", collector::BodyEncoding::kGzip);
  ASSERT_EQ(glpi.status, 200) << glpi.body;

  nlohmann::json windows = Json({"show", "CZC0479792"});
  EXPECT_EQ(windows.at("serial"), "CZC0479792");
  EXPECT_EQ(windows.at("model"), "HP EliteBook 2540p");
  EXPECT_EQ(windows.at("vendor"), "Hewlett-Packard");
  EXPECT_EQ(windows.at("os"), "Windows 8.1 Professionnel");
  EXPECT_EQ(windows.at("software_count"), 8);
  EXPECT_EQ(windows.at("asset_class"), "laptop");
  EXPECT_EQ(windows.at("dmi_uuid"), "33e737a8-f827-11df-9297-47c0a301005a");
  const auto& macs = windows.at("macs");
  EXPECT_NE(std::find(macs.begin(), macs.end(), "68:b5:99:e6:84:eb"), macs.end()) << macs;
  ASSERT_EQ(windows.at("sources").size(), 1u);
  EXPECT_EQ(windows.at("sources")[0].at("kind"), "fusioninventory");
  EXPECT_EQ(
      windows.at("source_versions").at(windows.at("sources")[0].at("node_id").get<std::string>()),
      "2.3.19");
  // The table view says it too.
  CommandResult table = Ctl({"show", "CZC0479792"});
  EXPECT_NE(table.out.find("fusioninventory 2.3.19"), std::string::npos) << table.out;

  nlohmann::json mac = Json({"show", "C02NG5A5FY11"});
  EXPECT_EQ(mac.at("model"), "iMac15,1");
  EXPECT_EQ(mac.at("os"), "macOS 10.13.5");
  EXPECT_EQ(mac.at("software_count"), 7);

  nlohmann::json xps = Json({"show", "640HP72"});
  EXPECT_EQ(xps.at("sources")[0].at("kind"), "glpi-agent");
  EXPECT_EQ(xps.at("software_count"), 6);

  nlohmann::json agent = Agent("fusioninventory:pc-arg-23.cedre.local-2017-04-18-09-26-44");
  ASSERT_FALSE(agent.is_null()) << Json({"agents"});
  EXPECT_EQ(agent.at("kind"), "fusioninventory");
  EXPECT_EQ(agent.at("version"), "2.3.19");
  EXPECT_EQ(agent.at("hostname"), "pc-arg-23");
  EXPECT_EQ(Agent("glpi-agent:glpixps-2018-07-09-09-07-13").at("kind"), "glpi-agent");
}

TEST_F(InventoryEndToEnd, RepeatedInventoryChangesNothing) {
  ASSERT_EQ(
      PostFixture("xml/12.xml", "FusionInventory-Agent_v2.3.19", collector::BodyEncoding::kZlib)
          .status,
      200);
  const size_t history = Json({"history", "CZC0479792"}).at("events").size();
  const size_t assets = Json({"assets"}).at("assets").size();  // the laptop and its monitors
  ASSERT_EQ(
      PostFixture("xml/12.xml", "FusionInventory-Agent_v2.3.19", collector::BodyEncoding::kZlib)
          .status,
      200);
  EXPECT_EQ(Json({"history", "CZC0479792"}).at("events").size(), history);
  EXPECT_EQ(Json({"assets"}).at("assets").size(), assets);
}

TEST_F(InventoryEndToEnd, RefusesBadCredentialsAndBadBodiesAndStaysUp) {
  const std::string prolog = "<REQUEST><DEVICEID>d-1</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>";
  HttpResult none = Post(prolog, "FusionInventory-Agent_v2.6", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Post(prolog, "FusionInventory-Agent_v2.6", "estate:wrong-token").status, 401);
  EXPECT_EQ(Post("\x78\x9c not deflate at all", "FusionInventory-Agent_v2.6").status, 400);
  EXPECT_EQ(Post("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaa\">]><REQUEST>&a;</REQUEST>",
                 "FusionInventory-Agent_v2.6")
                .status,
            400);
  // Larger than inventory_max_body_mb (32): refused before it is read whole.
  EXPECT_EQ(Post(std::string(33u << 20, '<'), "FusionInventory-Agent_v2.6").status, 413);
  const std::string log = testing::ReadTextFile(log_);
  EXPECT_NE(log.find("corrupt compressed body"), std::string::npos) << log;
  EXPECT_NE(log.find("DOCTYPE"), std::string::npos) << log;
  // Still serving: a good inventory goes in, then its revoked node is refused.
  ASSERT_EQ(
      PostFixture("xml/4.xml", "FusionInventory-Agent_v2.3.21", collector::BodyEncoding::kZlib)
          .status,
      200);
  ASSERT_EQ(Ctl({"revoke", "fusioninventory:iMac-de-Marie.local-2017-06-12-09-24-14"}).exit_code,
            0);
  EXPECT_EQ(
      PostFixture("xml/4.xml", "FusionInventory-Agent_v2.3.21", collector::BodyEncoding::kZlib)
          .status,
      403);
}

// Inventory users over real HTTP: added with estatectl (a generated password
// shown once, or one read from stdin), accepted as basic auth beside the
// token, refused with the challenge when wrong, and cut off by revocation at
// the next request, without a restart.
TEST_F(InventoryEndToEnd, InventoryUsersAreAcceptedAndRevokedAtOnce) {
  const std::string prolog = "<REQUEST><DEVICEID>u-1</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>";
  const std::string agent = "FusionInventory-Agent_v2.6";
  const nlohmann::json added = Json({"inventory-user", "add", "paris"});
  ASSERT_TRUE(added.contains("password")) << added;
  const std::string password = added.at("password");
  EXPECT_EQ(password.size(), 32u);

  // A chosen password comes on stdin, never on the command line.
  Write(dir_.path() + "/lyon.pass", "lyon's long password\n");
  CommandResult lyon =
      RunCommand({"/bin/sh", "-c",
                  kEstatectl + " --socket " + socket_ +
                      " inventory-user add lyon --password-stdin < " + dir_.path() + "/lyon.pass"});
  ASSERT_EQ(lyon.exit_code, 0) << lyon.err;
  EXPECT_EQ(lyon.out.find("lyon's long password"), std::string::npos) << lyon.out;

  EXPECT_EQ(Post(prolog, agent, "paris:" + password).status, 200) << testing::ReadTextFile(log_);
  EXPECT_EQ(Post(prolog, agent, "paris:" + password).status, 200);  // from memory now
  EXPECT_EQ(Post(prolog, agent, "lyon:lyon's long password").status, 200);
  EXPECT_EQ(Post(prolog, agent, "estate:" + kToken).status, 200);  // the token still works
  HttpResult wrong = Post(prolog, agent, "paris:" + password + "x");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.headers.find("WWW-Authenticate: Basic realm="), std::string::npos)
      << wrong.headers;
  EXPECT_EQ(Post(prolog, agent, "nobody:" + password).status, 401);

  const nlohmann::json users = Json({"inventory-user", "list"});
  ASSERT_EQ(users.at("users").size(), 2u) << users;
  EXPECT_EQ(users.at("users")[1].at("name"), "paris");
  EXPECT_EQ(users.at("users")[1].at("revoked"), false);
  EXPECT_EQ(users.dump().find(password), std::string::npos);  // never shown again
  CommandResult csv = Ctl({"inventory-user", "list", "--csv"});
  EXPECT_EQ(csv.out.rfind("name,created_at,created_by,revoked,revoked_at,revoked_by\r\n", 0), 0u)
      << csv.out;

  ASSERT_EQ(Ctl({"inventory-user", "revoke", "paris"}).exit_code, 0);
  EXPECT_EQ(Post(prolog, agent, "paris:" + password).status, 401);
  EXPECT_EQ(Post(prolog, agent, "lyon:lyon's long password").status, 200);
  EXPECT_EQ(Json({"inventory-user", "list"}).at("users")[1].at("revoked"), true);
  EXPECT_NE(Ctl({"inventory-user", "revoke", "nobody"}).exit_code, 0);

  // Both changes are events, with the admin who made them.
  const std::string events = Json({"events"}).dump();
  EXPECT_NE(events.find("inventory_user_added"), std::string::npos) << events;
  EXPECT_NE(events.find("inventory_user_revoked"), std::string::npos) << events;
  // The log names the refused user, never a password.
  const std::string log = testing::ReadTextFile(log_);
  EXPECT_NE(log.find("inventory refused for user paris"), std::string::npos) << log;
  EXPECT_NE(log.find("inventory refused for user nobody"), std::string::npos) << log;
  EXPECT_EQ(log.find(password), std::string::npos);
  EXPECT_EQ(log.find("lyon's long password"), std::string::npos);
}

// The real Debian fusioninventory-agent, told to report to estated.
TEST_F(InventoryEndToEnd, RealFusionInventoryAgentReportsAndItsChangeIsDrift) {
  const std::string agent = "/usr/bin/fusioninventory-agent";
  if (::access(agent.c_str(), X_OK) != 0) GTEST_SKIP() << "fusioninventory-agent not installed";
  if (::geteuid() != 0)
    GTEST_SKIP() << "fusioninventory-agent keeps its state in /var/lib: root only";
  const std::vector<std::string> run = {
      agent, "--server", Url(), "--user", "estate", "--password", kToken, "--tasks", "inventory",
      "--no-httpd", "--force", "--logger", "stderr",
      // What the check needs: the rest only costs time.
      "--no-category=process,environment,printer,usb,user,local_user,local_group,battery,"
      "controller,slot,sound,video,input,port,antivirus,licenseinfo,lvm,storage,"
      "virtualmachine,memory"};
  CommandResult first = RunCommand(run, std::chrono::seconds(120));
  ASSERT_EQ(first.exit_code, 0) << first.err << testing::ReadTextFile(log_);
  CommandResult dpkg = RunCommand({"/usr/bin/dpkg-query", "-W", "-f", "${Status}\\n"});
  const size_t installed = [&] {
    size_t n = 0;
    for (size_t at = 0; (at = dpkg.out.find("install ok installed", at)) != std::string::npos;
         ++at) {
      ++n;
    }
    return n;
  }();
  char host[256] = {};
  ::gethostname(host, sizeof(host) - 1);
  nlohmann::json asset = Json({"show", host});
  ASSERT_TRUE(asset.contains("id")) << asset << testing::ReadTextFile(log_);
  EXPECT_EQ(asset.at("software_count"), installed);
  EXPECT_EQ(asset.at("sources")[0].at("kind"), "fusioninventory");
  EXPECT_FALSE(asset.at("os").get<std::string>().empty());
  const std::string id = asset.at("id");

  // A package appears: the agent's --additional-content adds it to what it reports.
  Write(dir_.path() + "/extra.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><REQUEST><CONTENT><SOFTWARES>"
        "<NAME>estate-test-added</NAME><VERSION>1.0</VERSION><FROM>deb</FROM>"
        "<PUBLISHER>Estate tests</PUBLISHER></SOFTWARES></CONTENT></REQUEST>");
  std::vector<std::string> second = run;
  second.push_back("--additional-content=" + dir_.path() + "/extra.xml");
  CommandResult again = RunCommand(second, std::chrono::seconds(120));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Json({"show", id}).at("software_count"), installed + 1);
  // The new package is in the asset's history (a drift entry).
  const std::string history = Json({"history", id}).dump();
  EXPECT_NE(history.find("estate-test-added"), std::string::npos) << history.substr(0, 2000);
  const std::string drift = Json({"drift", id}).dump();
  EXPECT_NE(drift.find("estate-test-added"), std::string::npos) << drift;

  // A wrong password is refused (the agent reports the failure).
  std::vector<std::string> wrong = run;
  wrong[6] = "not-the-token";
  CommandResult refused = RunCommand(wrong, std::chrono::seconds(120));
  EXPECT_NE(refused.err.find("wrong credentials"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace estate
