// ENTITY-MIB entPhysicalTable: chassis, modules and transceivers with their
// serials. The device's model/serial/firmware come from the chassis only when
// no definition or plugin sets them (definitions run after and win): the first
// entity of class chassis, else the first top-level entity naming a model or
// serial; its software revision is preferred to its firmware revision.
#include <map>

#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kEntPhysicalEntry{1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1};

const char* ClassName(int64_t v) {
  static const char* kNames[] = {"",          "other",        "unknown",     "chassis",
                                 "backplane", "container",    "powerSupply", "fan",
                                 "sensor",    "module",       "port",        "stack",
                                 "cpu",       "energyObject", "battery",     "storageDrive"};
  return v >= 0 && v < 16 ? kNames[v] : "";
}

}  // namespace

void MapEntity(MibReader& r, v1::NetworkDevice* d) {
  std::map<uint32_t, v1::EntityModule> rows;
  using Setter = void (*)(v1::EntityModule&, const std::string&);
  auto text = [&](uint32_t column, Setter set) {
    const Oid col = kEntPhysicalEntry.Child(column);
    for (const auto& [index, vb] : r.Column(col)) {
      if (index.size() != 1) continue;
      auto& row = rows[index[0]];
      if (auto t = r.CellText(col, vb)) set(row, *t);
    }
  };
  text(2, [](v1::EntityModule& m, const std::string& v) { m.set_descr(v); });
  text(7, [](v1::EntityModule& m, const std::string& v) { m.set_name(v); });
  text(8, [](v1::EntityModule& m, const std::string& v) { m.set_hardware_revision(v); });
  text(9, [](v1::EntityModule& m, const std::string& v) { m.set_firmware_revision(v); });
  text(10, [](v1::EntityModule& m, const std::string& v) { m.set_software_revision(v); });
  text(11, [](v1::EntityModule& m, const std::string& v) { m.set_serial(v); });
  text(12, [](v1::EntityModule& m, const std::string& v) { m.set_manufacturer(v); });
  text(13, [](v1::EntityModule& m, const std::string& v) { m.set_model(v); });
  for (uint32_t column : {4u, 5u}) {
    const Oid col = kEntPhysicalEntry.Child(column);
    for (const auto& [index, vb] : r.Column(col)) {
      if (index.size() != 1) continue;
      auto v = r.CellInt(col, vb);
      if (!v) continue;
      auto& row = rows[index[0]];
      if (column == 4 && *v >= 0) row.set_contained_in(static_cast<uint32_t>(*v));
      if (column == 5) row.set_class_name(ClassName(*v));
    }
  }
  const v1::EntityModule* chassis = nullptr;
  for (auto& [index, row] : rows) {
    row.set_index(index);
    // Sensors are not assets, and a bare port is listed with the interfaces;
    // a port with a serial or part number is a transceiver (SFP): an asset.
    if (row.class_name() == "sensor") continue;
    if (row.class_name() == "port" && row.serial().empty() && row.model().empty()) continue;
    if (row.class_name() == "container" && row.serial().empty() && row.model().empty()) continue;
    *d->add_modules() = row;
    if (row.class_name() == "chassis" && !chassis) chassis = &row;
  }
  if (!chassis) {
    // Recordings and some agents omit entPhysicalClass: take the first
    // top-level entity that names a model or serial.
    for (const auto& m : d->modules()) {
      if (m.contained_in() == 0 && (!m.model().empty() || !m.serial().empty())) {
        chassis = &m;
        break;
      }
    }
  }
  if (!chassis) return;
  if (d->model().empty() && !chassis->model().empty()) d->set_model(chassis->model());
  if (d->serial().empty() && !chassis->serial().empty()) d->set_serial(chassis->serial());
  if (d->firmware().empty()) {
    d->set_firmware(!chassis->software_revision().empty() ? chassis->software_revision()
                                                          : chassis->firmware_revision());
  }
  if (d->hardware_revision().empty()) d->set_hardware_revision(chassis->hardware_revision());
}

}  // namespace estate::plugins::snmp
