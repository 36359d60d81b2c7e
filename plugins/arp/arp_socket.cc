#include "plugins/arp/arp_socket.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace estate::plugins {
namespace {

constexpr const char* kCapabilityHint =
    "; sending raw frames needs CAP_NET_RAW: run as root or grant it with "
    "'setcap cap_net_raw+ep $(command -v estate-agent)'";

// Frames per sendmmsg/recvmmsg call.
constexpr size_t kBatch = 64;
// Bytes kept of a reply: an ARP reply is 42, padded to 60.
constexpr size_t kSnapLength = 128;
// Room for the replies that arrive while the sweep sleeps: those to a batch
// of 64 requests at the least (about 100 KB with the kernel's per-packet
// overhead, within the default net.core.rmem_max), and more for other
// traffic to our MAC when the limit allows.
constexpr int kReceiveBufferBytes = 1 << 20;

// Classic BPF: accept ARP replies (operation 2) sent to `mac`, drop the rest.
Status AttachReplyFilter(int fd, const MacBytes& mac) {
  const uint32_t mac_high = static_cast<uint32_t>(mac[0]) << 24 |
                            static_cast<uint32_t>(mac[1]) << 16 |
                            static_cast<uint32_t>(mac[2]) << 8 | mac[3];
  const uint32_t mac_low = static_cast<uint32_t>(mac[4]) << 8 | mac[5];
  sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),  // EtherType
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, 0, 7),
      BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),  // ARP operation
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 5),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),  // destination MAC, bytes 0-3
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, mac_high, 0, 3),
      BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4),  // bytes 4-5
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, mac_low, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, kSnapLength),
      BPF_STMT(BPF_RET | BPF_K, 0),
  };
  const sock_fprog program{static_cast<unsigned short>(std::size(code)), code};
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) != 0) {
    return Status::FromErrno("attaching the ARP reply filter", errno);
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<ArpSocket>> ArpSocket::Open(const std::string& interface,
                                                   const MacBytes& mac) {
  const unsigned index = if_nametoindex(interface.c_str());
  if (index == 0) return Status::NotFound("no interface named '" + interface + "'");
  // Protocol 0 until bound: nothing is queued before the filter is in place.
  const int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    const int err = errno;
    const std::string what = "opening a raw socket on " + interface + ": " + std::strerror(err);
    if (err == EPERM || err == EACCES) return Status::PermissionDenied(what + kCapabilityHint);
    return Status::IoError(what);
  }
  std::unique_ptr<ArpSocket> socket(new ArpSocket(fd, interface));
  ESTATE_RETURN_IF_ERROR(AttachReplyFilter(fd, mac));
  const int on = 1;
  // Our own broadcasts are not looped back to us (Linux 4.20; the filter drops them anyway).
  setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof on);
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof on) != 0) {
    return Status::FromErrno("enabling receive timestamps", errno);
  }
  // Beyond net.core.rmem_max only with CAP_NET_ADMIN; the plain request is capped.
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kReceiveBufferBytes,
                 sizeof kReceiveBufferBytes) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kReceiveBufferBytes, sizeof kReceiveBufferBytes);
  }
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ARP);
  address.sll_ifindex = static_cast<int>(index);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return Status::FromErrno("binding to " + interface, errno);
  }
  return socket;
}

ArpSocket::~ArpSocket() { close(fd_); }

Status ArpSocket::Send(std::span<const Frame> frames) {
  mmsghdr messages[kBatch];
  iovec parts[kBatch];
  while (!frames.empty()) {
    const size_t n = std::min(kBatch, frames.size());
    for (size_t i = 0; i < n; ++i) {
      parts[i] = {const_cast<uint8_t*>(frames[i].data()), frames[i].size()};
      messages[i] = {};
      messages[i].msg_hdr.msg_iov = &parts[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    // Bound to the interface and protocol, so no address is needed.
    const int sent = sendmmsg(fd_, messages, static_cast<unsigned>(n), 0);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return Status::IoError("sending on " + interface_ + ": " + std::strerror(errno));
    }
    frames = frames.subspan(static_cast<size_t>(sent));
  }
  return Status::Ok();
}

Result<size_t> ArpSocket::Drain(const FrameHandler& on_frame) {
  uint8_t data[kBatch][kSnapLength];
  alignas(cmsghdr) uint8_t control[kBatch][CMSG_SPACE(sizeof(timeval))];
  iovec parts[kBatch];
  mmsghdr messages[kBatch];
  size_t total = 0;
  while (true) {
    for (size_t i = 0; i < kBatch; ++i) {
      parts[i] = {data[i], kSnapLength};
      messages[i] = {};
      messages[i].msg_hdr.msg_iov = &parts[i];
      messages[i].msg_hdr.msg_iovlen = 1;
      messages[i].msg_hdr.msg_control = control[i];
      messages[i].msg_hdr.msg_controllen = sizeof control[i];
    }
    const int got = recvmmsg(fd_, messages, kBatch, MSG_DONTWAIT, nullptr);
    if (got < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return total;
      return Status::IoError("reading from " + interface_ + ": " + std::strerror(errno));
    }
    for (int i = 0; i < got; ++i) {
      CapturedPacket packet;
      msghdr& header = messages[i].msg_hdr;
      for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMP) {
          timeval tv;
          std::memcpy(&tv, CMSG_DATA(c), sizeof tv);
          packet.timestamp_us = static_cast<int64_t>(tv.tv_sec) * 1000000 + tv.tv_usec;
        }
      }
      const size_t length = std::min<size_t>(messages[i].msg_len, kSnapLength);
      packet.data = Bytes(data[i], length);
      packet.wire_length = messages[i].msg_len;
      on_frame(packet);
    }
    total += static_cast<size_t>(got);
    if (static_cast<size_t>(got) < kBatch) return total;
  }
}

Status ArpSocket::Receive(std::chrono::microseconds wait, const FrameHandler& on_frame) {
  auto got = Drain(on_frame);
  if (!got.ok()) return got.status();
  if (*got > 0 || wait.count() <= 0) return Status::Ok();
  pollfd ready{fd_, POLLIN, 0};
  const timespec timeout{static_cast<time_t>(wait.count() / 1000000),
                         static_cast<long>(wait.count() % 1000000) * 1000};
  if (ppoll(&ready, 1, &timeout, nullptr) < 0 && errno != EINTR) {
    return Status::IoError("waiting on " + interface_ + ": " + std::strerror(errno));
  }
  return Drain(on_frame).status();
}

void ArpSocket::Sleep(std::chrono::microseconds duration) {
  if (duration.count() <= 0) return;
  const timespec ts{static_cast<time_t>(duration.count() / 1000000),
                    static_cast<long>(duration.count() % 1000000) * 1000};
  clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, nullptr);
}

int64_t ArpSocket::CaptureClockMicros() const {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);  // the clock of SO_TIMESTAMP
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

uint64_t ArpSocket::dropped() {
  tpacket_stats stats{};
  socklen_t length = sizeof stats;
  // The kernel resets its counters on each read.
  if (getsockopt(fd_, SOL_PACKET, PACKET_STATISTICS, &stats, &length) == 0) {
    dropped_ += stats.tp_drops;
  }
  return dropped_;
}

}  // namespace estate::plugins
