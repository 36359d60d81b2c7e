// The vendors of the MACs a sweep found, from the IEEE registry files that
// OuiRegistry reads (/usr/share/ieee-data/{oui,mam,oui36}.csv under a HostRoot).
//
// OuiRegistry::LoadFor parses every field of the 4 MB of CSV to keep a few
// hundred entries (about 14 ms, a tenth of a /24 sweep's CPU time). Here a
// scan for record boundaries picks the records whose assignment names one of
// the MACs and hands only those to OuiRegistry::AddCsv, still the one CSV
// parser. The picking is pure; only LoadVendorsOf reads files.
#ifndef ESTATE_PLUGINS_ARP_VENDOR_LOOKUP_H_
#define ESTATE_PLUGINS_ARP_VENDOR_LOOKUP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "estate/host_root.h"
#include "estate/oui_registry.h"
#include "estate/status.h"

namespace estate::plugins {

// Picks the records of one registry CSV that OuiRegistry::AddCsv must see to
// answer for a set of MACs: those whose assignment is one of the MACs'
// prefixes, and any record whose assignment is not plain hex of the block's
// length (the header, quoted or padded fields), which AddCsv then judges
// itself. Records are whole: a quoted field may span lines.
class RegistryRecordPicker {
 public:
  // `sorted_macs`: 48-bit integers, sorted.
  RegistryRecordPicker(OuiBlock block, const std::vector<uint64_t>& sorted_macs);
  // Takes the complete records at the start of `text` and returns the bytes
  // they span; the rest is a record the text cuts short.
  size_t AddRecords(std::string_view text);
  // Takes the file's last record when it does not end in a newline.
  void AddLast(std::string_view record) { Consider(record); }
  // The picked records, each ending in a newline.
  std::string Finish() { return std::move(picked_); }

 private:
  void Consider(std::string_view record);

  size_t digits_;
  std::vector<uint64_t> prefixes_;  // distinct, sorted
  std::string picked_;
};

// The picker over a whole file's text.
std::string PickRegistryRecords(std::string_view csv, OuiBlock block,
                                const std::vector<uint64_t>& sorted_macs);

// What OuiRegistry::LoadFor(root, macs) loads, for a fraction of the time.
// An empty registry when `macs` is empty; NotFound when no file exists.
Result<OuiRegistry> LoadVendorsOf(const HostRoot& root, std::vector<uint64_t> macs);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_ARP_VENDOR_LOOKUP_H_
