// ArpLink: the ARP sweep's view of one Ethernet segment. It sends requests in
// batches and hands over the replies that arrived, stamped with their capture
// time, so the sweep can sleep between bursts and read replies late without
// losing round-trip precision. ArpSocket is the real one; the tests simulate a
// segment in simulated time behind the same interface.
//
// Not thread-safe: the sweep's thread owns its link.
#ifndef ESTATE_PLUGINS_ARP_ARP_LINK_H_
#define ESTATE_PLUGINS_ARP_ARP_LINK_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>

#include "estate/status.h"
#include "plugins/passive/packet_source.h"

namespace estate::plugins {

class ArpLink {
 public:
  // A request frame: Ethernet header and ARP payload, padded to the 60-byte minimum.
  using Frame = std::array<uint8_t, 60>;
  using FrameHandler = std::function<void(const CapturedPacket&)>;

  virtual ~ArpLink() = default;

  // Sends the frames in order.
  virtual Status Send(std::span<const Frame> frames) = 0;
  // Hands every frame already received to `on_frame`; when none is waiting,
  // first waits up to `wait` for one.
  virtual Status Receive(std::chrono::microseconds wait, const FrameHandler& on_frame) = 0;
  // Lets `duration` pass without looking at frames; they wait for Receive.
  virtual void Sleep(std::chrono::microseconds duration) = 0;
  // Now, in the clock of CapturedPacket::timestamp_us (Unix epoch microseconds).
  virtual int64_t CaptureClockMicros() const = 0;
};

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_ARP_ARP_LINK_H_
