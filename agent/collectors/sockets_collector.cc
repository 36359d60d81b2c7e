#include "agent/collectors/sockets_collector.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>

#include "estate/text.h"

namespace estate::agent {
namespace {

constexpr std::string_view kTcpListen = "0A";
constexpr std::string_view kUdpUnconnected = "07";

std::optional<uint32_t> Hex32(std::string_view hex) {
  uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
  if (ec != std::errc() || ptr != hex.data() + hex.size()) return std::nullopt;
  return value;
}

// The kernel prints each 32-bit word of the address in host order.
std::string AddressFromHex(std::string_view hex) {
  char text[INET6_ADDRSTRLEN] = {};
  if (hex.size() == 8) {
    auto word = Hex32(hex);
    if (!word) return std::string();
    struct in_addr addr;
    addr.s_addr = *word;
    ::inet_ntop(AF_INET, &addr, text, sizeof text);
    return text;
  }
  if (hex.size() == 32) {
    struct in6_addr addr;
    for (int i = 0; i < 4; ++i) {
      auto word = Hex32(hex.substr(i * 8, 8));
      if (!word) return std::string();
      std::memcpy(addr.s6_addr + i * 4, &*word, 4);
    }
    ::inet_ntop(AF_INET6, &addr, text, sizeof text);
    return text;
  }
  return std::string();
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  for (std::string_view part : Split(line, ' ')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

class SocketsCollector : public Collector {
 public:
  std::string_view Name() const override { return "sockets"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    std::vector<ProcNetSocket> sockets;
    for (std::string_view protocol : {"tcp", "tcp6", "udp", "udp6"}) {
      auto text = root.ReadFile("/proc/net/" + std::string(protocol), 64 << 20);
      if (!text.ok()) continue;  // tcp6/udp6 are absent without IPv6
      for (auto& s : ParseProcNet(*text, protocol)) sockets.push_back(std::move(s));
    }
    if (sockets.empty()) return;

    std::map<uint64_t, size_t> by_inode;
    for (size_t i = 0; i < sockets.size(); ++i) {
      if (sockets[i].inode != 0) by_inode[sockets[i].inode] = i;
    }
    // Thousands of fd links on a busy host: walk them with *at() calls on
    // directory descriptors instead of building a path per link.
    const std::string proc = root.Path("/proc");
    DIR* proc_dir = ::opendir(proc.c_str());
    if (proc_dir == nullptr) {
      AddWarning(facts, Name(), Status::FromErrno("opendir " + proc, errno));
    } else {
      size_t found = 0;
      while (struct dirent* entry = ::readdir(proc_dir)) {
        auto pid = ParseUint(entry->d_name);
        if (!pid) continue;
        const std::string fd_path = std::string(entry->d_name) + "/fd";
        int fd_dir =
            ::openat(::dirfd(proc_dir), fd_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd_dir < 0) continue;  // gone, or not ours to see
        DIR* fds = ::fdopendir(fd_dir);
        if (fds == nullptr) {
          ::close(fd_dir);
          continue;
        }
        std::string comm;
        while (struct dirent* fd_entry = ::readdir(fds)) {
          if (fd_entry->d_name[0] == '.') continue;
          char link[64];
          ssize_t n = ::readlinkat(fd_dir, fd_entry->d_name, link, sizeof link);
          if (n <= 0 || n >= static_cast<ssize_t>(sizeof link)) continue;
          uint64_t inode = SocketInodeFromLink(std::string_view(link, static_cast<size_t>(n)));
          auto it = inode == 0 ? by_inode.end() : by_inode.find(inode);
          if (it == by_inode.end()) continue;
          auto& s = sockets[it->second].socket;
          if (s.pid() != 0) continue;
          if (comm.empty()) {
            auto name = root.ReadLine("/proc/" + std::string(entry->d_name) + "/comm");
            comm = name.ok() ? *name : std::string();
          }
          s.set_pid(static_cast<uint32_t>(*pid));
          s.set_process(comm);
          ++found;
        }
        ::closedir(fds);
        if (found == by_inode.size()) break;
      }
      ::closedir(proc_dir);
    }
    for (auto& s : sockets) *facts->add_listening() = std::move(s.socket);
  }
};

}  // namespace

uint64_t SocketInodeFromLink(std::string_view link) {
  constexpr std::string_view kPrefix = "socket:[";
  if (!StartsWith(link, kPrefix) || link.back() != ']') return 0;
  return ParseUint(link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1)).value_or(0);
}

std::vector<ProcNetSocket> ParseProcNet(std::string_view text, std::string_view protocol) {
  std::vector<ProcNetSocket> out;
  const bool tcp = StartsWith(protocol, "tcp");
  for (std::string_view line : Split(text, '\n')) {
    auto f = Fields(line);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    if (f.size() < 10 || f[0].back() != ':') continue;
    if (tcp ? f[3] != kTcpListen : f[3] != kUdpUnconnected) continue;
    size_t colon = f[1].find(':');
    if (colon == std::string_view::npos) continue;
    auto port = Hex32(f[1].substr(colon + 1));
    std::string address = AddressFromHex(f[1].substr(0, colon));
    if (!port || address.empty()) continue;
    ProcNetSocket s;
    s.socket.set_protocol(std::string(protocol));
    s.socket.set_address(address);
    s.socket.set_port(*port);
    s.socket.set_uid(static_cast<uint32_t>(ParseUint(f[7]).value_or(0)));
    s.inode = ParseUint(f[9]).value_or(0);
    out.push_back(std::move(s));
  }
  return out;
}

std::unique_ptr<Collector> MakeSocketsCollector() { return std::make_unique<SocketsCollector>(); }

}  // namespace estate::agent
