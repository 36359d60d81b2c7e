#include "collector/store/keys.h"

#include "estate/text.h"

namespace estate::collector {
namespace {

void AppendBigEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

std::string IdentityKey(std::string_view kind, std::string_view value) {
  std::string key(kind);
  key.push_back('\0');
  key.append(value);
  return key;
}

std::string NodeFactsPrefix(std::string_view asset_id, std::string_view node_id) {
  std::string key = FactsPrefix(asset_id);
  key.append(node_id);
  key.push_back('\0');
  return key;
}

std::string FactsSectionKey(std::string_view asset_id, std::string_view node_id, int field) {
  std::string key = NodeFactsPrefix(asset_id, node_id);
  key.push_back(static_cast<char>(field));
  return key;
}

std::string SoftwareKey(std::string_view asset_id, std::string_view node_id) {
  std::string key = FactsPrefix(asset_id);
  key.append(node_id);
  return key;
}

std::string CatalogueTitleKey(uint32_t id) {
  std::string key = CatalogueTitlePrefix();
  AppendBigEndian(&key, id, 4);
  return key;
}

std::string CatalogueVersionKey(uint32_t id) {
  std::string key = CatalogueVersionPrefix();
  AppendBigEndian(&key, id, 4);
  return key;
}

std::string CatalogueTitlePrefix() { return std::string("t\0", 2); }
std::string CatalogueVersionPrefix() { return std::string("v\0", 2); }

uint32_t CatalogueIdFromKey(std::string_view key) {
  if (key.size() != 6) return 0;
  uint32_t id = 0;
  for (size_t i = 2; i < 6; ++i) id = (id << 8) | static_cast<unsigned char>(key[i]);
  return id;
}

std::string SoftwareCountKey(uint32_t version, std::string_view asset_class) {
  std::string key;
  AppendBigEndian(&key, version, 4);
  key.append(asset_class);
  return key;
}

uint32_t SoftwareCountVersion(std::string_view key) {
  uint32_t id = 0;
  for (size_t i = 0; i < 4 && i < key.size(); ++i) {
    id = (id << 8) | static_cast<unsigned char>(key[i]);
  }
  return id;
}

std::string FactsPrefix(std::string_view asset_id) {
  std::string key(asset_id);
  key.push_back('\0');
  return key;
}

std::string HistoryKey(std::string_view asset_id, int64_t micros, uint32_t n) {
  std::string key = HistoryPrefix(asset_id);
  AppendBigEndian(&key, static_cast<uint64_t>(micros), 8);
  AppendBigEndian(&key, n, 4);
  return key;
}

std::string HistoryPrefix(std::string_view asset_id) {
  std::string key(asset_id);
  key.push_back('\0');
  return key;
}

std::string EventKey(uint64_t seq) {
  std::string key;
  AppendBigEndian(&key, seq, 8);
  return key;
}

uint64_t EventSeqFromKey(std::string_view key) {
  uint64_t seq = 0;
  for (size_t i = 0; i < 8 && i < key.size(); ++i) {
    seq = (seq << 8) | static_cast<unsigned char>(key[i]);
  }
  return seq;
}

std::string FindingsKey(std::string_view kind, std::string_view asset_id) {
  return IdentityKey(kind, asset_id);
}

std::string FindingsPrefix(std::string_view kind) { return IdentityKey(kind, ""); }

std::string BaselineKey(std::string_view asset_id, std::string_view group) {
  return IdentityKey(asset_id, group);
}

std::string BaselinePrefix(std::string_view asset_id) { return IdentityKey(asset_id, ""); }

std::string NoMergeKey(std::string_view a, std::string_view b) {
  return IgnoreKey("nomerge", a < b ? IdentityKey(a, b) : IdentityKey(b, a));
}

std::string RuleKey(std::string_view rule_id) { return IdentityKey("rule", rule_id); }

std::string RulePrefix() { return IdentityKey("rule", ""); }

std::string PersonKey(std::string_view name) { return IdentityKey("person", ToLower(name)); }

std::string PersonPrefix() { return IdentityKey("person", ""); }

std::string IgnoreKey(std::string_view kind, std::string_view subject) {
  return IdentityKey("ignore", IdentityKey(kind, subject));
}

std::string IgnorePrefix(std::string_view kind) {
  return IdentityKey("ignore", IdentityKey(kind, ""));
}

}  // namespace estate::collector
