// Printer-MIB (RFC 3805): serial, page counter, supplies; UPS-MIB (RFC 1628) identity.
#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kPrtGeneralSerialNumber{1, 3, 6, 1, 2, 1, 43, 5, 1, 1, 17};
const Oid kPrtMarkerLifeCount{1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4};
const Oid kPrtMarkerSuppliesEntry{1, 3, 6, 1, 2, 1, 43, 11, 1, 1};
const Oid kPrtMarkerColorantValue{1, 3, 6, 1, 2, 1, 43, 12, 1, 1, 4};
const Oid kUpsIdent{1, 3, 6, 1, 2, 1, 33, 1, 1};

const char* SupplyTypeName(int64_t v) {
  switch (v) {
    case 3:
      return "toner";
    case 4:
      return "waste_toner";
    case 5:
      return "ink";
    case 6:
      return "ink_cartridge";
    case 7:
      return "ink_ribbon";
    case 8:
      return "waste_ink";
    case 9:
      return "opc";
    case 10:
      return "developer";
    case 11:
      return "fuser_oil";
    case 15:
      return "fuser";
    case 20:
      return "transfer_unit";
    case 21:
      return "toner_cartridge";
    case 22:
      return "fuser_oiler";
    case 32:
      return "staples";
    default:
      return "other";
  }
}

}  // namespace

void MapPrinter(MibReader& r, v1::NetworkDevice* d) {
  auto serials = r.Column(kPrtGeneralSerialNumber);
  auto counters = r.Column(kPrtMarkerLifeCount);
  auto supplies = r.Column(kPrtMarkerSuppliesEntry.Child(6));
  if (serials.empty() && counters.empty() && supplies.empty()) return;
  v1::PrinterInfo* p = d->mutable_printer();
  for (const auto& [index, vb] : serials) {
    if (auto t = r.CellText(kPrtGeneralSerialNumber, vb)) {
      p->set_serial(*t);
      break;
    }
  }
  for (const auto& [index, vb] : counters) {
    if (auto v = r.CellInt(kPrtMarkerLifeCount, vb); v && *v >= 0) {
      p->set_page_count(p->page_count() + static_cast<uint64_t>(*v));
    }
  }
  for (const auto& [index, vb] : supplies) {
    // An init-capture: clang before 16 cannot capture a structured binding.
    auto cell = [&, &row = index](uint32_t c) {
      return r.view().Get(kPrtMarkerSuppliesEntry.Child(c).Append(row));
    };
    v1::PrinterSupply s;
    if (auto t = r.CellText(kPrtMarkerSuppliesEntry.Child(6), vb)) s.set_descr(*t);
    if (auto v = r.CellInt(kPrtMarkerSuppliesEntry.Child(5), cell(5))) {
      s.set_type(SupplyTypeName(*v));
    }
    if (auto v = r.CellInt(kPrtMarkerSuppliesEntry.Child(8), cell(8))) s.set_max_capacity(*v);
    if (auto v = r.CellInt(kPrtMarkerSuppliesEntry.Child(9), cell(9))) s.set_level(*v);
    if (auto colorant = r.CellInt(kPrtMarkerSuppliesEntry.Child(3), cell(3));
        colorant && *colorant > 0 && !index.empty()) {
      const VarBind* c = r.view().Get(
          kPrtMarkerColorantValue.Child(index[0]).Child(static_cast<uint32_t>(*colorant)));
      if (c && c->type == ValueType::kOctetString) s.set_color(OctetsToText(c->bytes));
    }
    *p->add_supplies() = std::move(s);
  }
  if (d->serial().empty() && !p->serial().empty()) d->set_serial(p->serial());
}

void MapUps(MibReader& r, v1::NetworkDevice* d) {
  auto model = r.Text(kUpsIdent.Child(2).Child(0));
  if (!model) return;
  if (d->model().empty()) d->set_model(*model);
  if (d->firmware().empty()) {
    if (auto fw = r.Text(kUpsIdent.Child(3).Child(0))) d->set_firmware(*fw);
  }
}

}  // namespace estate::plugins::snmp
