// IP-MIB: the device's own addresses (ipAddrTable, ipAddressTable) and its
// neighbour caches (ipNetToMediaTable, ipNetToPhysicalTable).
#include <bit>
#include <set>

#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kIpAdEntIfIndex{1, 3, 6, 1, 2, 1, 4, 20, 1, 2};
const Oid kIpAdEntNetMask{1, 3, 6, 1, 2, 1, 4, 20, 1, 3};
const Oid kIpAddressIfIndex{1, 3, 6, 1, 2, 1, 4, 34, 1, 3};
const Oid kIpAddressType{1, 3, 6, 1, 2, 1, 4, 34, 1, 4};
const Oid kIpAddressPrefix{1, 3, 6, 1, 2, 1, 4, 34, 1, 5};
const Oid kIpNetToMediaPhysAddress{1, 3, 6, 1, 2, 1, 4, 22, 1, 2};
const Oid kIpNetToMediaType{1, 3, 6, 1, 2, 1, 4, 22, 1, 4};
const Oid kIpNetToPhysicalPhysAddress{1, 3, 6, 1, 2, 1, 4, 35, 1, 4};

// "addrtype.len.addr..." index (InetAddressType + InetAddress) starting at `pos`.
std::optional<std::string> InetIndex(const std::vector<uint32_t>& idx, size_t pos) {
  if (pos + 2 > idx.size()) return std::nullopt;
  uint32_t type = idx[pos];
  uint32_t len = idx[pos + 1];
  if ((type == 1 && len == 4) || (type == 2 && len == 16)) return ArcsToIp(idx, pos + 2, len);
  return std::nullopt;
}

}  // namespace

void MapIpAddresses(MibReader& r, v1::NetworkDevice* d) {
  std::set<std::string> seen;
  for (const auto& [index, vb] : r.Column(kIpAdEntIfIndex)) {
    auto ip = ArcsToIp(index, 0, index.size());
    if (!ip || index.size() != 4) continue;
    v1::DeviceAddress a;
    a.set_address(*ip);
    if (auto v = r.CellInt(kIpAdEntIfIndex, vb); v && *v >= 0) {
      a.set_if_index(static_cast<uint32_t>(*v));
    }
    const VarBind* mask = r.view().Get(kIpAdEntNetMask.Append(index));
    if (mask && mask->type == ValueType::kIpAddress && mask->bytes.size() == 4) {
      uint32_t m = 0;
      for (char c : mask->bytes) m = (m << 8) | static_cast<uint8_t>(c);
      a.set_prefix_length(static_cast<uint32_t>(std::popcount(m)));
    }
    seen.insert(*ip);
    *d->add_addresses() = std::move(a);
  }
  for (const auto& [index, vb] : r.Column(kIpAddressIfIndex)) {
    auto ip = InetIndex(index, 0);
    // Broadcast entries (ipAddressType 3) are not addresses of the device.
    const VarBind* type = r.view().Get(kIpAddressType.Append(index));
    if (type && type->IsNumeric() && type->number == 3) continue;
    if (!ip || !seen.insert(*ip).second) continue;
    v1::DeviceAddress a;
    a.set_address(*ip);
    if (auto v = r.CellInt(kIpAddressIfIndex, vb); v && *v >= 0) {
      a.set_if_index(static_cast<uint32_t>(*v));
    }
    // ipAddressPrefix points at ipAddressPrefixTable; its last arc is the length.
    const VarBind* prefix = r.view().Get(kIpAddressPrefix.Append(index));
    if (prefix && prefix->type == ValueType::kObjectId && !prefix->oid_value.empty()) {
      uint32_t len = prefix->oid_value[prefix->oid_value.size() - 1];
      if (len <= 128) a.set_prefix_length(len);
    }
    *d->add_addresses() = std::move(a);
  }
}

void MapArp(MibReader& r, v1::NetworkDevice* d) {
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](const std::string& ip, const std::string& mac, uint32_t if_index) {
    if (mac == "00:00:00:00:00:00" || mac == "ff:ff:ff:ff:ff:ff") return;
    if (!seen.insert({ip, mac}).second) return;
    v1::NeighborCacheEntry e;
    e.set_ip(ip);
    e.set_mac(mac);
    e.set_if_index(if_index);
    *d->add_arp() = std::move(e);
  };
  for (const auto& [index, vb] : r.Column(kIpNetToMediaPhysAddress)) {
    if (index.size() != 5) continue;
    const VarBind* type = r.view().Get(kIpNetToMediaType.Append(index));
    if (type && type->IsNumeric() && type->number == 2) continue;  // invalid
    auto ip = ArcsToIp(index, 1, 4);
    auto bytes = r.CellBytes(kIpNetToMediaPhysAddress, vb);
    if (!ip || !bytes) continue;
    if (auto mac = OctetsToMac(*bytes)) add(*ip, *mac, index[0]);
  }
  for (const auto& [index, vb] : r.Column(kIpNetToPhysicalPhysAddress)) {
    if (index.empty()) continue;
    auto ip = InetIndex(index, 1);
    auto bytes = r.CellBytes(kIpNetToPhysicalPhysAddress, vb);
    if (!ip || !bytes) continue;
    if (auto mac = OctetsToMac(*bytes)) add(*ip, *mac, index[0]);
  }
}

}  // namespace estate::plugins::snmp
