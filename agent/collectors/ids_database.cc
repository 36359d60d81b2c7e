#include "agent/collectors/ids_database.h"

#include <cctype>

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
  std::string vendor;    // current vendor when it is one we keep
  std::string class_id;  // current class inside the "C" section
  bool in_classes = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;
    if (line.front() != '\t') {
      vendor.clear();
      in_classes = false;
      if (line.size() > 2 && line[0] == 'C' && line[1] == ' ') {
        std::string id, name;
        if (SplitIdLine(line.substr(2), &id, &name)) {
          in_classes = true;
          class_id = id;
          db.classes_[id] = name;
        }
        continue;
      }
      if (line.size() < 4) continue;
      char wanted[5] = {};
      for (int i = 0; i < 4; ++i) {
        wanted[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
      }
      if (!vendors.count(wanted)) continue;
      std::string id, name;
      if (SplitIdLine(line, &id, &name)) {
        vendor = id;
        db.vendors_[id] = name;
      }
      continue;
    }
    if (line.size() > 1 && line[1] == '\t') continue;  // subsystems: not kept
    if (!in_classes && vendor.empty()) continue;       // a device of a vendor not asked for
    std::string id, name;
    if (!SplitIdLine(line.substr(1), &id, &name)) continue;
    if (in_classes) {
      db.classes_[class_id + ":" + id] = name;
    } else {
      db.devices_[vendor + ":" + id] = name;
    }
  }
  return db;
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
