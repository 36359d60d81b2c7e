// `estatectl report --html` against a real estated: the page written from the
// read-only commands' answers, hostile names kept as text, the asset filters
// scoping it, a clear error when the file cannot be written.
#include <gtest/gtest.h>

#include <csignal>
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

namespace estate {
namespace {

// `estatectl dashboard`: the same page served live on loopback, read-only.
TEST_F(ReportHtml, DashboardServesTheLivePageReadOnlyOnLoopbackOnly) {
  const std::string listen = "127.0.0.1:" + std::to_string(testing::FreeLoopbackPort());
  testing::Daemon dashboard;
  ASSERT_TRUE(dashboard.Start({collector_.estatectl(), "--socket", collector_.socket(), "dashboard",
                               "--listen", listen, "--refresh", "5"},
                              dir_.path() + "/dashboard.log"));
  auto get = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"/usr/bin/curl", "-s", "-o", "-", "-w", "\n%{http_code}"};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::RunCommand(args);
  };
  CommandResult page;
  ASSERT_TRUE(testing::WaitFor([&] {
    page = get({"http://" + listen + "/"});
    return page.exit_code == 0 && page.out.ends_with("\n200");
  })) << page.out
      << testing::ReadTextFile(dir_.path() + "/dashboard.log");
  EXPECT_NE(page.out.find("<meta http-equiv=\"refresh\" content=\"5\">"), std::string::npos);
  EXPECT_NE(page.out.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(page.out.find("<script"), std::string::npos);

  // It follows the estate: a new asset is on the next page.
  Register({"--class", "workstation", "--hostname", "new-desktop", "--mac", "02:00:00:00:00:04"});
  EXPECT_NE(get({"http://" + listen + "/"}).out.find("new-desktop"), std::string::npos);

  EXPECT_TRUE(get({"-X", "POST", "http://" + listen + "/"}).out.ends_with("\n405"));
  EXPECT_TRUE(get({"http://" + listen + "/etc/passwd"}).out.ends_with("\n404"));
  EXPECT_EQ(dashboard.Stop(SIGTERM), -SIGTERM);

  // Whoever reaches the port reads the estate: no address but loopback.
  for (const char* address : {"0.0.0.0:8080", "192.0.2.10:8080"}) {
    CommandResult refused = Ctl({"dashboard", "--listen", address});
    EXPECT_EQ(refused.exit_code, 2) << address;
    EXPECT_NE(refused.err.find("not a loopback address"), std::string::npos) << refused.err;
  }
  CommandResult unknown = Ctl({"dashboard", "--listen", listen, "--refrsh", "5"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--refresh"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace estate
