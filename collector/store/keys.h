// Key encodings of the store's tables (docs/architecture.md, "RocksDB key layout").
// A NUL byte separates key parts: no identifier contains one.
#ifndef ESTATE_COLLECTOR_STORE_KEYS_H_
#define ESTATE_COLLECTOR_STORE_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace estate::collector {

// Kinds of identifiers that lead to an asset in the identity table.
namespace identity {
inline constexpr std::string_view kMachineId = "machine_id";
inline constexpr std::string_view kDmiUuid = "uuid";
inline constexpr std::string_view kSerial = "serial";
inline constexpr std::string_view kMac = "mac";
inline constexpr std::string_view kIp = "ip";
inline constexpr std::string_view kHostname = "hostname";  // lookups only, never resolution
inline constexpr std::string_view kFqdn = "fqdn";          // a host name within a domain
inline constexpr std::string_view kAssetTag = "tag";
}  // namespace identity

std::string IdentityKey(std::string_view kind, std::string_view value);
std::string FactsKey(std::string_view asset_id, std::string_view node_id);
std::string FactsPrefix(std::string_view asset_id);
// Sorts by asset, then time, then `n` (several events in one microsecond).
std::string HistoryKey(std::string_view asset_id, int64_t micros, uint32_t n);
std::string HistoryPrefix(std::string_view asset_id);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_KEYS_H_
