#include "collector/store/keys.h"

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

std::string FactsKey(std::string_view asset_id, std::string_view node_id) {
  std::string key = FactsPrefix(asset_id);
  key.append(node_id);
  return key;
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

}  // namespace estate::collector
