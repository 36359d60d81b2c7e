// Processors: HOST-RESOURCES-MIB hrDeviceTable rows of type hrDeviceProcessor
// (hrProcessorTable shares their index and adds only a firmware OID and the
// load, neither of them inventory), with hrDeviceDescr; else ENTITY-MIB rows
// of class cpu(12) (routers and switches that list their CPUs there). Both
// columns are already walked for other fields: processors cost no request.
#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kHrDeviceType{1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 2};
const Oid kHrDeviceDescr{1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 3};
const Oid kHrDeviceProcessor{1, 3, 6, 1, 2, 1, 25, 3, 1, 3};

}  // namespace

void MapProcessors(MibReader& r, v1::NetworkDevice* d) {
  for (const auto& [index, vb] : r.Column(kHrDeviceType)) {
    if (index.size() != 1) continue;
    if (vb->type != ValueType::kObjectId || vb->oid_value != kHrDeviceProcessor) continue;
    v1::DeviceProcessor* p = d->add_processors();
    p->set_index(index[0]);
    p->set_source("host-resources");
    if (auto descr = r.Text(kHrDeviceDescr.Child(index[0]))) p->set_descr(*descr);
  }
  if (d->processors_size() > 0) return;
  // MapEntity kept the cpu rows among the modules.
  for (const auto& m : d->modules()) {
    if (m.class_name() != "cpu") continue;
    v1::DeviceProcessor* p = d->add_processors();
    p->set_index(m.index());
    p->set_source("entity");
    p->set_descr(!m.descr().empty() ? m.descr() : m.name());
    p->set_model(m.model());
  }
}

}  // namespace estate::plugins::snmp
