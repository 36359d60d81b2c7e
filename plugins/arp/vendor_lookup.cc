#include "plugins/arp/vendor_lookup.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "estate/text.h"

namespace estate::plugins {
namespace {

// The end of the record starting at `pos`: just after its last newline, or
// npos when the text ends before the record does. The
// rules are OuiRegistry's parser's (RFC 4180): a quote opens a quoted field
// only at the start of a field, a quoted field may hold newlines and doubled
// quotes, any other quote is a literal character. memchr jumps from newline
// to newline and from quote to quote over the ordinary bytes, which are
// nearly all of the file.
size_t RecordEnd(std::string_view csv, size_t pos) {
  const char* const data = csv.data();
  const char* const end = data + csv.size();
  const char* const record = data + pos;
  bool quoted = false;
  for (const char* line = record; line < end;) {
    const auto* newline = static_cast<const char*>(std::memchr(line, '\n', end - line));
    if (newline == nullptr) break;
    const char* const line_end = newline + 1;
    for (const char* q = line;
         (q = static_cast<const char*>(std::memchr(q, '"', line_end - q))) != nullptr; ++q) {
      if (quoted) {
        if (q + 1 < end && q[1] == '"') {
          ++q;  // a doubled quote stands for one
        } else {
          quoted = false;
        }
      } else if (q == record || q[-1] == ',') {
        quoted = true;
      }
    }
    line = line_end;
    if (!quoted) return static_cast<size_t>(line - data);
  }
  return std::string_view::npos;
}

// The assignment (second field) as a number when it is exactly `digits` hex
// digits between the first two commas, unquoted; nullopt otherwise.
std::optional<uint64_t> PlainAssignment(std::string_view record, size_t digits) {
  size_t comma = 0;  // the registry name is short: a loop beats memchr here
  while (comma < record.size() && record[comma] != ',') ++comma;
  if (comma == record.size() || record.size() < comma + digits + 2 ||
      record[comma + 1 + digits] != ',' || record[0] == '"') {
    return std::nullopt;
  }
  return ParseHexUint(record.substr(comma + 1, digits));
}

}  // namespace

RegistryRecordPicker::RegistryRecordPicker(OuiBlock block, const std::vector<uint64_t>& sorted_macs)
    : digits_(static_cast<size_t>(block) / 4) {
  // A few hundred MACs share a few dozen vendors.
  for (uint64_t mac : sorted_macs) {
    const uint64_t prefix = mac >> (48 - static_cast<int>(block));
    if (prefixes_.empty() || prefixes_.back() != prefix) prefixes_.push_back(prefix);
  }
}

size_t RegistryRecordPicker::AddRecords(std::string_view text) {
  size_t pos = 0;
  for (size_t end; (end = RecordEnd(text, pos)) != std::string_view::npos; pos = end) {
    Consider(text.substr(pos, end - pos));
  }
  return pos;
}

void RegistryRecordPicker::Consider(std::string_view record) {
  auto prefix = PlainAssignment(record, digits_);
  if (prefix && !std::binary_search(prefixes_.begin(), prefixes_.end(), *prefix)) return;
  picked_.append(record);
  if (picked_.back() != '\n') picked_ += '\n';
}

std::string PickRegistryRecords(std::string_view csv, OuiBlock block,
                                const std::vector<uint64_t>& sorted_macs) {
  RegistryRecordPicker picker(block, sorted_macs);
  const size_t used = picker.AddRecords(csv);
  if (used < csv.size()) picker.AddLast(csv.substr(used));
  return picker.Finish();
}

Result<OuiRegistry> LoadVendorsOf(const HostRoot& root, std::vector<uint64_t> macs) {
  OuiRegistry registry;
  if (macs.empty()) return registry;
  std::sort(macs.begin(), macs.end());
  const struct {
    const char* path;
    OuiBlock block;
  } kFiles[] = {{"/usr/share/ieee-data/oui.csv", OuiBlock::kMaL},
                {"/usr/share/ieee-data/mam.csv", OuiBlock::kMaM},
                {"/usr/share/ieee-data/oui36.csv", OuiBlock::kMaS}};
  // Read in small pieces into one buffer, not mapped: on a virtual machine
  // first touches of 4 MB of fresh mappings cost more than copying them.
  std::vector<char> buffer(64 << 10);
  int found = 0;
  for (const auto& file : kFiles) {
    const std::string path = root.Path(file.path);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ++found;
    RegistryRecordPicker picker(file.block, macs);
    size_t filled = 0;  // bytes in `buffer`: the start of a record the last read cut short
    while (true) {
      if (filled == buffer.size()) buffer.resize(2 * buffer.size());  // a very long record
      const ssize_t n = ::read(fd, buffer.data() + filled, buffer.size() - filled);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int err = errno;
        ::close(fd);
        return Status::FromErrno("reading " + path, err);
      }
      if (n == 0) break;
      filled += static_cast<size_t>(n);
      const size_t used = picker.AddRecords(std::string_view(buffer.data(), filled));
      std::memmove(buffer.data(), buffer.data() + used, filled - used);
      filled -= used;
    }
    ::close(fd);
    if (filled > 0) picker.AddLast(std::string_view(buffer.data(), filled));
    registry.AddCsv(picker.Finish(), file.block);
  }
  if (found == 0) {
    return Status::NotFound("no IEEE registry under " + root.Path("/usr/share/ieee-data") +
                            " (install the ieee-data package)");
  }
  registry.Finish();
  return registry;
}

}  // namespace estate::plugins
