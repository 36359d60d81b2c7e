// ArpSocket: the ArpLink of a real interface, a raw AF_PACKET socket.
//
// Why not libpcap (PacketSource) as the listener uses: a sweep sends hundreds
// of requests and reads about as many replies, and a batch of each costs one
// system call here (sendmmsg, recvmmsg) instead of one per frame; a fixed
// kernel filter needs no filter compiler; and replies wait in the socket's
// queue with a kernel timestamp instead of in a megabyte ring the kernel must
// allocate and zero for every run.
//
// Only ARP replies addressed to the interface's MAC reach the process.
// Not thread-safe; owns its socket.
#ifndef ESTATE_PLUGINS_ARP_ARP_SOCKET_H_
#define ESTATE_PLUGINS_ARP_ARP_SOCKET_H_

#include <memory>
#include <string>

#include "plugins/arp/arp_link.h"
#include "plugins/passive/link_layer.h"

namespace estate::plugins {

class ArpSocket : public ArpLink {
 public:
  // PermissionDenied (naming CAP_NET_RAW) when the process may not open raw
  // sockets; NotFound when there is no such interface.
  static Result<std::unique_ptr<ArpSocket>> Open(const std::string& interface, const MacBytes& mac);
  ~ArpSocket() override;
  ArpSocket(const ArpSocket&) = delete;
  ArpSocket& operator=(const ArpSocket&) = delete;

  Status Send(std::span<const Frame> frames) override;
  Status Receive(std::chrono::microseconds wait, const FrameHandler& on_frame) override;
  void Sleep(std::chrono::microseconds duration) override;
  int64_t CaptureClockMicros() const override;

  // Replies the kernel dropped because the socket's queue was full.
  uint64_t dropped();

 private:
  ArpSocket(int fd, std::string interface) : fd_(fd), interface_(std::move(interface)) {}
  // Hands over what is queued without waiting; the number of frames.
  Result<size_t> Drain(const FrameHandler& on_frame);

  int fd_;
  std::string interface_;
  uint64_t dropped_ = 0;
};

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_ARP_ARP_SOCKET_H_
