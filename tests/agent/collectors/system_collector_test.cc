#include "agent/collectors/system_collector.h"

#include <gtest/gtest.h>

namespace estate::agent {
namespace {

TEST(SystemParsers, ReadsBootTimeFromProcStat) {
  EXPECT_EQ(ParseBootTime("cpu 1 2 3\nbtime 1717000000\nprocesses 4\n"), 1717000000);
  EXPECT_EQ(ParseBootTime("cpu 1 2 3\n"), std::nullopt);
}

TEST(SystemParsers, ReadsWholeSecondsOfUptime) {
  EXPECT_EQ(ParseUptime("86400.52 170000.10"), 86400);
  EXPECT_EQ(ParseUptime("garbage"), std::nullopt);
  EXPECT_EQ(ParseUptime("2.001e34 0.00"), std::nullopt);  // found by fuzz_proc
}

TEST(SystemParsers, NamesTimezoneFromLocaltimeLink) {
  EXPECT_EQ(TimezoneFromLocaltimeLink("/usr/share/zoneinfo/Europe/Paris"), "Europe/Paris");
  EXPECT_EQ(TimezoneFromLocaltimeLink("../usr/share/zoneinfo/posix/America/New_York"),
            "America/New_York");
  EXPECT_EQ(TimezoneFromLocaltimeLink("/etc/somewhere"), "");
}

TEST(SystemParsers, FindsFqdnOnTheHostsLineNamingTheHost) {
  const char* hosts = "127.0.0.1 localhost\n127.0.1.1\tws-042.corp.example.com\tws-042 # me\n";
  EXPECT_EQ(FqdnFromHosts(hosts, "ws-042"), "ws-042.corp.example.com");
  EXPECT_EQ(FqdnFromHosts(hosts, "other"), "");
}

TEST(SystemParsers, DetectsHypervisorFromDmiNames) {
  EXPECT_EQ(DetectHypervisor("QEMU", "Standard PC (Q35 + ICH9, 2009)", "SeaBIOS", true), "qemu");
  EXPECT_EQ(DetectHypervisor("VMware, Inc.", "VMware Virtual Platform", "Phoenix", true), "vmware");
  EXPECT_EQ(DetectHypervisor("Microsoft Corporation", "Virtual Machine", "Microsoft", true),
            "microsoft");
  EXPECT_EQ(DetectHypervisor("LENOVO", "20XWCTO1WW", "LENOVO", false), "");
  EXPECT_EQ(DetectHypervisor("", "", "", true), "vm-other");
}

TEST(SystemParsers, DetectsContainerFromInitCgroup) {
  EXPECT_EQ(ContainerFromCgroup("0::/docker/0123abcd\n"), "docker");
  EXPECT_EQ(ContainerFromCgroup("0::/kubepods/besteffort/pod1\n"), "kubernetes");
  EXPECT_EQ(ContainerFromCgroup("0::/init.scope\n"), "");
}

}  // namespace
}  // namespace estate::agent
