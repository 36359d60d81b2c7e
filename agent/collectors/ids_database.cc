#include "agent/collectors/ids_database.h"

#include <cctype>

#include "agent/compressed_reader.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

// "1af4  Red Hat, Inc." -> id "1af4", name "Red Hat, Inc."
bool SplitIdLine(std::string_view line, std::string* id, std::string* name) {
  size_t space = line.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  *id = ToLower(line.substr(0, space));
  *name = std::string(Trim(line.substr(space)));
  return true;
}

}  // namespace

IdsDatabase IdsDatabase::Parse(std::string_view text, const std::set<std::string>& vendors) {
  IdsDatabase db;
  Cursor at;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    db.Line(text.substr(pos, end - pos), vendors, &at);
    pos = end + 1;
  }
  return db;
}

Result<IdsDatabase> IdsDatabase::ParseFile(const std::string& path,
                                           const std::set<std::string>& vendors) {
  auto reader = CompressedReader::Open(path);
  if (!reader.ok()) return reader.status();
  IdsDatabase db;
  Cursor at;
  std::string partial;  // a line split between two chunks
  for (;;) {
    auto chunk = reader->Next();
    if (!chunk.ok()) return chunk.status();
    if (chunk->empty()) break;
    std::string_view text = *chunk;
    size_t pos = 0;
    if (!partial.empty()) {
      const size_t nl = text.find('\n');
      partial.append(text.substr(0, nl));
      if (nl == std::string_view::npos) continue;
      db.Line(partial, vendors, &at);
      partial.clear();
      pos = nl + 1;
    }
    for (size_t end; (end = text.find('\n', pos)) != std::string_view::npos; pos = end + 1) {
      db.Line(text.substr(pos, end - pos), vendors, &at);
    }
    partial.assign(text.substr(pos));
  }
  if (!partial.empty()) db.Line(partial, vendors, &at);
  return db;
}

void IdsDatabase::Line(std::string_view line, const std::set<std::string>& vendors, Cursor* at) {
  if (line.empty() || line.front() == '#') return;
  if (line.front() != '\t') {
    at->vendor.clear();
    at->in_classes = false;
    if (line.size() > 2 && line[0] == 'C' && line[1] == ' ') {
      std::string id, name;
      if (SplitIdLine(line.substr(2), &id, &name)) {
        at->in_classes = true;
        at->class_id = id;
        classes_[id] = name;
      }
      return;
    }
    if (line.size() < 4) return;
    char wanted[5] = {};
    for (int i = 0; i < 4; ++i) {
      wanted[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
    }
    if (!vendors.count(wanted)) return;
    std::string id, name;
    if (SplitIdLine(line, &id, &name)) {
      at->vendor = id;
      vendors_[id] = name;
    }
    return;
  }
  if (line.size() > 1 && line[1] == '\t') return;     // subsystems: not kept
  if (!at->in_classes && at->vendor.empty()) return;  // a device of a vendor not asked for
  std::string id, name;
  if (!SplitIdLine(line.substr(1), &id, &name)) return;
  if (at->in_classes) {
    classes_[at->class_id + ":" + id] = name;
  } else {
    devices_[at->vendor + ":" + id] = name;
  }
}

std::string IdsDatabase::Vendor(const std::string& vendor) const {
  auto it = vendors_.find(vendor);
  return it == vendors_.end() ? std::string() : it->second;
}

std::string IdsDatabase::Device(const std::string& vendor, const std::string& device) const {
  auto it = devices_.find(vendor + ":" + device);
  return it == devices_.end() ? std::string() : it->second;
}

std::string IdsDatabase::Class(const std::string& class_id, const std::string& subclass_id) const {
  auto it = classes_.find(class_id + ":" + subclass_id);
  if (it != classes_.end()) return it->second;
  it = classes_.find(class_id);
  return it == classes_.end() ? std::string() : it->second;
}

}  // namespace estate::agent
