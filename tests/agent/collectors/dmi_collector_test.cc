#include "agent/collectors/dmi_collector.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "agent/collectors/smbios_collector.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::TempDir;

TEST(ChassisTypeName, NamesSmbiosChassisTypes) {
  EXPECT_EQ(ChassisTypeName(3), "Desktop");
  EXPECT_EQ(ChassisTypeName(10), "Notebook");
  EXPECT_EQ(ChassisTypeName(23), "Rack Mount Chassis");
  EXPECT_EQ(ChassisTypeName(0x80 | 17), "Main Server Chassis");  // lock bit ignored
  EXPECT_EQ(ChassisTypeName(200), "Unknown");
}

// Root reads everything, so the unreadable files are read by an unprivileged
// child when the test runs as root.
TEST(DmiCollector, ListsRootOnlyFieldsAsUnavailableNotEmpty) {
  TempDir dir;
  const std::string id = dir.path() + "/sys/class/dmi/id/";
  std::filesystem::create_directories(id);
  std::filesystem::create_directories(dir.path() + "/sys/firmware/dmi/tables");
  std::ofstream(id + "sys_vendor") << "Dell Inc.\n";
  std::ofstream(id + "product_serial") << "ABC123\n";
  std::ofstream(id + "product_uuid") << "4c4c4544-0000\n";
  std::ofstream(dir.path() + "/sys/firmware/dmi/tables/DMI") << "x";
  for (const char* secret : {"product_serial", "product_uuid"}) {
    ASSERT_EQ(::chmod((id + secret).c_str(), 0), 0);
  }
  ASSERT_EQ(::chmod((dir.path() + "/sys/firmware/dmi/tables/DMI").c_str(), 0), 0);
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all,
                               std::filesystem::perm_options::add);

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    CollectContext context{HostRoot(dir.path()), nullptr, false, ""};
    v1::HostFacts facts;
    MakeDmiCollector()->Collect(context, &facts);
    MakeSmbiosCollector()->Collect(context, &facts);
    std::string bytes = facts.SerializeAsString();
    ssize_t written = ::write(fds[1], bytes.data(), bytes.size());
    ::_exit(written == static_cast<ssize_t>(bytes.size()) ? 0 : 4);
  }
  ::close(fds[1]);
  std::string bytes;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) bytes.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  v1::HostFacts facts;
  ASSERT_TRUE(facts.ParseFromString(bytes));
  EXPECT_EQ(facts.dmi().system_vendor(), "Dell Inc.");
  EXPECT_EQ(facts.dmi().serial(), "");
  EXPECT_EQ(
      std::vector<std::string>(facts.dmi().unavailable().begin(), facts.dmi().unavailable().end()),
      (std::vector<std::string>{"product_serial", "product_uuid", "memory_modules"}));
  EXPECT_EQ(facts.warnings_size(), 0);
}

}  // namespace
}  // namespace estate::agent
