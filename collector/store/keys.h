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
// Facts: one record per top-level HostFacts field of each node, so a report
// writes only the fields it changes; "<asset>\0<node>\0<field number byte>".
std::string FactsSectionKey(std::string_view asset_id, std::string_view node_id, int field);
std::string NodeFactsPrefix(std::string_view asset_id, std::string_view node_id);
std::string FactsPrefix(std::string_view asset_id);
// A node's software set (software table): "<asset>\0<node>"; FactsPrefix
// lists an asset's.
std::string SoftwareKey(std::string_view asset_id, std::string_view node_id);
// Catalogue: "t\0<be32 id>" titles, "v\0<be32 id>" versions.
std::string CatalogueTitleKey(uint32_t id);
std::string CatalogueVersionKey(uint32_t id);
std::string CatalogueTitlePrefix();
std::string CatalogueVersionPrefix();
uint32_t CatalogueIdFromKey(std::string_view key);  // 0 for a malformed key
// Install counters: "<be32 version id><asset class>".
std::string SoftwareCountKey(uint32_t version, std::string_view asset_class);
uint32_t SoftwareCountVersion(std::string_view key);
// Sorts by asset, then time, then `n` (several events in one microsecond).
std::string HistoryKey(std::string_view asset_id, int64_t micros, uint32_t n);
std::string HistoryPrefix(std::string_view asset_id);

// Events sort by their sequence number.
std::string EventKey(uint64_t seq);
uint64_t EventSeqFromKey(std::string_view key);
// Per-asset findings: "<kind>\0<asset id>" with kind "drift" or "software".
std::string FindingsKey(std::string_view kind, std::string_view asset_id);
std::string FindingsPrefix(std::string_view kind);
// Baselines: "<asset id>\0<group>" -> v1::Baseline of that drift group.
std::string BaselineKey(std::string_view asset_id, std::string_view group);
std::string BaselinePrefix(std::string_view asset_id);
// Pairs an admin split: automatic merging never joins them again.
std::string NoMergeKey(std::string_view a, std::string_view b);
// Policy: "rule\0<id>" and "ignore\0<kind>\0<subject>".
std::string RuleKey(std::string_view rule_id);
std::string RulePrefix();
std::string IgnoreKey(std::string_view kind, std::string_view subject);
std::string IgnorePrefix(std::string_view kind);
// People (settings table): "person\0<name in lower case>" -> v1::Person.
std::string PersonKey(std::string_view name);
std::string PersonPrefix();

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_KEYS_H_
