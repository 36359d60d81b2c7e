// The /proc (and /etc) text parsers of the agent's collectors. Every parser
// reads the same input: the seeds are the real files of tests/fixtures/roots,
// and coverage feedback steers the mutations towards each parser's branches.
#include <cstdint>
#include <string_view>

#include "agent/collectors/cpu_collector.h"
#include "agent/collectors/memory_collector.h"
#include "agent/collectors/network_collector.h"
#include "agent/collectors/os_collector.h"
#include "agent/collectors/sockets_collector.h"
#include "agent/collectors/storage_collector.h"
#include "agent/collectors/system_collector.h"
#include "agent/collectors/users_collector.h"

namespace agent = estate::agent;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)agent::ParseCpuinfo(text);                  // /proc/cpuinfo
  (void)agent::ParseMeminfo(text);                  // /proc/meminfo
  (void)agent::ParseIpv4Routes(text);               // /proc/net/route
  (void)agent::ParseIpv6Routes(text);               // /proc/net/ipv6_route
  (void)agent::ParseProcNet(text, "tcp");           // /proc/net/tcp
  (void)agent::ParseProcNet(text, "udp6");          // /proc/net/udp6
  (void)agent::SocketInodeFromLink(text);           // /proc/<pid>/fd/<n> link
  (void)agent::ParseMounts(text);                   // /proc/mounts
  (void)agent::ParseBootTime(text);                 // /proc/stat
  (void)agent::ParseUptime(text);                   // /proc/uptime
  (void)agent::ContainerFromCgroup(text);           // /proc/1/cgroup
  (void)agent::ParseOsRelease(text);                // /etc/os-release
  (void)agent::ParsePasswd(text);                   // /etc/passwd
  (void)agent::ParseGroup(text);                    // /etc/group
  (void)agent::FqdnFromHosts(text, "ws-debian12");  // /etc/hosts
  (void)agent::ParseUtmp(text);                     // /run/utmp (binary records)
  estate::v1::NetworkFacts network;
  agent::ParseResolvConf(text, &network);  // /etc/resolv.conf
  return 0;
}
