// The real estatectl binary, as an asset manager types it (issue 27): the
// mistakes that used to answer another question exit 2 before any collector
// is asked; with a real estated, bad values are refused naming the field,
// lists export whole, and a relative backup path is the caller's.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/collector/temp_dir.h"
#include "tests/support/local_collector.h"
#include "tests/support/subprocess.h"

namespace estate {
namespace {

using testing::CommandResult;
using testing::RunCommand;

const std::string kBin = ESTATE_BINARY_DIR;
const std::string kEstatectl = kBin + "/collector/estatectl";

CommandResult Offline(std::vector<std::string> args) {
  args.insert(args.begin(), {kEstatectl, "--socket", "/nonexistent/admin.sock"});
  return RunCommand(args);
}

TEST(EstatectlCommandLine, MistakesExitTwoNamingTheNearestValidSpelling) {
  const struct {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {{"assets", "--stat", "retired"}, "did you mean '--state'?"},
      {{"assets", "--department"}, "--department needs a value"},
      {{"assets", "--state", "retird"}, "did you mean 'retired'?"},
      {{"drift", "--min-severity", "bogus"}, "is not one of info, low, medium, high, critical"},
      {{"assets", "--at", "2026-01-01"}, "unknown option --at for `assets`"},
      {{"checkout", "IT-0001", "--to", "dave", "--due", "2027-02-30"}, "is not a real date"},
      {{"show"}, "missing argument for `show`"},
      {{"asets"}, "did you mean 'assets'?"},
  };
  for (const auto& c : cases) {
    CommandResult r = Offline(c.args);
    EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(c.args) << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << ::testing::PrintToString(c.args) << r.err;
  }
}

TEST(EstatectlCommandLine, HelpListsEveryCommandAndEachCommandsOptions) {
  CommandResult all = Offline({"--help"});
  ASSERT_EQ(all.exit_code, 0);
  for (const char* command : {"assets", "person", "class", "approve device", "completion bash"}) {
    EXPECT_NE(all.out.find(command), std::string::npos) << command;
  }
  CommandResult assets = Offline({"assets", "--help"});
  ASSERT_EQ(assets.exit_code, 0);
  for (const char* option : {"--holder PERSON", "--state ", "--columns LIST", "--csv"}) {
    EXPECT_NE(assets.out.find(option), std::string::npos) << option << "\n" << assets.out;
  }
  CommandResult completion = Offline({"completion", "bash"});
  EXPECT_EQ(completion.exit_code, 0);
  EXPECT_NE(completion.out.find("complete -F _estatectl estatectl"), std::string::npos);
}

class EstatectlWithCollector : public ::testing::Test {
 protected:
  void SetUp() override {
    socket_ = collector_.socket();
    ASSERT_TRUE(collector_.Start()) << testing::ReadTextFile(collector_.log());
  }
  CommandResult Ctl(std::vector<std::string> args) { return collector_.Ctl(std::move(args)); }

  TempDir dir_;
  std::string socket_;
  testing::LocalCollector collector_{kBin, dir_.path()};
};

TEST_F(EstatectlWithCollector, BadValuesAreRefusedNamingTheField) {
  CommandResult bad = Ctl({"register", "--class", "laptop", "cost=abc"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("cost: 'abc'"), std::string::npos) << bad.err;
  ASSERT_EQ(Ctl({"register", "--class", "laptop", "--tag", "IT-0001", "owner=dave"}).exit_code, 0);
  CommandResult twin = Ctl({"register", "--class", "laptop", "--tag", "it-0001"});
  EXPECT_NE(twin.err.find("already belongs to"), std::string::npos) << twin.err;
  CommandResult shown = Ctl({"show", "it-0001"});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("IT-0001"), std::string::npos);
  // Human output has ISO times, never epoch seconds.
  CommandResult out = Ctl({"checkout", "IT-0001", "--to", "erin", "--due", "2099-01-31"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find("due 2099-01-31T23:59:59Z"), std::string::npos) << out.out;
  CommandResult csv = Ctl({"assets", "--csv", "--columns", "asset_tag,owner,holder,due"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, "asset_tag,owner,holder,due\r\nIT-0001,dave,erin,2099-01-31T23:59:59Z\r\n");
  CommandResult history = Ctl({"history", "IT-0001"});
  EXPECT_NE(history.out.find("by user:"), std::string::npos) << history.out;
}

TEST_F(EstatectlWithCollector, ARelativeBackupPathIsTheCallers) {
  const std::string caller_dir = dir_.path() + "/caller";
  std::filesystem::create_directories(caller_dir);
  CommandResult backup = RunCommand({"/bin/sh", "-c",
                                     "cd '" + caller_dir + "' && exec '" + kEstatectl +
                                         "' --socket '" + socket_ + "' --json backup nightly"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_TRUE(std::filesystem::exists(caller_dir + "/nightly")) << backup.out;
  EXPECT_EQ(nlohmann::json::parse(backup.out).at("assets"), 0);
}

// People through the real binaries: a CSV and a saved `getent passwd` read
// from the caller's files, `person` with the details, `people --csv`, and a
// bad email refused naming the line and field.
TEST_F(EstatectlWithCollector, PeopleAreImportedFromTheCallersFiles) {
  const std::string csv = dir_.path() + "/people.csv";
  std::ofstream(csv) << "name,email,department\r\n"
                        "dave,dave@example.com,\"Engineering, Platform\"\r\n";
  const std::string bad = dir_.path() + "/bad.csv";
  std::ofstream(bad) << "name,email\ndave,not-an-email\n";
  const std::string passwd = dir_.path() + "/passwd";
  std::ofstream(passwd) << "root:x:0:0:root:/root:/bin/bash\n"
                           "erin:x:1000:1000:Erin Unal:/home/erin:/bin/bash\n";
  CommandResult refused = Ctl({"person", "import", bad});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("line 2: email: 'not-an-email'"), std::string::npos) << refused.err;
  ASSERT_EQ(Ctl({"person", "import", csv}).exit_code, 0);
  CommandResult getent = Ctl({"--json", "person", "import", "--getent", passwd});
  ASSERT_EQ(getent.exit_code, 0) << getent.err;
  EXPECT_EQ(nlohmann::json::parse(getent.out).at("created"), 1);
  EXPECT_EQ(Ctl({"person", "import"}).exit_code, 2);  // neither a file nor --getent
  EXPECT_EQ(Ctl({"person", "import", dir_.path() + "/missing.csv"}).exit_code, 2);
  ASSERT_EQ(Ctl({"register", "--class", "laptop", "--tag", "IT-0001", "owner=Dave@Example.com"})
                .exit_code,
            0);
  CommandResult dave = Ctl({"person", "dave"});
  ASSERT_EQ(dave.exit_code, 0) << dave.err;
  EXPECT_NE(dave.out.find("dave (<dave@example.com>, Engineering, Platform) holds 0"),
            std::string::npos)
      << dave.out;
  EXPECT_NE(dave.out.find("IT-0001"), std::string::npos) << dave.out;
  CommandResult people = Ctl({"people", "--csv", "--columns", "name,full_name,email,owns"});
  ASSERT_EQ(people.exit_code, 0) << people.err;
  EXPECT_EQ(people.out,
            "name,full_name,email,owns\r\ndave,,dave@example.com,1\r\nerin,Erin Unal,,0\r\n");
  EXPECT_EQ(Ctl({"people", "--departmen", "x"}).exit_code, 2);
}

// Issue 30: what a USB barcode scanner types, piped into the real estatectl;
// a CSV from the caller's file; the report as CSV.
TEST_F(EstatectlWithCollector, AuditConfirmationsArePipedFromABarcodeScanner) {
  for (const char* tag : {"IT-0001", "IT-0002", "IT-0003"}) {
    ASSERT_EQ(
        Ctl({"register", "--class", "laptop", "--tag", tag, "location=HQ/B2/F3/R301"}).exit_code,
        0);
  }
  ASSERT_EQ(Ctl({"register", "--class", "laptop", "--tag", "IT-0004", "location=HQ/B1"}).exit_code,
            0);
  CommandResult started = Ctl({"audit", "start", "q1", "--location", "hq/b2"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(Ctl({"audit", "start", "q1"}).exit_code, 1);
  const std::string scanner = "printf 'IT-0001\\r\\n\\r\\n it-0002 \\r\\nIT-9999\\r\\n' | " +
                              kEstatectl + " --socket " + socket_ +
                              " audit confirm q1 --location HQ/B2/F3/R302";
  CommandResult scanned = RunCommand({"/bin/sh", "-c", scanner});
  ASSERT_EQ(scanned.exit_code, 0) << scanned.err;
  EXPECT_NE(scanned.out.find("confirmed 2, repeated 0, unknown 1"), std::string::npos)
      << scanned.out;
  EXPECT_NE(scanned.out.find("line 4: no asset has tag or serial 'IT-9999'"), std::string::npos)
      << scanned.out;
  const std::string csv = dir_.path() + "/found.csv";
  std::ofstream(csv) << "Asset_Tag,Location\r\nIT-0004,HQ/B2/F3/R301\r\n";
  CommandResult from_file = Ctl({"audit", "confirm", "q1", "--file", csv});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  CommandResult report = Ctl(
      {"audit", "report", "q1", "--csv", "--columns", "status,code,seen_location,confirmed_by"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  // IT-0001 and IT-0002 were scanned in R302 though recorded in R301.
  EXPECT_NE(report.out.find("moved,IT-0001,HQ/B2/F3/R302,user:"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("missing,IT-0003,"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("unexpected,IT-0004,HQ/B2/F3/R301,"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("shadow,IT-9999,HQ/B2/F3/R302,"), std::string::npos) << report.out;
  EXPECT_EQ(Ctl({"audit", "close", "q1"}).exit_code, 0);
  CommandResult late = Ctl({"audit", "confirm", "q1", "IT-0003"});
  EXPECT_EQ(late.exit_code, 1);
  EXPECT_NE(late.err.find("was closed"), std::string::npos) << late.err;
  EXPECT_EQ(Ctl({"audit", "confirm", "q1", "IT-0003", "--file", csv}).exit_code, 2);
  EXPECT_EQ(Ctl({"audit", "report", "nope"}).exit_code, 1);
}

}  // namespace
}  // namespace estate
