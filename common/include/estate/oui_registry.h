// OuiRegistry: the vendor behind a MAC address, from the IEEE registry files
// Debian ships in the ieee-data package (/usr/share/ieee-data/oui.csv for MA-L,
// mam.csv for MA-M, oui36.csv for MA-S).
//
// Loaded once into three sorted arrays of (prefix, name offset) over one pool
// of organisation names (under 2 MB for the full registry, read in about
// 20 ms); a lookup is at most three binary searches, longest prefix (MA-S,
// 36 bits) first.
// Immutable after loading, so one instance is safely shared between threads.
#ifndef ESTATE_OUI_REGISTRY_H_
#define ESTATE_OUI_REGISTRY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "estate/host_root.h"
#include "estate/status.h"

namespace estate {

// The three IEEE MAC address block sizes, by prefix length in bits.
enum class OuiBlock : uint8_t { kMaL = 24, kMaM = 28, kMaS = 36 };

class OuiRegistry {
 public:
  // An empty registry: every lookup answers "".
  OuiRegistry() = default;

  // Reads the three CSV files under `root` (/usr/share/ieee-data/). A missing
  // file is skipped (ieee-data may be absent); NotFound only when none exists.
  static Result<OuiRegistry> Load(const HostRoot& root);
  // The same, keeping only the entries that name one of `macs` (48-bit
  // integers): a one-shot scanner that found a few hundred hosts then spends
  // milliseconds, not the cost of the whole registry.
  static Result<OuiRegistry> LoadFor(const HostRoot& root, std::vector<uint64_t> macs);

  // Adds the rows of one registry CSV ("Registry,Assignment,Organization Name,...").
  // Rows whose assignment is not hex of the block's length are skipped and
  // counted. Returns the number of rows added. Call Finish() after the last one.
  size_t AddCsv(std::string_view csv, OuiBlock block, size_t* skipped = nullptr);
  // Sorts the tables; lookups are only valid afterwards.
  void Finish();

  // The organisation that owns the MAC (canonical or any form NormalizeMac
  // accepts, or 6 raw bytes), or "" when unknown or the address is not a MAC.
  std::string_view Lookup(std::string_view mac) const;
  std::string_view LookupBytes(const uint8_t mac[6]) const;

  size_t size() const { return mal_.size() + mam_.size() + mas_.size(); }

 private:
  struct Entry {
    uint64_t prefix;
    uint32_t offset;  // of the name in names_
    uint32_t length;
    bool operator<(const Entry& o) const { return prefix < o.prefix; }
  };
  std::string_view Find(const std::vector<Entry>& table, uint64_t prefix) const;

  static Result<OuiRegistry> LoadFiles(const HostRoot& root, const std::vector<uint64_t>* only);

  std::vector<Entry> mal_, mam_, mas_;
  std::string names_;
  // While loading with LoadFor: the sorted MACs whose entries are kept.
  const std::vector<uint64_t>* only_ = nullptr;
};

}  // namespace estate

#endif  // ESTATE_OUI_REGISTRY_H_
