#include "collector/inventory/inventory_tree.h"

#include <gtest/gtest.h>

namespace estate::collector {
namespace {

TEST(InventoryTree, ReadsElementsAndTrimmedText) {
  auto root = ParseInventoryXml(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST><CONTENT><BIOS><SSN> ABC </SSN>"
      "</BIOS><SOFTWARES><NAME>a &amp; b</NAME></SOFTWARES><SOFTWARES><NAME>c</NAME>"
      "</SOFTWARES></CONTENT><QUERY>INVENTORY</QUERY></REQUEST>");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root->name, "REQUEST");
  EXPECT_EQ(root->Text("QUERY"), "INVENTORY");
  const InventoryNode* content = root->Child("CONTENT");
  ASSERT_NE(content, nullptr);
  EXPECT_EQ(content->Child("BIOS")->Text("SSN"), "ABC");
  ASSERT_EQ(content->All("SOFTWARES").size(), 2u);
  EXPECT_EQ(content->All("SOFTWARES")[0]->Text("NAME"), "a & b");
}

TEST(InventoryTree, RefusesEntityExpansion) {
  const std::string bomb =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
      "<REQUEST>&lol2;</REQUEST>";
  auto root = ParseInventoryXml(bomb);
  ASSERT_FALSE(root.ok());
  EXPECT_NE(root.status().message().find("DOCTYPE"), std::string::npos);
  auto external = ParseInventoryXml(
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>");
  EXPECT_FALSE(external.ok());
}

TEST(InventoryTree, RefusesDeepNestingAndTooManyElements) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<A>";
  for (int i = 0; i < 100; ++i) deep += "</A>";
  auto nested = ParseInventoryXml(deep);
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.status().message().find("deeper"), std::string::npos);
  std::string wide = "<R>";
  for (int i = 0; i < 50; ++i) wide += "<X/>";
  wide += "</R>";
  EXPECT_FALSE(ParseInventoryXml(wide, {32, 10}).ok());
}

TEST(InventoryTree, RefusesMalformedAndWronglyEncodedDocuments) {
  EXPECT_FALSE(ParseInventoryXml("<REQUEST><QUERY>PROLOG</REQUEST>").ok());
  EXPECT_FALSE(ParseInventoryXml("").ok());
  // Bytes that are not UTF-8 in a document that says it is.
  EXPECT_FALSE(ParseInventoryXml("<?xml version=\"1.0\" encoding=\"UTF-8\"?><R>\xff\xfe</R>").ok());
  EXPECT_FALSE(
      ParseInventoryXml("<?xml version=\"1.0\" encoding=\"x-unknown-charset\"?><R>a</R>").ok());
  // Latin-1, declared so, comes out as UTF-8.
  auto latin = ParseInventoryXml("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><R>r\xe9seau</R>");
  ASSERT_TRUE(latin.ok());
  EXPECT_EQ(latin->text, "r\xc3\xa9seau");
}

TEST(InventoryTree, ReadsJsonIntoTheSameShape) {
  auto json =
      nlohmann::json::parse(R"({"bios":{"ssn":"X1"},"softwares":[{"name":"a"},{"name":"b"}],)"
                            R"("networks":[{"virtualdev":true,"speed":1000}]})");
  auto root = InventoryTreeFromJson("content", json);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->name, "CONTENT");
  EXPECT_EQ(root->Child("BIOS")->Text("SSN"), "X1");
  EXPECT_EQ(root->All("SOFTWARES").size(), 2u);
  EXPECT_EQ(root->Child("NETWORKS")->Text("VIRTUALDEV"), "1");
  EXPECT_EQ(root->Child("NETWORKS")->Text("SPEED"), "1000");
}

}  // namespace
}  // namespace estate::collector
