// The pure half of `import`: header mapping, row checks by line, value
// normalisation, encodings, and the register CSV an export writes.
#include "collector/admin/register_import.h"

#include <gtest/gtest.h>

#include "collector/admin/attribute_schema.h"
#include "collector/admin/register_csv.h"
#include "collector/admin/text_encoding.h"

namespace estate::collector {
namespace {

std::string Error(const Status& status) { return status.message(); }
bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Result<ColumnMap> Map(const std::vector<std::string>& header, const std::string& map = "",
                      const std::string& ignore = "") {
  auto overrides = ParseColumnOverrides(map, ignore);
  if (!overrides.ok()) return overrides.status();
  return MapColumns(header, *overrides);
}

TEST(MapColumns, ReadsSnipeItGlpiAndSpreadsheetHeaders) {
  auto snipe = Map({"Asset Tag", "Name", "Serial", "Category", "Status", "Manufacturer", "Model",
                    "Location", "Department", "Checked Out To", "Purchase Date", "Purchase Cost",
                    "Warranty", "MAC Address", "Notes"});
  ASSERT_TRUE(snipe.ok()) << snipe.status().message();
  EXPECT_EQ(snipe->field_of,
            (std::vector<std::string>{"asset_tag", "hostname", "serial", "class", "state", "vendor",
                                      "model", "location", "department", "owner", "purchase_date",
                                      "cost", "warranty_end", "macs", "notes"}));
  auto glpi = Map({"Name", "Serial number", "Inventory number", "Type", "User", "Comments"});
  ASSERT_TRUE(glpi.ok()) << glpi.status().message();
  EXPECT_EQ(glpi->field_of, (std::vector<std::string>{"hostname", "serial", "asset_tag", "class",
                                                      "owner", "notes"}));
  auto ours = Map({"asset_id", "asset_tag", "serial_number", "x-cost-center"});
  ASSERT_TRUE(ours.ok()) << ours.status().message();
  EXPECT_EQ(ours->field_of,
            (std::vector<std::string>{"asset_id", "asset_tag", "serial", "x-cost-center"}));
}

TEST(MapColumns, UnknownColumnsAreRefusedUnlessMappedOrIgnored) {
  const std::vector<std::string> header = {"Asset Tag", "ID", "Entity", "Serail No"};
  const std::string refused = Error(Map(header).status());
  EXPECT_TRUE(Has(refused, "line 1: columns not understood: 'ID'")) << refused;
  EXPECT_TRUE(Has(refused, "'Entity'")) << refused;
  EXPECT_TRUE(Has(refused, "'Serail No' (serial?)")) << refused;
  EXPECT_TRUE(Has(refused, "--ignore-column")) << refused;
  auto mapped = Map(header, "serail no=serial\nID=x-snipe-id", "Entity");
  ASSERT_TRUE(mapped.ok()) << mapped.status().message();
  EXPECT_EQ(mapped->field_of, (std::vector<std::string>{"asset_tag", "x-snipe-id", "", "serial"}));
  EXPECT_EQ(mapped->ignored, (std::vector<std::string>{"Entity"}));
}

TEST(MapColumns, BadOverridesNameTheNearestValidSpelling) {
  EXPECT_TRUE(Has(Error(Map({"Tag"}, "Tag=asset_tga").status()),
                  "no field 'asset_tga' (did you mean 'asset_tag'?)"));
  EXPECT_TRUE(Has(Error(Map({"Tag"}, "Tga=asset_tag").status()),
                  "the file has no column 'tga' (did you mean 'tag'?)"));
  EXPECT_TRUE(Has(Error(Map({"Tag"}, "", "Tga").status()), "--ignore-column"));
  EXPECT_TRUE(Has(Error(Map({"Tag"}, "no equals sign").status()), "COLUMN=field"));
  EXPECT_TRUE(Has(Error(Map({"Serial", "Serial Number"}).status()),
                  "columns 'Serial' and 'Serial Number' both hold serial"));
  EXPECT_TRUE(Has(Error(Map({"Model", "Notes"}).status()), "no column identifies an asset"));
}

ImportRow Row(const std::vector<std::string>& header, const std::vector<std::string>& cells,
              Status* error = nullptr) {
  auto columns = Map(header);
  EXPECT_TRUE(columns.ok()) << columns.status().message();
  CsvRecord record{7, cells};
  auto row = ParseImportRow(record, *columns, BuiltinClasses());
  if (error) *error = row.ok() ? Status::Ok() : row.status();
  return row.ok() ? *row : ImportRow();
}

TEST(ParseImportRow, NormalisesEveryFieldToTheStoredForm) {
  auto row = Row({"Asset Tag", "Category", "Status", "Location", "Purchase Date", "Purchase Cost",
                  "Warranty", "MAC Address", "Assigned To"},
                 {" T-1 ", "Laptops", "Ready to Deploy", " hq \\ B2 /  f3 / R 301/", "2024-01-31",
                  "$1,299.50", "36 months", "AA-BB-CC-00-11-22; aabb.cc00.1133", "Dave Smith"});
  EXPECT_EQ(row.Get("asset_tag"), "T-1");
  EXPECT_EQ(row.Get("class"), "laptop");
  EXPECT_EQ(row.Get("state"), "in_stock");
  EXPECT_EQ(row.Get("location"), "hq/B2/f3/R 301");
  EXPECT_EQ(row.Get("purchase_date"), "2024-01-31");
  EXPECT_EQ(row.Get("cost"), "1299.50 USD");
  EXPECT_EQ(row.Get("warranty_end"), "2027-01-31");
  EXPECT_EQ(row.macs, (std::vector<std::string>{"aa:bb:cc:00:11:22", "aa:bb:cc:00:11:33"}));
  EXPECT_EQ(row.Get("owner"), "Dave Smith");
  // A multi-line spreadsheet cell: attributes hold one line.
  EXPECT_EQ(Row({"Tag", "Notes"}, {"T-1", "first\r\n\tsecond "}).Get("notes"), "first second");
}

TEST(ParseImportRow, DatesAreIsoUtcAndAmbiguousOnesAreRefused) {
  EXPECT_EQ(*NormalizeImportDate("2024-03-15"), "2024-03-15");
  EXPECT_EQ(*NormalizeImportDate("2024/3/5"), "2024-03-05");
  EXPECT_EQ(*NormalizeImportDate("2024-03-15 10:00:00"), "2024-03-15");
  EXPECT_EQ(*NormalizeImportDate("2024-03-15T23:30:00-05:00"), "2024-03-16");  // its UTC date
  EXPECT_EQ(*NormalizeImportDate("2024-03-15T00:30:00+01:00"), "2024-03-14");
  EXPECT_TRUE(Has(Error(NormalizeImportDate("03/04/2024").status()), "ambiguous"));
  EXPECT_TRUE(Has(Error(NormalizeImportDate("2023-02-29").status()), "not a real date"));
  Status error;
  Row({"Tag", "Purchase Date"}, {"T-1", "15.03.2024"}, &error);
  EXPECT_TRUE(Has(Error(error), "line 7: purchase_date: '15.03.2024' is not an ISO 8601 date"))
      << Error(error);
  Row({"Tag", "Warranty"}, {"T-1", "36"}, &error);
  EXPECT_TRUE(Has(Error(error), "line 7: warranty_end: '36' months need a purchase date"));
  EXPECT_EQ(AddMonths("2024-01-31", 1), "2024-02-29");
}

TEST(ParseImportRow, BadValuesAreRefusedNamingLineAndField) {
  Status error;
  Row({"Tag", "Category"}, {"T-1", "spaceship"}, &error);
  EXPECT_TRUE(Has(Error(error), "line 7: class: 'spaceship' is not a known class")) << Error(error);
  Row({"Tag", "Status"}, {"T-1", "deploid"}, &error);
  EXPECT_TRUE(Has(Error(error),
                  "line 7: state: 'deploid' is not a lifecycle state (did you mean "
                  "'deployed'?)"))
      << Error(error);
  Row({"Tag", "MAC"}, {"T-1", "not-a-mac"}, &error);
  EXPECT_TRUE(Has(Error(error), "line 7: macs: 'not-a-mac' is not a MAC address"));
  Row({"Tag", "Cost"}, {"T-1", "1.299,50"}, &error);
  EXPECT_TRUE(Has(Error(error), "line 7: cost:")) << Error(error);
  Row({"Tag", "Model"}, {"T-1", "a", "extra"}, &error);
  EXPECT_TRUE(Has(Error(error), "line 7: 3 fields where the header has 2"));
  Row({"Model", "Tag"}, {"X1", ""}, &error);
  EXPECT_TRUE(Has(Error(error), "line 7: nothing identifies the asset")) << Error(error);
  EXPECT_TRUE(Row({"Tag", "Model"}, {"", " "}).values.empty()) << "a blank row is no error";
}

TEST(NormalizeImportCost, ReadsCommonAmountForms) {
  EXPECT_EQ(*NormalizeImportCost("1299"), "1299");
  EXPECT_EQ(*NormalizeImportCost("1299.50 EUR"), "1299.50 EUR");
  EXPECT_EQ(*NormalizeImportCost("eur 1299.50"), "1299.50 EUR");
  EXPECT_EQ(*NormalizeImportCost("\xe2\x82\xac"
                                 "12,000"),
            "12000 EUR");
  EXPECT_EQ(*NormalizeImportCost("\xc2\xa3"
                                 "99.99"),
            "99.99 GBP");
  EXPECT_FALSE(NormalizeImportCost("1299.50 EUD").ok());
}

TEST(DecodeText, RefusesWindows1252NamingTheLineAndConvertsWhenTold) {
  const std::string cp1252 = "Asset Tag,Location\r\nT-1,HQ\r\nT-2,Caf\xe9 \x80 room\r\n";
  auto refused = DecodeText(cp1252, TextEncoding::kUtf8);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Has(Error(refused.status()), "line 3: not UTF-8 (byte 0xE9 after 'T-2,Caf')"))
      << Error(refused.status());
  EXPECT_TRUE(Has(Error(refused.status()), "--encoding cp1252"));
  auto converted = DecodeText(cp1252, TextEncoding::kCp1252);
  ASSERT_TRUE(converted.ok());
  EXPECT_TRUE(Has(*converted, "Caf\xc3\xa9 \xe2\x82\xac room"));
  // Told cp1252 of a UTF-8 file: converting would garble every accent.
  EXPECT_FALSE(DecodeText("a,b\nCaf\xc3\xa9,1\n", TextEncoding::kCp1252).ok());
  EXPECT_TRUE(Has(Error(DecodeText("\xff\xfe"
                                   "a\0",
                                   TextEncoding::kUtf8)
                            .status()),
                  "UTF-16"));
  EXPECT_EQ(*DecodeText("plain,ascii\n", TextEncoding::kUtf8), "plain,ascii\n");
}

TEST(RegisterCsv, WritesTheFieldsImportReadsWithQuotingAndCustomColumns) {
  v1::Asset a;
  a.set_id("A-000001");
  a.set_serial("SN1");
  a.set_hostname("pc-1");
  a.set_asset_class("laptop");
  a.set_state("deployed");
  a.add_macs("aa:bb:cc:00:11:22");
  a.add_macs("aa:bb:cc:00:11:33");
  (*a.mutable_attributes())["asset_tag"] = "T-1";
  (*a.mutable_attributes())["notes"] = "lines, \"quoted\"";
  (*a.mutable_attributes())["x-cost-center"] = "=cmd";
  (*a.mutable_attributes())["cost"] = "1299.50 EUR";
  const std::string csv = RegisterCsv({a});
  EXPECT_TRUE(Has(csv,
                  "asset_id,asset_tag,serial,hostname,class,state,vendor,model,location,"
                  "department,owner,purchase_date,cost,warranty_end,macs,notes,x-cost-center\r\n"))
      << csv;
  EXPECT_TRUE(Has(csv,
                  "A-000001,T-1,SN1,pc-1,laptop,deployed,,,,,,,1299.50 EUR,,"
                  "aa:bb:cc:00:11:22 aa:bb:cc:00:11:33,\"lines, \"\"quoted\"\"\",'=cmd"))
      << csv;
  auto records = ParseCsvRecords(csv);
  ASSERT_TRUE(records.ok());
  auto columns = Map(records->front().fields);
  ASSERT_TRUE(columns.ok()) << columns.status().message();
  auto row = ParseImportRow((*records)[1], *columns, BuiltinClasses());
  ASSERT_TRUE(row.ok()) << row.status().message();
  EXPECT_EQ(row->Get("notes"), "lines, \"quoted\"");
  EXPECT_EQ(row->Get("x-cost-center"), "=cmd") << "the formula guard comes off again";
}

}  // namespace
}  // namespace estate::collector
