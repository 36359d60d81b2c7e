#include "agent/collectors/security_collector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/agent/fixture_paths.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::RootPath;
using testing::TempDir;

TEST(CryptScheme, NamesTheDmCryptFormat) {
  EXPECT_EQ(CryptScheme("CRYPT-LUKS2-3f5c4a8e1b2d4c6f8a9b0c1d2e3f4a5b-nvme0n1p3_crypt"), "LUKS2");
  EXPECT_EQ(CryptScheme("CRYPT-PLAIN-swap"), "PLAIN");
  EXPECT_EQ(CryptScheme("LVM-Qm1bN2cV3xZ4"), "");
  EXPECT_EQ(CryptScheme(""), "");
}

TEST(AptPeriodicUnattendedUpgrade, ReadsTheFlatAndTheNestedForms) {
  EXPECT_EQ(AptPeriodicUnattendedUpgrade("APT::Periodic::Update-Package-Lists \"1\";\n"
                                         "APT::Periodic::Unattended-Upgrade \"1\";\n"),
            "1");
  EXPECT_EQ(AptPeriodicUnattendedUpgrade("APT {\n  Periodic {\n    Unattended-Upgrade \"0\";\n"
                                         "  };\n};\n"),
            "0");
  EXPECT_EQ(AptPeriodicUnattendedUpgrade("// APT::Periodic::Unattended-Upgrade \"1\";\n"
                                         "Unattended-Upgrade::Automatic-Reboot \"true\";\n"),
            std::nullopt);
  EXPECT_EQ(AptPeriodicUnattendedUpgrade("APT::Periodic::Unattended-Upgrade \"1\";\n"
                                         "APT::Periodic::Unattended-Upgrade \"0\";\n"),
            "0");  // the last one set wins
}

TEST(SecurityCollector, SeesTheLaptopsEncryptionBootFirewallAndUpdates) {
  CollectContext context{HostRoot(RootPath("endpoint-laptop")), nullptr, false, {}};
  v1::HostFacts facts;
  MakeSecurityCollector()->Collect(context, &facts);
  EXPECT_EQ(facts.warnings_size(), 0) << facts.warnings(0);
  const auto& s = facts.security();
  // Root and home are LVM volumes on a LUKS2 partition; /boot, the ESP and a
  // USB stick are not encrypted; the snap's loop device is not a volume.
  ASSERT_EQ(s.volumes_size(), 5);
  std::map<std::string, std::string> scheme_by_mount;
  for (const auto& v : s.volumes()) {
    EXPECT_EQ(v.encrypted(), !v.scheme().empty()) << v.mount_point();
    scheme_by_mount[v.mount_point()] = v.scheme();
  }
  EXPECT_EQ(scheme_by_mount, (std::map<std::string, std::string>{{"/", "LUKS2"},
                                                                 {"/boot", ""},
                                                                 {"/boot/efi", ""},
                                                                 {"/home", "LUKS2"},
                                                                 {"/media/alice/KINGSTON", ""}}));
  EXPECT_EQ(s.volumes(0).device(), "/dev/mapper/vg-root");
  EXPECT_TRUE(s.root_encrypted());
  EXPECT_EQ(s.secure_boot(), "enabled");
  EXPECT_EQ(s.tpm_version(), "2.0");
  EXPECT_TRUE(s.firewall_enabled());
  EXPECT_EQ(std::vector<std::string>(s.firewalls().begin(), s.firewalls().end()),
            std::vector<std::string>{"ufw"});
  EXPECT_TRUE(s.auto_updates());
  EXPECT_EQ(s.auto_updates_by(), "unattended-upgrades");
}

TEST(SecurityCollector, ReportsABiosDesktopWithNothingTurnedOn) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/proc/self");
  std::filesystem::create_directories(dir.path() + "/etc/ufw");
  std::filesystem::create_directories(dir.path() + "/usr/bin");
  std::filesystem::create_directories(dir.path() + "/etc/systemd/system/timers.target.wants");
  std::ofstream(dir.path() + "/proc/self/mounts") << "/dev/sda2 / ext4 rw 0 0\n";
  std::ofstream(dir.path() + "/etc/ufw/ufw.conf") << "ENABLED=no\n";
  std::ofstream(dir.path() + "/usr/bin/unattended-upgrade") << "";  // installed, never set on
  std::ofstream(dir.path() + "/etc/systemd/system/timers.target.wants/apt-daily-upgrade.timer")
      << "";
  CollectContext context{HostRoot(dir.path()), nullptr, false, {}};
  v1::HostFacts facts;
  MakeSecurityCollector()->Collect(context, &facts);
  EXPECT_EQ(facts.warnings_size(), 0);
  const auto& s = facts.security();
  ASSERT_EQ(s.volumes_size(), 1);
  EXPECT_FALSE(s.volumes(0).encrypted());
  EXPECT_FALSE(s.root_encrypted());
  EXPECT_EQ(s.secure_boot(), "unsupported");
  EXPECT_EQ(s.tpm_version(), "");
  EXPECT_FALSE(s.firewall_enabled());
  EXPECT_EQ(s.firewalls_size(), 0);
  EXPECT_FALSE(s.auto_updates());
}

TEST(SecurityCollector, WarnsWhenTheMountTableCannotBeRead) {
  TempDir dir;
  CollectContext context{HostRoot(dir.path()), nullptr, false, {}};
  v1::HostFacts facts;
  MakeSecurityCollector()->Collect(context, &facts);
  ASSERT_EQ(facts.warnings_size(), 1);
  EXPECT_NE(facts.warnings(0).find("mounts"), std::string::npos) << facts.warnings(0);
  EXPECT_EQ(facts.security().secure_boot(), "unsupported");
}

}  // namespace
}  // namespace estate::agent
