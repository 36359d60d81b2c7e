// `estatectl show` of a network device: its SNMP inventory as sections.
#include "collector/estatectl/render_network_device.h"

#include <gtest/gtest.h>

namespace estate::collector {
namespace {

TEST(RenderNetworkDevice, VlansNamePortsProcessorsAreCountedAndPvidsShown) {
  const auto device = nlohmann::json::parse(R"({
    "interfaces": [
      {"index": 1, "name": "Gi1/0/1", "oper_status": "up", "pvid": 10},
      {"index": 2, "name": "Gi1/0/2", "oper_status": "down", "pvid": 99},
      {"index": 3, "name": "Gi1/0/3", "oper_status": "up"}],
    "vlans": [
      {"id": 10, "name": "users", "ports": [1, 3], "untagged_ports": [1]},
      {"id": 99, "name": "mgmt", "ports": [2, 3, 7], "untagged_ports": [2]}],
    "processors": [
      {"index": 196608, "descr": "GenuineIntel: Intel(R) Xeon(R) E-2224", "source": "host-resources"},
      {"index": 196609, "descr": "GenuineIntel: Intel(R) Xeon(R) E-2224", "source": "host-resources"}],
    "modules": [
      {"index": 1001, "class_name": "port", "name": "Te1/1/1", "model": "SFP-10G-SR",
       "serial": "AVD1234X"},
      {"index": 1002, "class_name": "fan", "name": "Fan 1"}]
  })");
  const std::string out = RenderNetworkDevice(device);
  // One processor row with its count.
  EXPECT_NE(out.find("2      GenuineIntel: Intel(R) Xeon(R) E-2224"), std::string::npos) << out;
  // Ports by name; a member not untagged is tagged; an unknown ifIndex stays a number.
  EXPECT_NE(out.find("10    users  Gi1/0/1         Gi1/0/3"), std::string::npos) << out;
  EXPECT_NE(out.find("99    mgmt   Gi1/0/2         Gi1/0/3 7"), std::string::npos) << out;
  EXPECT_NE(out.find("2        Gi1/0/2              down    99\n"), std::string::npos) << out;
  EXPECT_NE(out.find("SFP-10G-SR"), std::string::npos) << out;
  EXPECT_EQ(out.find("Fan 1"), std::string::npos) << out;  // no model or serial: not an asset
}

TEST(RenderNetworkDevice, NothingForADeviceWithoutThoseTables) {
  EXPECT_EQ(RenderNetworkDevice(nlohmann::json::object()), "");
}

}  // namespace
}  // namespace estate::collector
