// SocketsCollector: listening TCP sockets and bound UDP sockets from
// /proc/net/{tcp,tcp6,udp,udp6}, with the owning process found by matching
// socket inodes against the /proc/<pid>/fd links (root sees all processes).
#ifndef ESTATE_AGENT_COLLECTORS_SOCKETS_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_SOCKETS_COLLECTOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeSocketsCollector();

struct ProcNetSocket {
  v1::ListeningSocket socket;  // protocol, address, port, uid
  uint64_t inode = 0;
};

// Listening rows (TCP state LISTEN, UDP unconnected) of one /proc/net table;
// `protocol` is "tcp", "tcp6", "udp" or "udp6".
std::vector<ProcNetSocket> ParseProcNet(std::string_view text, std::string_view protocol);
// "socket:[12345]" -> 12345.
uint64_t SocketInodeFromLink(std::string_view link);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_SOCKETS_COLLECTOR_H_
