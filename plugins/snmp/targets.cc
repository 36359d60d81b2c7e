#include "plugins/snmp/targets.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <set>

#include "estate/text.h"

namespace estate::plugins::snmp {

Result<std::vector<std::string>> ExpandTargets(const std::vector<std::string>& targets) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& ip) {
    if (seen.insert(ip).second) out.push_back(ip);
  };
  for (const std::string& t : targets) {
    in_addr v4{};
    in6_addr v6{};
    if (auto slash = t.find('/'); slash != std::string::npos) {
      auto bits = ParseUint(std::string_view(t).substr(slash + 1));
      const std::string base = t.substr(0, slash);
      if (!bits || *bits > 32 || inet_pton(AF_INET, base.c_str(), &v4) != 1) {
        return Status::InvalidArgument("bad CIDR '" + t + "' (IPv4 a.b.c.d/n)");
      }
      if (*bits < 16) return Status::InvalidArgument("CIDR '" + t + "' is larger than a /16");
      const uint32_t mask = *bits == 0 ? 0 : ~uint32_t{0} << (32 - *bits);
      const uint32_t net = ntohl(v4.s_addr) & mask;
      const uint32_t last = net | ~mask;
      for (uint64_t a = net; a <= last; ++a) {
        if (*bits < 31 && (a == net || a == last)) continue;
        in_addr x{htonl(static_cast<uint32_t>(a))};
        char buf[INET_ADDRSTRLEN];
        add(inet_ntop(AF_INET, &x, buf, sizeof buf));
      }
      continue;
    }
    if (inet_pton(AF_INET, t.c_str(), &v4) == 1 || inet_pton(AF_INET6, t.c_str(), &v6) == 1) {
      add(t);
      continue;
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* res = nullptr;
    if (int rc = getaddrinfo(t.c_str(), nullptr, &hints, &res); rc != 0) {
      return Status::NotFound("cannot resolve '" + t + "': " + gai_strerror(rc));
    }
    char buf[INET6_ADDRSTRLEN];
    bool added = false;
    for (addrinfo* ai = res; ai && !added; ai = ai->ai_next) {
      if (ai->ai_family == AF_INET) {
        add(inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, buf,
                      sizeof buf));
        added = true;
      }
    }
    for (addrinfo* ai = res; ai && !added; ai = ai->ai_next) {
      if (ai->ai_family == AF_INET6) {
        add(inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr, buf,
                      sizeof buf));
        added = true;
      }
    }
    freeaddrinfo(res);
  }
  return out;
}

}  // namespace estate::plugins::snmp
