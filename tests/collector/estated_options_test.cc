#include "collector/estated_options.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

TEST(EstatedOptions, EmbeddedDefaultsKeepEverythingLocalAndOnLoopback) {
  auto options = ParseEstatedOptions({});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->data_dir, "estate-data");
  EXPECT_EQ(options->server.admin_socket, "estate-data/admin.sock");
  EXPECT_EQ(options->server.listen.host, "127.0.0.1");
  EXPECT_EQ(options->server.listen.port, kDefaultAgentPort);
}

TEST(EstatedOptions, FlagsWinOverTheConfigFile) {
  TempDir dir;
  const std::string config = dir.path() + "/estated.conf";
  std::ofstream(config) << "data_dir = /from/config\nlisten = 127.0.0.2:5000\nio_threads = 4\n";
  auto options = ParseEstatedOptions({"--config", config, "--listen", "127.0.0.3:6000"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->data_dir, "/from/config");
  EXPECT_EQ(options->server.admin_socket, "/from/config/admin.sock");
  EXPECT_EQ(options->server.listen.ToString(), "127.0.0.3:6000");
  EXPECT_EQ(options->server.io_threads, 4);
}

TEST(EstatedOptions, ExpiryWarningDaysAreAListOfDistinctDays) {
  TempDir dir;
  const std::string config = dir.path() + "/estated.conf";
  std::ofstream(config) << "expiry_warning_days = 14, 60\n";
  auto options = ParseEstatedOptions({"--config", config});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->ingest.reconcile.expiry_warning_days, (std::vector<int>{60, 14}));
  EXPECT_EQ(ParseEstatedOptions({})->ingest.reconcile.expiry_warning_days,
            (std::vector<int>{90, 30, 7}));
  EXPECT_EQ(ParseWarningDays("30,30").status().message(), "expiry_warning_days: 30 is given twice");
  EXPECT_NE(ParseWarningDays("0").status().message().find("'0' is not a number of days"),
            std::string::npos);
  EXPECT_NE(ParseWarningDays("ninety").status().message().find("'ninety'"), std::string::npos);
  EXPECT_FALSE(ParseWarningDays(" , ").ok());
}

TEST(EstatedOptions, BadValuesAreClearErrors) {
  EXPECT_EQ(ParseEstatedOptions({"--io-threads", "0"}).status().message(),
            "io_threads must be between 1 and 256");
  EXPECT_EQ(ParseEstatedOptions({"--bogus", "1"}).status().message(), "unknown option --bogus");
  EXPECT_EQ(ParseEstatedOptions({"--listen"}).status().message(), "--listen needs a value");
  EXPECT_FALSE(ParseEstatedOptions({"--config", "/nonexistent/estated.conf"}).ok());
}

TEST(EstatedOptions, AMistypedKeyOrFlagRefusesToStartNamingItAndTheLine) {
  TempDir dir;
  const std::string config = dir.path() + "/estated.conf";
  std::ofstream(config) << "# settings\nio_threads = 2\nmissing_after_day = 5\n";
  EXPECT_EQ(ParseEstatedOptions({"--config", config}).status().message(),
            config +
                ": line 3: unknown key 'missing_after_day' (did you mean "
                "'missing_after_days'?)");
  std::ofstream(config) << "drift_groups.laptop = os\nrole.admin = wheel\n";
  EXPECT_TRUE(ParseEstatedOptions({"--config", config}).ok());
  EXPECT_EQ(ParseEstatedOptions({"--lisen", "127.0.0.1:1"}).status().message(),
            "unknown option --lisen (did you mean '--listen'?)");
  EXPECT_NE(ParseEstatedOptions({"--log-level", "verbose"}).status().message().find("log_level"),
            std::string::npos);
}

TEST(EstatedOptions, TheSoftwareSetCacheIsBoundedInMegabytesAndMayBeTurnedOff) {
  EXPECT_EQ(ParseEstatedOptions({})->ingest.software_cache_bytes, 192u << 20);
  TempDir dir;
  const std::string config = dir.path() + "/estated.conf";
  std::ofstream(config) << "software_cache_mb = 0\n";
  auto off = ParseEstatedOptions({"--config", config});
  ASSERT_TRUE(off.ok()) << off.status().ToString();
  EXPECT_EQ(off->ingest.software_cache_bytes, 0u);
  std::ofstream(config) << "software_cache_mb = -1\n";
  EXPECT_FALSE(ParseEstatedOptions({"--config", config}).ok());
}

TEST(EstatedOptions, FlushesAndCompactionsYieldTheCpuAsConfigured) {
  EXPECT_EQ(ParseEstatedOptions({})->background_priority, BackgroundPriority::kIdle);
  TempDir dir;
  const std::string config = dir.path() + "/estated.conf";
  std::ofstream(config) << "background_priority = low\n";
  EXPECT_EQ(ParseEstatedOptions({"--config", config})->background_priority,
            BackgroundPriority::kLow);
  std::ofstream(config) << "background_priority = realtime\n";
  EXPECT_EQ(ParseEstatedOptions({"--config", config}).status().message(),
            "background_priority must be idle, low or normal");
}

TEST(EstatedOptions, UnauthenticatedBytesAndAdminIdleTimeoutHaveDefaultsAndBounds) {
  auto defaults = ParseEstatedOptions({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->server.session.max_unauthenticated_bytes, 64u << 20);
  EXPECT_EQ(defaults->server.admin_idle_timeout, std::chrono::milliseconds(60000));
  TempDir dir;
  const std::string config = dir.path() + "/estated.conf";
  std::ofstream(config) << "max_unauthenticated_mb = 8\nadmin_idle_timeout_ms = 1500\n";
  auto set = ParseEstatedOptions({"--config", config});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->server.session.max_unauthenticated_bytes, 8u << 20);
  EXPECT_EQ(set->server.admin_idle_timeout, std::chrono::milliseconds(1500));
  std::ofstream(config) << "max_unauthenticated_mb = 0\n";
  EXPECT_EQ(ParseEstatedOptions({"--config", config}).status().message(),
            "max_unauthenticated_mb must be between 1 and 65536");
  std::ofstream(config) << "admin_idle_timeout_ms = 10\n";
  EXPECT_EQ(ParseEstatedOptions({"--config", config}).status().message(),
            "admin_idle_timeout_ms must be between 100 and 86400000");
}

TEST(EstatedOptions, AdminSocketGroupAndRoleGroupsComeFromTheConfig) {
  TempDir dir;
  const std::string config = dir.path() + "/estated.conf";
  std::ofstream(config) << "admin_group = staff\nrole.viewer = auditors, 4242\n"
                           "role.admin = \n";
  auto options = ParseEstatedOptions({"--config", config});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  const ServerOptions& server = options->server;
  EXPECT_EQ(server.admin_group, "staff");
  EXPECT_EQ(server.roles.lists.at(Role::kViewer), "auditors, 4242");
  EXPECT_EQ(server.roles.lists.at(Role::kTechnician), "estate-technicians");  // the default
  // Empty: nobody is an admin by group.
  EXPECT_EQ(server.roles.lists.at(Role::kAdmin), "");
  EXPECT_TRUE(server.roles.configured.at(Role::kViewer));
  EXPECT_FALSE(server.roles.configured.count(Role::kTechnician));

  std::ofstream(config) << "role.operator = ops\n";
  EXPECT_EQ(ParseEstatedOptions({"--config", config}).status().message(),
            "role.operator: roles are viewer, technician and admin");
}

}  // namespace
}  // namespace estate::collector
