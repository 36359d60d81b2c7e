#include "plugins/probe/host_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>

namespace estate::plugins {
namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

sockaddr_in Address(uint32_t ip, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(ip);
  a.sin_port = htons(port);
  return a;
}

struct Connect {
  int fd;
  uint32_t target;  // index
  uint16_t port;
  int64_t started_us;
};

}  // namespace

uint16_t InternetChecksum(const uint8_t* data, size_t size) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < size; i += 2) sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  if (size % 2) sum += static_cast<uint32_t>(data[size - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

std::vector<uint8_t> BuildIcmpEcho(uint16_t id, uint16_t sequence, size_t payload_bytes) {
  std::vector<uint8_t> p(8 + payload_bytes, 0);
  p[0] = 8;  // echo request
  p[4] = static_cast<uint8_t>(id >> 8);
  p[5] = static_cast<uint8_t>(id);
  p[6] = static_cast<uint8_t>(sequence >> 8);
  p[7] = static_cast<uint8_t>(sequence);
  for (size_t i = 0; i < payload_bytes; ++i) p[8 + i] = static_cast<uint8_t>('a' + i % 26);
  const uint16_t sum = InternetChecksum(p.data(), p.size());
  p[2] = static_cast<uint8_t>(sum >> 8);
  p[3] = static_cast<uint8_t>(sum);
  return p;
}

bool ParseIcmpEchoReply(const uint8_t* d, size_t size, uint32_t* source, uint16_t* id,
                        uint16_t* sequence) {
  if (size < 20 || (d[0] >> 4) != 4) return false;
  const size_t ihl = (d[0] & 0x0f) * 4u;
  if (ihl < 20 || size < ihl + 8 || d[9] != 1) return false;
  const uint8_t* icmp = d + ihl;
  if (icmp[0] != 0 || icmp[1] != 0) return false;  // echo reply
  *source = static_cast<uint32_t>(d[12]) << 24 | d[13] << 16 | d[14] << 8 | d[15];
  *id = static_cast<uint16_t>(icmp[4] << 8 | icmp[5]);
  *sequence = static_cast<uint16_t>(icmp[6] << 8 | icmp[7]);
  return true;
}

HostProbe::HostProbe(HostProbeOptions options) : options_(std::move(options)) {
  progress_.targets = options_.targets.size();
}

Status HostProbe::Run(const std::function<void(const HostProbeProgress&)>& progress) {
  const size_t n = options_.targets.size();
  int icmp_fd = -1;
  if (options_.icmp) {
    icmp_fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (icmp_fd < 0) {
      if (errno == EPERM || errno == EACCES) {
        return Status::PermissionDenied(
            "ICMP echo needs a raw socket and so CAP_NET_RAW: run as root, grant it with "
            "'setcap cap_net_raw+ep $(command -v estate-agent)', or probe with TCP only "
            "(--no-icmp)");
      }
      return Status::FromErrno("opening an ICMP socket", errno);
    }
  }
  const uint16_t icmp_id = static_cast<uint16_t>(getpid());

  struct State {
    int64_t icmp_sent_us = 0;
    int64_t first_answer_us = 0;
    bool answered = false;
    std::string probe;
    std::vector<std::string> answers;
  };
  std::vector<State> state(n);
  std::vector<Connect> connects;
  // The work list: for each target its echo, then one connect per port.
  const size_t per_target = (options_.icmp ? 1 : 0) + options_.tcp_ports.size();
  const size_t total = n * per_target;
  size_t next = 0;
  const double rate = std::max(1.0, options_.rate_pps);
  const double burst = std::max(1.0, rate * 0.004);
  double tokens = 1.0;
  int64_t last_refill = NowMicros();
  int64_t last_send = last_refill;
  const int64_t timeout_us = options_.timeout.count() * 1000;

  auto answer = [&](size_t index, const std::string& what, int64_t now, int64_t sent) {
    State& s = state[index];
    s.answers.push_back(what);
    if (s.answered) return;
    s.answered = true;
    s.probe = what.substr(0, what.find(' '));
    s.first_answer_us = std::max<int64_t>(0, now - sent);
    ++progress_.answered;
  };

  std::vector<pollfd> fds;
  while (true) {
    int64_t now = NowMicros();
    tokens = std::min(burst, tokens + (now - last_refill) * rate / 1e6);
    last_refill = now;
    while (tokens >= 1.0 && next < total &&
           static_cast<int>(connects.size()) < options_.max_in_flight) {
      const size_t index = next / per_target;
      const size_t which = next % per_target;
      ++next;
      if (which == 0) ++progress_.probed;
      const uint32_t ip = options_.targets[index];
      tokens -= 1.0;
      last_send = now;
      if (options_.icmp && which == 0) {
        const auto packet = BuildIcmpEcho(icmp_id, static_cast<uint16_t>(index));
        const sockaddr_in to = Address(ip, 0);
        state[index].icmp_sent_us = now;
        // A failed send (no route) only means no answer.
        (void)sendto(icmp_fd, packet.data(), packet.size(), 0,
                     reinterpret_cast<const sockaddr*>(&to), sizeof to);
        continue;
      }
      const uint16_t port = options_.tcp_ports[which - (options_.icmp ? 1 : 0)];
      const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) return Status::FromErrno("opening a TCP socket", errno);
      const sockaddr_in to = Address(ip, port);
      const int rc = connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);
      if (rc == 0) {
        answer(index, "tcp/" + std::to_string(port) + " open", now, now);
        close(fd);
      } else if (errno == ECONNREFUSED) {
        answer(index, "tcp/" + std::to_string(port) + " refused", now, now);
        close(fd);
      } else if (errno == EINPROGRESS) {
        connects.push_back({fd, static_cast<uint32_t>(index), port, now});
      } else {
        close(fd);  // unreachable: no answer
      }
    }

    // Expire connects that had their time.
    for (size_t i = 0; i < connects.size();) {
      if (now - connects[i].started_us >= timeout_us) {
        close(connects[i].fd);
        connects[i] = connects.back();
        connects.pop_back();
      } else {
        ++i;
      }
    }
    if (next >= total && connects.empty() &&
        (icmp_fd < 0 || progress_.answered == n || now >= last_send + timeout_us)) {
      break;
    }

    fds.clear();
    if (icmp_fd >= 0) fds.push_back({icmp_fd, POLLIN, 0});
    for (const Connect& c : connects) fds.push_back({c.fd, POLLOUT, 0});
    int64_t wake = now + 50000;
    if (next < total)
      wake = std::min(wake, now + static_cast<int64_t>((1.0 - tokens) * 1e6 / rate) + 1);
    if (next >= total) wake = std::min(wake, last_send + timeout_us);
    const int64_t wait_us = std::max<int64_t>(0, wake - now);
    const timespec ts{static_cast<time_t>(wait_us / 1000000),
                      static_cast<long>(wait_us % 1000000) * 1000};
    if (ppoll(fds.data(), fds.size(), &ts, nullptr) < 0 && errno != EINTR) {
      return Status::FromErrno("poll", errno);
    }
    now = NowMicros();
    size_t k = 0;
    if (icmp_fd >= 0) {
      if (fds[k].revents & POLLIN) {
        uint8_t buf[1500];
        ssize_t got;
        while ((got = recv(icmp_fd, buf, sizeof buf, 0)) > 0) {
          uint32_t source;
          uint16_t id, sequence;
          if (!ParseIcmpEchoReply(buf, static_cast<size_t>(got), &source, &id, &sequence)) continue;
          if (id != icmp_id || sequence >= n) continue;
          // Sequences wrap after 65,536 targets: match by address too.
          auto it = std::lower_bound(options_.targets.begin(), options_.targets.end(), source);
          if (it == options_.targets.end() || *it != source) continue;
          const size_t index = static_cast<size_t>(it - options_.targets.begin());
          if (static_cast<uint16_t>(index) != sequence) continue;
          answer(index, "icmp", now, state[index].icmp_sent_us);
        }
      }
      ++k;
    }
    std::vector<Connect> still;
    still.reserve(connects.size());
    for (const Connect& c : connects) {
      const short revents = fds[k++].revents;
      if (revents == 0) {
        still.push_back(c);
        continue;
      }
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) {
        answer(c.target, "tcp/" + std::to_string(c.port) + " open", now, c.started_us);
      } else if (err == ECONNREFUSED) {
        answer(c.target, "tcp/" + std::to_string(c.port) + " refused", now, c.started_us);
      }
      close(c.fd);
    }
    connects.swap(still);
    if (progress) progress(progress_);
  }
  if (icmp_fd >= 0) close(icmp_fd);

  for (size_t i = 0; i < n; ++i) {
    State& s = state[i];
    if (!s.answered) continue;
    HostProbeResult r;
    r.ip = options_.targets[i];
    r.probe = s.probe;
    r.answered = std::move(s.answers);
    r.rtt_us = static_cast<uint32_t>(s.first_answer_us);
    if (options_.reverse_dns) {
      const sockaddr_in a = Address(r.ip, 0);
      char host[NI_MAXHOST];
      if (getnameinfo(reinterpret_cast<const sockaddr*>(&a), sizeof a, host, sizeof host, nullptr,
                      0, NI_NAMEREQD) == 0) {
        r.hostname = host;
      }
    }
    results_.push_back(std::move(r));
  }
  progress_.done = true;
  if (progress) progress(progress_);
  return Status::Ok();
}

}  // namespace estate::plugins
