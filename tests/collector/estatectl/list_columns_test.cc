// The lists estatectl exports: a stable column set holding the whole record,
// ISO 8601 times, RFC 4180 quoting and no spreadsheet formulas; and a round
// trip through a standard CSV reader (Python's csv module), field by field.
#include "collector/estatectl/list_columns.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "collector/estatectl/render.h"
#include "tests/collector/temp_dir.h"
#include "tests/support/subprocess.h"

namespace estate::collector {
namespace {

using nlohmann::json;

json Asset(const std::string& id, json attributes) {
  return {{"id", id},
          {"hostname", "host-" + id},
          {"asset_class", "laptop"},
          {"state", "checked_out"},
          {"managed", true},
          {"attributes", std::move(attributes)},
          {"custody", {{"holder", "dave"}, {"checked_out_at", 1796000000}, {"due", 1796657220}}},
          {"ips", {"10.0.0.1", "10.0.0.2"}},
          {"macs", {"00:1b:21:00:00:01"}},
          {"first_seen", 1764000000},
          {"last_seen", "1796000000"},
          {"overdue_raised", true}};
}

TEST(CsvField, QuotesPerRfc4180AndNeutralisesFormulas) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-2+3"), "'-2+3");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField(""), "");
}

TEST(AssetsCsv, HasTheDocumentedColumnsWhateverTheData) {
  auto empty = RenderCsv("assets", json{{"assets", json::array()}}, "");
  auto full = RenderCsv("assets", json{{"assets", {Asset("A-1", {{"owner", "bob"}})}}}, "");
  ASSERT_TRUE(empty.ok() && full.ok());
  const std::string header = empty->substr(0, empty->find("\r\n"));
  EXPECT_EQ(header, full->substr(0, full->find("\r\n")));
  EXPECT_EQ(header,
            "id,asset_tag,hostname,fqdn,class,state,managed,owner,department,location,holder,"
            "checked_out_at,due,cost,purchase_date,warranty_end,notes,custom,vendor,model,serial,"
            "os,primary_ip,primary_mac,ips,macs,device_type,switch,switch_port,vlan,first_seen,"
            "last_seen,ignored");
  // Times are ISO 8601 UTC, and internal fields stay inside.
  EXPECT_NE(full->find(",2026-11-30T00:53:20Z,2026-12-07T15:27:00Z,"), std::string::npos) << *full;
  EXPECT_EQ(full->find("1796657220"), std::string::npos) << *full;
  EXPECT_EQ(full->find("overdue_raised"), std::string::npos);
}

TEST(AssetsCsv, ColumnsAreChosenByNameAndTyposRefused) {
  const json result = {{"assets", {Asset("A-1", {{"asset_tag", "IT-0001"}})}}};
  auto chosen = RenderCsv("assets", result, "asset_tag,holder,due");
  ASSERT_TRUE(chosen.ok()) << chosen.status().ToString();
  EXPECT_EQ(*chosen, "asset_tag,holder,due\r\nIT-0001,dave,2026-12-07T15:27:00Z\r\n");
  auto typo = RenderCsv("assets", result, "asset_tag,hodler");
  EXPECT_NE(typo.status().message().find("no column 'hodler' (did you mean 'holder'?)"),
            std::string::npos);
  EXPECT_FALSE(RenderCsv("stats", json{{"assets_total", 1}}, "").ok());
}

// Export, read back with Python's csv module, compare every field.
TEST(AssetsCsv, RoundTripsThroughAStandardCsvReader) {
  if (std::system("/usr/bin/python3 -c 'import csv, json' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3 is not installed: no standard CSV reader to compare with";
  }
  const json result = {{"assets",
                        {Asset("A-1", {{"owner", "O'Brien, Pat"},
                                       {"notes", "line one\nline \"two\"\r\nthree"},
                                       {"cost", "1299.50 EUR"},
                                       {"x-formula", "=cmd|' /C calc'!A0"},
                                       {"location", "@HQ"}}),
                         Asset("A-2", {{"owner", "Zoë Ünal"}, {"department", "-Sales"}})}}};
  auto csv = RenderCsv("assets", result, "");
  ASSERT_TRUE(csv.ok());
  TempDir dir;
  const std::string path = dir.path() + "/assets.csv";
  std::ofstream(path, std::ios::binary) << *csv;
  auto read = testing::RunCommand(
      {"/usr/bin/python3", "-c",
       "import csv, json, sys\n"
       "print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))",
       path});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  const json rows = json::parse(read.out);
  auto view = ListOf("assets", result);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(rows.size(), 3u);
  for (size_t c = 0; c < view->columns.size(); ++c) {
    EXPECT_EQ(rows[0][c], view->columns[c].name);
    for (size_t r = 0; r < 2; ++r) {
      std::string expected = view->columns[c].value(result["assets"][r]);
      if (!expected.empty() && std::string("=+-@").find(expected[0]) != std::string::npos) {
        expected = "'" + expected;  // neutralised, otherwise the same text
      }
      EXPECT_EQ(rows[r + 1][c].get<std::string>(), expected)
          << "row " << r << " column " << view->columns[c].name;
    }
  }
  // custom: the whole attribute; safe, the field starts with its key.
  EXPECT_EQ(rows[1][17], "x-formula==cmd|' /C calc'!A0");
  // And against the record itself, not only the column functions: the
  // attributes come back byte for byte (quotes, commas, CRLF, UTF-8).
  auto cell = [&](size_t row, const std::string& column) -> std::string {
    for (size_t c = 0; c < rows[0].size(); ++c) {
      if (rows[0][c] == column) return rows[row][c].get<std::string>();
    }
    ADD_FAILURE() << "no column " << column;
    return "";
  };
  for (size_t r = 0; r < 2; ++r) {
    EXPECT_EQ(cell(r + 1, "id"), result["assets"][r]["id"]);
    for (const auto& [key, value] : result["assets"][r]["attributes"].items()) {
      if (key.rfind("x-", 0) == 0) continue;  // in "custom"
      std::string expected = value.get<std::string>();
      if (std::string("=+-@").find(expected[0]) != std::string::npos) expected = "'" + expected;
      EXPECT_EQ(cell(r + 1, key), expected) << key;
    }
  }
}

TEST(AssetsTable, ShowsTheColumnsTheRowsFillAndCountsLongLists) {
  json stock = {{"id", "A-9"},
                {"asset_class", "monitor"},
                {"state", "in_stock"},
                {"attributes", {{"asset_tag", "IT-0009"}}}};
  const std::string table = RenderForHumans("assets", json{{"assets", {stock}}});
  EXPECT_EQ(table.substr(0, table.find('\n')), "ID   TAG      CLASS    STATE");
  json sw = Asset("A-1", json::object());
  sw["macs"] = json::array();
  for (int i = 0; i < 52; ++i) sw["macs"].push_back("00:1b:21:00:00:" + std::to_string(10 + i));
  const std::string wide = RenderForHumans("assets", json{{"assets", {sw, stock}}});
  EXPECT_NE(wide.find("00:1b:21:00:00:10 (+51)"), std::string::npos) << wide;
  for (size_t start = 0, end; (end = wide.find('\n', start)) != std::string::npos;
       start = end + 1) {
    EXPECT_LT(end - start, 200u) << wide.substr(start, end - start);
  }
}

}  // namespace
}  // namespace estate::collector
