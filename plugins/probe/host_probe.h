// HostProbe: is anyone there, beyond the local segment? ICMP echo (a raw
// socket, CAP_NET_RAW) and TCP connects to a few ports, sent at a bounded
// rate; a host is up when any probe answers (an echo reply, an accepted or a
// refused connection). Reverse DNS names the hosts that answered.
//
// Single-threaded and poll-driven. Not thread-safe; one Run per object.
#ifndef ESTATE_PLUGINS_PROBE_HOST_PROBE_H_
#define ESTATE_PLUGINS_PROBE_HOST_PROBE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "estate/status.h"

namespace estate::plugins {

struct HostProbeOptions {
  std::vector<uint32_t> targets;  // sorted, unique (ExpandTargets)
  bool icmp = true;
  std::vector<uint16_t> tcp_ports{22, 80, 443};
  double rate_pps = 500;  // probes per second (one echo or one connect each)
  std::chrono::milliseconds timeout{1000};
  int max_in_flight = 512;  // open TCP connects
  bool reverse_dns = true;
};

struct HostProbeResult {
  uint32_t ip = 0;
  std::string probe;                  // the first that answered: "icmp", "tcp/22"
  std::vector<std::string> answered;  // every probe that answered, "tcp/80 refused" style
  uint32_t rtt_us = 0;                // of the first answer
  std::string hostname;               // reverse DNS, "" when none
};

struct HostProbeProgress {
  uint64_t targets = 0;
  uint64_t probed = 0;
  uint64_t answered = 0;
  bool done = false;
};

class HostProbe {
 public:
  explicit HostProbe(HostProbeOptions options);

  // PermissionDenied (naming CAP_NET_RAW) when ICMP is asked for without it.
  Status Run(const std::function<void(const HostProbeProgress&)>& progress = {});
  // Hosts that answered, by IP.
  const std::vector<HostProbeResult>& results() const { return results_; }
  const HostProbeProgress& summary() const { return progress_; }

 private:
  HostProbeOptions options_;
  std::vector<HostProbeResult> results_;
  HostProbeProgress progress_;
};

// Builds an ICMP echo request (type 8) with its checksum. Pure.
std::vector<uint8_t> BuildIcmpEcho(uint16_t id, uint16_t sequence, size_t payload_bytes = 16);
// The Internet checksum (RFC 1071).
uint16_t InternetChecksum(const uint8_t* data, size_t size);
// From a raw IPv4 datagram: the source and echo id/sequence of an ICMP echo
// reply; false for anything else or truncated bytes.
bool ParseIcmpEchoReply(const uint8_t* data, size_t size, uint32_t* source, uint16_t* id,
                        uint16_t* sequence);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PROBE_HOST_PROBE_H_
