// HOST-RESOURCES-MIB: storage, and installed software (hrSWInstalledTable).
#include <ctime>
#include <map>

#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kHrStorageEntry{1, 3, 6, 1, 2, 1, 25, 2, 3, 1};
const Oid kHrStorageTypes{1, 3, 6, 1, 2, 1, 25, 2, 1};

const char* StorageTypeName(uint32_t arc) {
  switch (arc) {
    case 2:
      return "ram";
    case 3:
      return "virtual_memory";
    case 4:
      return "fixed_disk";
    case 5:
      return "removable_disk";
    case 6:
      return "floppy_disk";
    case 7:
      return "compact_disc";
    case 8:
      return "ram_disk";
    case 9:
      return "flash_memory";
    case 10:
      return "network_disk";
    default:
      return "other";
  }
}

const char* SoftwareTypeName(int64_t v) {
  switch (v) {
    case 2:
      return "operating_system";
    case 3:
      return "device_driver";
    case 4:
      return "application";
    default:
      return "unknown";
  }
}

// SNMPv2-TC DateAndTime (8 or 11 octets) -> Unix time; 0 when unset or invalid.
int64_t DateAndTime(const std::string& b) {
  if (b.size() != 8 && b.size() != 11) return 0;
  auto u = [&](size_t i) { return static_cast<uint8_t>(b[i]); };
  std::tm tm{};
  tm.tm_year = (u(0) << 8 | u(1)) - 1900;
  tm.tm_mon = u(2) - 1;
  tm.tm_mday = u(3);
  tm.tm_hour = u(4);
  tm.tm_min = u(5);
  tm.tm_sec = u(6);
  if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1) return 0;
  int64_t t = timegm(&tm);
  if (b.size() == 11) {  // direction from UTC, hours, minutes
    int64_t offset = (u(9) * 3600 + u(10) * 60) * (b[8] == '-' ? -1 : 1);
    t -= offset;
  }
  return t;
}

}  // namespace

void MapHostResources(MibReader& r, v1::NetworkDevice* d) {
  const Oid descr_col = kHrStorageEntry.Child(3);
  for (const auto& [index, vb] : r.Column(descr_col)) {
    if (index.size() != 1) continue;
    // An init-capture: clang before 16 cannot capture a structured binding.
    auto cell = [&, &row = index](uint32_t c) {
      return r.view().Get(kHrStorageEntry.Child(c).Append(row));
    };
    v1::DeviceStorage s;
    if (auto t = r.CellText(descr_col, vb)) s.set_descr(*t);
    if (const VarBind* type = cell(2); type && type->type == ValueType::kObjectId &&
                                       type->oid_value.StartsWith(kHrStorageTypes) &&
                                       type->oid_value.size() == kHrStorageTypes.size() + 1) {
      s.set_type(StorageTypeName(type->oid_value[kHrStorageTypes.size()]));
    } else {
      s.set_type("other");
    }
    auto units = r.CellInt(kHrStorageEntry.Child(4), cell(4)).value_or(0);
    auto size = r.CellInt(kHrStorageEntry.Child(5), cell(5)).value_or(0);
    auto used = r.CellInt(kHrStorageEntry.Child(6), cell(6)).value_or(0);
    // hrStorageSize is an Integer32 that agents sometimes wrap negative.
    auto as_unsigned = [](int64_t v) -> uint64_t {
      return v < 0 ? static_cast<uint64_t>(static_cast<uint32_t>(v)) : static_cast<uint64_t>(v);
    };
    if (units > 0) {
      s.set_size_bytes(as_unsigned(size) * static_cast<uint64_t>(units));
      s.set_used_bytes(as_unsigned(used) * static_cast<uint64_t>(units));
    }
    *d->add_storage() = std::move(s);
  }
  MapSoftware(r, d);
}

void MapSoftware(MibReader& r, v1::NetworkDevice* d) {
  const Oid name_col = kHrSWInstalledEntry.Child(2);
  for (const auto& [index, vb] : r.Column(name_col)) {
    if (index.size() != 1) continue;
    auto name = r.CellText(name_col, vb);
    if (!name) continue;
    v1::SnmpSoftware sw;
    sw.set_name(*name);
    const VarBind* type = r.view().Get(kHrSWInstalledEntry.Child(4).Child(index[0]));
    if (type && type->IsNumeric()) sw.set_type(SoftwareTypeName(type->number));
    const VarBind* date = r.view().Get(kHrSWInstalledEntry.Child(5).Child(index[0]));
    if (date && date->type == ValueType::kOctetString) {
      if (int64_t t = DateAndTime(date->bytes)) sw.set_install_time(t);
    }
    *d->add_software() = std::move(sw);
  }
}

void MergeSoftwareColumn(MibReader& r, uint32_t column, v1::NetworkDevice* d,
                         std::map<uint32_t, int>* positions) {
  const Oid col = kHrSWInstalledEntry.Child(column);
  for (const auto& [index, vb] : r.Column(col)) {
    if (index.size() != 1) continue;
    if (column == 2) {
      auto name = r.CellText(col, vb);
      if (!name) continue;
      (*positions)[index[0]] = d->software_size();
      d->add_software()->set_name(*name);
      continue;
    }
    auto pos = positions->find(index[0]);
    if (pos == positions->end()) continue;
    v1::SnmpSoftware* sw = d->mutable_software(pos->second);
    if (column == 4 && vb->IsNumeric()) sw->set_type(SoftwareTypeName(vb->number));
    if (column == 5 && vb->type == ValueType::kOctetString) {
      if (int64_t t = DateAndTime(vb->bytes)) sw->set_install_time(t);
    }
  }
}

}  // namespace estate::plugins::snmp
