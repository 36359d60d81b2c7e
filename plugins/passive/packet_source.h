// PacketSource: where frames come from, a live interface (libpcap, which also
// sends) or a capture file (pcap or pcapng). Scanners and the listener are
// written against this interface so tests can feed them recorded traffic.
//
// Not thread-safe: one owner reads (and injects) from one thread.
#ifndef ESTATE_PLUGINS_PASSIVE_PACKET_SOURCE_H_
#define ESTATE_PLUGINS_PASSIVE_PACKET_SOURCE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "estate/status.h"
#include "plugins/passive/byte_reader.h"

namespace estate::plugins {

struct CapturedPacket {
  int64_t timestamp_us = 0;  // capture time, Unix epoch microseconds
  Bytes data;                // the captured bytes, valid until the next Next()
  uint32_t wire_length = 0;  // length on the wire (> data.size() when snapped)
};

struct CaptureStats {
  uint64_t received = 0;  // by the kernel filter
  uint64_t dropped = 0;   // for lack of buffer space
};

class PacketSource {
 public:
  virtual ~PacketSource() = default;

  // The pcap link type of every packet (DLT_EN10MB = 1, ...).
  virtual int link_type() const = 0;
  // Interface or file name, for messages.
  virtual const std::string& name() const = 0;

  // Waits up to `timeout` for a packet: true with `*packet` filled, false if
  // none came in time. NotFound at the end of a capture file.
  virtual Result<bool> Next(std::chrono::microseconds timeout, CapturedPacket* packet) = 0;
  // Sends one complete link-layer frame; Unimplemented for files.
  virtual Status Inject(Bytes frame) = 0;
  // Keeps only packets matching a BPF expression (tcpdump syntax).
  virtual Status SetFilter(std::string_view expression) = 0;
  virtual CaptureStats stats() const { return {}; }
};

struct LiveCaptureOptions {
  std::string interface;
  int snaplen = 1600;
  bool promiscuous = false;
  // Kernel ring buffer; a /16 sweep at 10,000 packets/s must not drop replies.
  int buffer_bytes = 4 << 20;
};

// PermissionDenied (naming CAP_NET_RAW) when the process may not capture.
Result<std::unique_ptr<PacketSource>> OpenLiveCapture(const LiveCaptureOptions& options);
Result<std::unique_ptr<PacketSource>> OpenCaptureFile(const std::string& path);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_PACKET_SOURCE_H_
