// IF-MIB ifTable + ifXTable.
#include <map>

#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kIfEntry{1, 3, 6, 1, 2, 1, 2, 2, 1};
const Oid kIfXEntry{1, 3, 6, 1, 2, 1, 31, 1, 1, 1};

const char* StatusName(int64_t v) {
  switch (v) {
    case 1:
      return "up";
    case 2:
      return "down";
    case 3:
      return "testing";
    case 4:
      return "unknown";
    case 5:
      return "dormant";
    case 6:
      return "notPresent";
    case 7:
      return "lowerLayerDown";
    default:
      return "";
  }
}

}  // namespace

void MapInterfaces(MibReader& r, v1::NetworkDevice* d) {
  std::map<uint32_t, v1::DeviceInterface> rows;
  struct Speeds {
    std::optional<int64_t> speed, high;
  };
  std::map<uint32_t, Speeds> speeds;
  auto each = [&](const Oid& table, uint32_t column, auto&& fn) {
    const Oid col = table.Child(column);
    for (const auto& [index, vb] : r.Column(col)) {
      if (index.size() != 1) continue;
      fn(col, index[0], vb);
    }
  };
  each(kIfEntry, 2, [&](const Oid& c, uint32_t i, const VarBind* vb) {
    auto& row = rows[i];
    if (auto t = r.CellText(c, vb)) row.set_descr(*t);
  });
  each(kIfEntry, 3, [&](const Oid& c, uint32_t i, const VarBind* vb) {
    if (auto v = r.CellInt(c, vb)) rows[i].set_type(static_cast<uint32_t>(*v));
  });
  each(kIfEntry, 4, [&](const Oid& c, uint32_t i, const VarBind* vb) {
    if (auto v = r.CellInt(c, vb); v && *v > 0) rows[i].set_mtu(static_cast<uint32_t>(*v));
  });
  each(kIfEntry, 5, [&](const Oid& c, uint32_t i, const VarBind* vb) {
    rows[i];
    speeds[i].speed = r.CellInt(c, vb);
  });
  each(kIfEntry, 6, [&](const Oid& c, uint32_t i, const VarBind* vb) {
    auto& row = rows[i];
    if (auto b = r.CellBytes(c, vb)) {
      if (auto mac = OctetsToMac(*b); mac && *mac != "00:00:00:00:00:00") row.set_mac(*mac);
    }
  });
  each(kIfEntry, 7, [&](const Oid& c, uint32_t i, const VarBind* vb) {
    if (auto v = r.CellInt(c, vb)) rows[i].set_admin_status(StatusName(*v));
  });
  each(kIfEntry, 8, [&](const Oid& c, uint32_t i, const VarBind* vb) {
    if (auto v = r.CellInt(c, vb)) rows[i].set_oper_status(StatusName(*v));
  });
  each(kIfXEntry, 1, [&](const Oid& c, uint32_t i, const VarBind* vb) {
    if (auto t = r.CellText(c, vb)) rows[i].set_name(*t);
  });
  each(kIfXEntry, 15, [&](const Oid& c, uint32_t i, const VarBind* vb) {
    if (rows.count(i)) speeds[i].high = r.CellInt(c, vb);
  });
  each(kIfXEntry, 18, [&](const Oid& c, uint32_t i, const VarBind* vb) {
    if (auto t = r.CellText(c, vb)) rows[i].set_alias(*t);
  });
  for (auto& [index, row] : rows) {
    row.set_index(index);
    if (row.name().empty()) row.set_name(row.descr());
    if (row.descr().empty()) row.set_descr(row.name());
    const Speeds& s = speeds[index];
    uint64_t speed = s.speed && *s.speed > 0 ? static_cast<uint64_t>(*s.speed) : 0;
    // ifSpeed saturates at 4294967295; ifHighSpeed (Mbit/s) tells beyond that.
    if (s.high && *s.high > 0 && (speed == 0 || speed == 4294967295ULL)) {
      speed = static_cast<uint64_t>(*s.high) * 1000000ULL;
    }
    row.set_speed(speed);
    *d->add_interfaces() = std::move(row);
  }
}

}  // namespace estate::plugins::snmp
