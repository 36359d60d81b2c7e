#include "plugins/passive/frame_analyzer.h"

#include <algorithm>
#include <exception>

#include "estate/text.h"
#include "plugins/passive/arp_decoder.h"
#include "plugins/passive/dhcp_decoder.h"
#include "plugins/passive/ip_decoder.h"
#include "plugins/passive/link_layer.h"
#include "plugins/passive/mdns_decoder.h"
#include "plugins/passive/neighbor_decoder.h"

namespace estate::plugins {
namespace {

constexpr uint32_t kCiscoOui = 0x00000c;
constexpr uint16_t kCdpSnapProtocol = 0x2000;

bool IsUsableMac(const MacBytes& mac) {
  const MacBytes zero{}, broadcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  return mac != zero && mac != broadcast && (mac[0] & 1) == 0;
}

// Switches announce 0.0.0.0 when they have no management address.
uint32_t FirstAddress(const std::vector<uint32_t>& addresses) {
  for (uint32_t a : addresses) {
    if (a != 0) return a;
  }
  return 0;
}

}  // namespace

FrameAnalyzer::FrameAnalyzer(const OuiRegistry* oui, std::string interface, size_t max_remembered)
    : oui_(oui),
      interface_(std::move(interface)),
      max_remembered_(std::max<size_t>(1, max_remembered)) {}

void FrameAnalyzer::Count(const Status& status) {
  switch (status.code()) {
    case Status::Code::kCorruption:
      ++stats_.truncated;
      break;
    case Status::Code::kUnimplemented:
      ++stats_.unsupported;
      break;
    default:
      ++stats_.malformed;
      break;
  }
}

bool FrameAnalyzer::First(std::string key) {
  if (reported_.count(key)) return false;
  if (reported_.size() >= max_remembered_) {
    reported_.clear();
    ++stats_.forgotten;
  }
  reported_.insert(std::move(key));
  return true;
}

v1::Observation FrameAnalyzer::Base(v1::ObservationSource source, int64_t timestamp,
                                    const MacBytes& mac) const {
  v1::Observation o;
  o.set_source(source);
  o.set_seen_at(timestamp);
  const std::string text = FormatMacBytes(mac);
  o.set_mac(text);
  o.set_mac_locally_administered(IsLocallyAdministeredMac(text));
  if (oui_ != nullptr) o.set_vendor(std::string(oui_->LookupBytes(mac.data())));
  if (!interface_.empty()) o.set_interface(interface_);
  return o;
}

void FrameAnalyzer::Analyze(int link_type, int64_t timestamp, Bytes frame,
                            std::vector<v1::Observation>* out) {
  ++stats_.frames;
  const size_t before = out->size();
  try {
    AnalyzeFrame(link_type, timestamp, frame, out);
  } catch (const std::exception&) {
    // A decoder bug must not end a capture: the frame counts as malformed.
    ++stats_.malformed;
  }
  stats_.observations += out->size() - before;
}

void FrameAnalyzer::AnalyzeFrame(int link_type, int64_t timestamp, Bytes bytes,
                                 std::vector<v1::Observation>* out) {
  auto link = DecodeLinkLayer(link_type, bytes);
  if (!link.ok()) {
    if (link.status().code() == Status::Code::kUnimplemented) {
      ++stats_.other;
    } else {
      Count(link.status());
    }
    return;
  }
  const LinkFrame& frame = *link;

  if (frame.ether_type == kEtherTypeArp && !frame.snap) {
    ++stats_.arp;
    auto arp = DecodeArp(frame.payload);
    if (!arp.ok()) return Count(arp.status());
    // Address probes (sender 0.0.0.0) and bogus senders teach nothing.
    if (arp->sender_ip == 0 || !IsUsableMac(arp->sender_mac)) return;
    const StationEvent event = stations_.Observe(arp->sender_ip, arp->sender_mac, timestamp);
    if (event.change == StationChange::kNone) return;
    v1::Observation o = Base(v1::OBSERVATION_SOURCE_PASSIVE_ARP, timestamp, arp->sender_mac);
    o.set_ip(FormatIpv4(arp->sender_ip));
    o.add_flags(StationChangeFlag(event.change));
    if (event.change != StationChange::kNewStation) {
      o.set_previous_mac(FormatMacBytes(event.previous_mac));
    }
    o.set_first_seen(event.first_seen);
    out->push_back(std::move(o));
    return;
  }

  if (frame.ether_type == kEtherTypeLldp && !frame.snap) {
    ++stats_.lldp;
    auto lldp = DecodeLldp(frame.payload);
    if (!lldp.ok()) return Count(lldp.status());
    v1::Observation o = Base(v1::OBSERVATION_SOURCE_PASSIVE_LLDP, timestamp, frame.src);
    o.set_hostname(lldp->system_name);
    o.set_platform(lldp->description);
    if (uint32_t ip = FirstAddress(lldp->ipv4_addresses)) o.set_ip(FormatIpv4(ip));
    if (First("lldp|" + o.mac() + "|" + o.hostname() + "|" + o.ip() + "|" + o.platform())) {
      out->push_back(std::move(o));
    }
    return;
  }

  if (frame.snap && frame.snap_oui == kCiscoOui && frame.ether_type == kCdpSnapProtocol) {
    ++stats_.cdp;
    auto cdp = DecodeCdp(frame.payload);
    if (!cdp.ok()) return Count(cdp.status());
    v1::Observation o = Base(v1::OBSERVATION_SOURCE_PASSIVE_CDP, timestamp, frame.src);
    o.set_hostname(cdp->system_name);
    o.set_platform(cdp->platform);
    if (uint32_t ip = FirstAddress(cdp->ipv4_addresses)) o.set_ip(FormatIpv4(ip));
    if (First("cdp|" + o.mac() + "|" + o.hostname() + "|" + o.ip() + "|" + o.platform())) {
      out->push_back(std::move(o));
    }
    return;
  }

  if (frame.ether_type != kEtherTypeIpv4 || frame.snap) {
    ++stats_.other;
    return;
  }
  auto udp = DecodeIpv4Udp(frame.payload);
  if (!udp.ok()) {
    if (udp.status().code() == Status::Code::kUnimplemented) {
      ++stats_.other;
    } else {
      Count(udp.status());
    }
    return;
  }

  // Clients send to 67, servers and relays answer to 68 (or relay to 67).
  const bool dhcp_ports = udp->dst_port == 67 || udp->dst_port == 68;
  if (dhcp_ports) {
    ++stats_.dhcp;
    auto dhcp = DecodeDhcp(udp->payload);
    if (!dhcp.ok()) return Count(dhcp.status());
    if (!dhcp->options_valid) ++stats_.malformed;
    if (dhcp->options_truncated) ++stats_.truncated;
    // Only what a client says about itself identifies it; server replies add
    // the address it was given.
    if (!dhcp->client_mac || !IsUsableMac(*dhcp->client_mac)) return;
    v1::Observation o = Base(v1::OBSERVATION_SOURCE_PASSIVE_DHCP, timestamp, *dhcp->client_mac);
    const uint32_t ip = dhcp->ciaddr   ? dhcp->ciaddr
                        : dhcp->yiaddr ? dhcp->yiaddr
                                       : dhcp->requested_ip;
    if (ip != 0) o.set_ip(FormatIpv4(ip));
    if (dhcp->op == 1) {
      o.set_hostname(dhcp->hostname);
      v1::DhcpFingerprint* fp = o.mutable_dhcp();
      fp->set_hostname(dhcp->hostname);
      fp->set_vendor_class(dhcp->vendor_class);
      for (uint32_t p : dhcp->parameter_list) fp->add_parameter_list(p);
      fp->set_client_id(dhcp->client_id);
      fp->set_message_type(dhcp->message_type);
    }
    std::string key = "dhcp|" + o.mac() + "|" + o.ip() + "|" + o.hostname();
    if (o.has_dhcp()) {
      key += "|" + o.dhcp().vendor_class() + "|" + o.dhcp().client_id() + "|";
      for (uint32_t p : dhcp->parameter_list) key += std::to_string(p) + ",";
    }
    if (First(std::move(key))) out->push_back(std::move(o));
    return;
  }

  if (udp->src_port == 5353 || udp->dst_port == 5353) {
    ++stats_.mdns;
    auto mdns = DecodeMdns(udp->payload);
    if (!mdns.ok()) return Count(mdns.status());
    if (!mdns->response) return;
    const std::string hostname = MdnsHostnameFor(*mdns, udp->src_ip);
    if (hostname.empty()) return;
    v1::Observation o = Base(v1::OBSERVATION_SOURCE_PASSIVE_MDNS, timestamp, frame.src);
    o.set_ip(FormatIpv4(udp->src_ip));
    o.set_hostname(hostname);
    if (First("mdns|" + o.mac() + "|" + o.ip() + "|" + hostname)) out->push_back(std::move(o));
    return;
  }
  ++stats_.other;
}

}  // namespace estate::plugins
