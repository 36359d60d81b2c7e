// `estatectl report --html` against a real estated: the page written from the
// read-only commands' answers, hostile names kept as text, the asset filters
// scoping it, a clear error when the file cannot be written.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "tests/collector/estatectl/html_report_checks.h"
#include "tests/collector/temp_dir.h"
#include "tests/support/local_collector.h"
#include "tests/support/subprocess.h"

namespace estate {
namespace {

using testing::CommandResult;

const std::string kBin = ESTATE_BINARY_DIR;

class ReportHtml : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(collector_.Start()) << testing::ReadTextFile(collector_.log());
    Register({"--class", "laptop", "--hostname", "<script>alert(1)</script>", "--mac",
              "02:00:00:00:00:01", "location=HQ"});
    Register({"--class", "server", "--hostname", "\"><svg onload=alert(1)>", "--mac",
              "02:00:00:00:00:02", "location=Branch"});
    Register({"--class", "laptop", "--hostname", "plain-laptop", "--mac", "02:00:00:00:00:03",
              "location=HQ"});
  }
  void Register(std::vector<std::string> args) {
    args.insert(args.begin(), "register");
    CommandResult r = Ctl(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  CommandResult Ctl(std::vector<std::string> args) { return collector_.Ctl(std::move(args)); }

  TempDir dir_;
  testing::LocalCollector collector_{kBin, dir_.path()};
};

TEST_F(ReportHtml, WritesOneSelfContainedPage) {
  const std::string file = dir_.path() + "/estate.html";
  CommandResult r = Ctl({"report", "--html", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("3 assets"), std::string::npos) << r.err;
  const std::string page = testing::ReadTextFile(file);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<svg onload"), std::string::npos);
  EXPECT_EQ(page.find("http:"), std::string::npos);
  EXPECT_EQ(page.find("https:"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("&quot;&gt;&lt;svg onload=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(page.find("estatectl assets --class laptop"), std::string::npos);
  EXPECT_EQ(testing::UnresolvedLinks(page), std::vector<std::string>{});

  const std::string chromium = testing::ChromiumPath();
  if (chromium.empty()) GTEST_SKIP() << "chromium-headless-shell is not installed";
  auto shown = testing::RenderInChromium(chromium, file, dir_.path() + "/estate.png");
  ASSERT_TRUE(shown.ok) << shown.error;
  EXPECT_GT(shown.png_bytes, 1000u);
  EXPECT_EQ(shown.console, std::vector<std::string>{});
  EXPECT_EQ(shown.dom.find("<script"), std::string::npos);
  EXPECT_FALSE(std::regex_search(shown.dom, std::regex("<[^>]*\\son[a-z]+=")));
}

TEST_F(ReportHtml, AssetFiltersScopeThePage) {
  const std::string file = dir_.path() + "/hq.html";
  CommandResult r = Ctl({"report", "--location", "HQ", "--html", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("2 assets"), std::string::npos) << r.err;
  const std::string page = testing::ReadTextFile(file);
  EXPECT_NE(page.find("scope <code>--location HQ</code>"), std::string::npos);
  EXPECT_NE(page.find("plain-laptop"), std::string::npos);
  EXPECT_EQ(page.find("svg onload"), std::string::npos) << "the Branch server is out of scope";
}

TEST_F(ReportHtml, UnwritableFileIsAClearError) {
  CommandResult r = Ctl({"report", "--html", dir_.path() + "/no/such/dir/estate.html"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot write"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace estate
