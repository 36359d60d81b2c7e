// A command's option table: what it accepts, what it refuses and how.
#include "estate/option_table.h"

#include <gtest/gtest.h>

namespace estate {
namespace {

constexpr OptionRow kTable[] = {
    {"--community", "C", "community", true},
    {"--port", "N", "UDP port"},
    {"--json", nullptr, "JSON lines"},
};

std::string Error(const std::vector<std::string>& args) {
  auto parsed = ParseOptions(args, kTable);
  return parsed.ok() ? "" : parsed.status().message();
}

TEST(OptionTable, KeepsValuesSwitchesAndPositionalArgumentsInOrder) {
  auto parsed = ParseOptions(
      {"--community", "a", "10.0.0.1", "--port=1161", "--community=b", "--json", "--", "--x"},
      kTable);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->All("--community"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parsed->Get("--port"), "1161");
  EXPECT_TRUE(parsed->Has("--json"));
  EXPECT_FALSE(parsed->Get("--missing").has_value());
  EXPECT_EQ(parsed->positional(), (std::vector<std::string>{"10.0.0.1", "--x"}));
}

TEST(OptionTable, AnUnknownOptionNamesTheNearestValidOne) {
  EXPECT_EQ(Error({"--comunity", "x"}),
            "unknown option '--comunity' (did you mean '--community'?)");
  EXPECT_EQ(Error({"--prot=2"}), "unknown option '--prot' (did you mean '--port'?)");
  EXPECT_EQ(Error({"--zzzzzzzzzz"}), "unknown option '--zzzzzzzzzz'");
}

TEST(OptionTable, MissingValuesValuedSwitchesAndRepeatsAreErrors) {
  EXPECT_EQ(Error({"--port"}), "--port needs N");
  EXPECT_EQ(Error({"--json=yes"}), "--json takes no value");
  EXPECT_EQ(Error({"--port", "1", "--port", "2"}), "--port given twice ('1' and '2')");
}

TEST(OptionTable, HelpListsEveryOptionWithItsValueAndText) {
  const std::string help = OptionsHelp(kTable);
  EXPECT_NE(help.find("  --community C"), std::string::npos) << help;
  EXPECT_NE(help.find("  --port N"), std::string::npos) << help;
  EXPECT_NE(help.find("JSON lines"), std::string::npos) << help;
}

}  // namespace
}  // namespace estate
