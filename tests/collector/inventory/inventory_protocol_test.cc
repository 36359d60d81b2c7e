#include "collector/inventory/inventory_protocol.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "collector/inventory/inventory_credentials.h"

namespace estate::collector {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(ESTATE_SOURCE_DIR) +
                   "/tests/fixtures/third_party/glpi-inventory-format/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Unpack(const InventoryReply& reply) {
  auto text = DecodeBody(reply.body, 1 << 20);
  EXPECT_TRUE(text.ok());
  return text.ok() ? *text : "";
}

constexpr char kProlog[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<REQUEST><DEVICEID>pc-1-2024-01-01-00-00-00"
    "</DEVICEID><QUERY>PROLOG</QUERY><TOKEN>12345678</TOKEN></REQUEST>";

TEST(InventoryProtocol, AnswersACompressedPrologInKind) {
  auto body = EncodeBody(kProlog, BodyEncoding::kZlib);
  ASSERT_TRUE(body.ok());
  InventoryReply reply = HandleInventoryRequest({*body, "FusionInventory-Agent_v2.6"}, {});
  ASSERT_EQ(reply.status, 200u) << reply.error;
  EXPECT_FALSE(reply.report.has_value());
  EXPECT_EQ(reply.content_type, "application/x-compress-zlib");
  const std::string text = Unpack(reply);
  EXPECT_NE(text.find("<RESPONSE>SEND</RESPONSE>"), std::string::npos) << text;
  EXPECT_NE(text.find("<PROLOG_FREQ>24</PROLOG_FREQ>"), std::string::npos) << text;
}

TEST(InventoryProtocol, TurnsAnInventoryIntoAReportOfItsAgent) {
  auto body = EncodeBody(Fixture("xml/12.xml"), BodyEncoding::kZlib);
  ASSERT_TRUE(body.ok());
  InventoryReply reply = HandleInventoryRequest({*body, "FusionInventory-Agent_v2.3.19"}, {});
  ASSERT_EQ(reply.status, 200u) << reply.error;
  ASSERT_TRUE(reply.report.has_value());
  EXPECT_EQ(reply.report->kind, v1::PEER_KIND_FUSIONINVENTORY);
  EXPECT_EQ(reply.report->node_id, "fusioninventory:pc-arg-23.cedre.local-2017-04-18-09-26-44");
  EXPECT_EQ(reply.report->version, "2.3.19");
  EXPECT_EQ(reply.report->facts.dmi().serial(), "CZC0479792");

  InventoryReply ocs =
      HandleInventoryRequest({Fixture("xml/12.xml"), "OCS-NG_WINDOWS_AGENT_v2.9"}, {});
  ASSERT_EQ(ocs.status, 200u);
  EXPECT_EQ(ocs.report->kind, v1::PEER_KIND_OCS);
  EXPECT_EQ(ocs.content_type, "application/xml");  // a plain request, a plain answer
  EXPECT_NE(ocs.body.find("no_account_update"), std::string::npos);
}

TEST(InventoryProtocol, SpeaksGlpiAgentJson) {
  InventoryReply contact = HandleInventoryRequest(
      {R"({"action":"contact","deviceid":"host-1","name":"GLPI-Agent","version":"1.7",
          "installed-tasks":["inventory"],"enabled-tasks":["inventory"]})",
       "GLPI-Agent_v1.7"},
      {});
  ASSERT_EQ(contact.status, 200u) << contact.error;
  auto answer = nlohmann::json::parse(contact.body);
  EXPECT_EQ(answer.at("status"), "ok");
  EXPECT_EQ(answer.at("expiration"), 24);
  EXPECT_TRUE(answer.at("tasks").contains("inventory"));

  auto gz = EncodeBody(Fixture("json/computer_1.json"), BodyEncoding::kGzip);
  ASSERT_TRUE(gz.ok());
  InventoryReply inventory = HandleInventoryRequest({*gz, "GLPI-Agent_v1.7"}, {});
  ASSERT_EQ(inventory.status, 200u) << inventory.error;
  ASSERT_TRUE(inventory.report.has_value());
  EXPECT_EQ(inventory.report->kind, v1::PEER_KIND_GLPI_AGENT);
  EXPECT_EQ(inventory.report->node_id, "glpi-agent:glpixps-2018-07-09-09-07-13");
  EXPECT_EQ(inventory.report->version, "2.5.2-1.fc31");  // the content's versionclient
  EXPECT_EQ(inventory.content_type, "application/x-compress-gzip");
}

TEST(InventoryProtocol, RefusesBadRequestsClearly) {
  struct Case {
    std::string body;
    std::string why;
  };
  const std::vector<Case> cases = {
      {"", "neither an XML nor a JSON"},
      {"\x78\x9c garbage that is not deflate", "corrupt compressed body"},
      {"<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>x</DEVICEID></REQUEST>", "without CONTENT"},
      {"<REQUEST><QUERY>PROLOG</QUERY></REQUEST>", "DEVICEID"},
      {"<REQUEST><QUERY>SNMPQUERY</QUERY><DEVICEID>x</DEVICEID></REQUEST>", "not served"},
      {"<REPLY/>", "not <REQUEST>"},
      {"<REQUEST><QUERY>PROLOG", "XML line"},
      {R"({"action":"inventory","deviceid":"d","partial":true,"content":{}})", "partial"},
      {R"({"action":"inventory","deviceid":"d","itemtype":"Printer","content":{}})",
       "only Computer"},
      {R"({"action":7,"deviceid":"d"})", "not served"},
      {R"(["not","an","object"])", "not a JSON object"},
  };
  for (const auto& c : cases) {
    InventoryReply reply = HandleInventoryRequest({c.body, "FusionInventory-Agent_v2.6"}, {});
    EXPECT_EQ(reply.status, 400u) << c.body;
    EXPECT_NE(reply.error.find(c.why), std::string::npos) << c.body << " -> " << reply.error;
    EXPECT_FALSE(reply.report.has_value());
  }
}

TEST(InventoryProtocol, TellsAgentsApart) {
  std::string version;
  EXPECT_EQ(ForeignAgentKind("OCS-NG_unified_unix_agent_v2.10.0", &version), v1::PEER_KIND_OCS);
  EXPECT_EQ(version, "2.10.0");
  EXPECT_EQ(ForeignAgentKind("GLPI-Agent_v1.7.1", &version), v1::PEER_KIND_GLPI_AGENT);
  EXPECT_EQ(version, "1.7.1");
  EXPECT_EQ(ForeignAgentKind("FusionInventory-Agent_v2.6", &version),
            v1::PEER_KIND_FUSIONINVENTORY);
  EXPECT_EQ(version, "2.6");
}

// The foreign kinds are frame.proto's PeerKind entries, at the numbers they
// had before they were declared there, and go by the names records keep.
TEST(InventoryProtocol, ForeignKindsAreWireEntriesWithTheirNames) {
  EXPECT_EQ(static_cast<int>(v1::PEER_KIND_GLPI_AGENT), 101);
  EXPECT_EQ(static_cast<int>(v1::PEER_KIND_FUSIONINVENTORY), 102);
  EXPECT_EQ(static_cast<int>(v1::PEER_KIND_OCS), 103);
  EXPECT_STREQ(PeerKindName(v1::PEER_KIND_GLPI_AGENT), "glpi-agent");
  EXPECT_STREQ(PeerKindName(v1::PEER_KIND_FUSIONINVENTORY), "fusioninventory");
  EXPECT_STREQ(PeerKindName(v1::PEER_KIND_OCS), "ocs");
  EXPECT_STREQ(PeerKindName(static_cast<v1::PeerKind>(57)), "unknown");
  for (auto kind : {v1::PEER_KIND_GLPI_AGENT, v1::PEER_KIND_FUSIONINVENTORY, v1::PEER_KIND_OCS}) {
    EXPECT_TRUE(IsForeignPeerKind(kind));
    EXPECT_TRUE(v1::PeerKind_IsValid(kind));
  }
  EXPECT_FALSE(IsForeignPeerKind(v1::PEER_KIND_AGENT));
}

TEST(InventoryCredentials, SplitsBasicAndBearerHeaders) {
  auto basic = ParseAuthorization("Basic cGFyaXM6cGE6c3M=");  // "paris:pa:ss"
  ASSERT_TRUE(basic.has_value());
  EXPECT_FALSE(basic->bearer);
  EXPECT_EQ(basic->user, "paris");
  EXPECT_EQ(basic->password, "pa:ss");  // only the first ':' splits
  auto bearer = ParseAuthorization("bearer  tok ");
  ASSERT_TRUE(bearer.has_value());
  EXPECT_TRUE(bearer->bearer);
  EXPECT_EQ(bearer->password, "tok");
  EXPECT_FALSE(ParseAuthorization("Digest x").has_value());
  EXPECT_FALSE(ParseAuthorization("Basic bm9jb2xvbg==").has_value());  // "nocolon"
  EXPECT_FALSE(InventoryCredentialsMatch("Basic YWdlbnQ6", ""));  // no token set: never matches
}

TEST(InventoryCredentials, AcceptsTheTokenAsPasswordOrBearer) {
  // "agent:s3cret" and "x:wrong"
  EXPECT_TRUE(InventoryCredentialsMatch("Basic YWdlbnQ6czNjcmV0", "s3cret"));
  EXPECT_FALSE(InventoryCredentialsMatch("Basic eDp3cm9uZw==", "s3cret"));
  EXPECT_TRUE(InventoryCredentialsMatch("Bearer s3cret", "s3cret"));
  EXPECT_FALSE(InventoryCredentialsMatch("Bearer s3cre", "s3cret"));
  EXPECT_FALSE(InventoryCredentialsMatch("Basic !!!", "s3cret"));
  EXPECT_FALSE(InventoryCredentialsMatch("", "s3cret"));
}

}  // namespace
}  // namespace estate::collector
