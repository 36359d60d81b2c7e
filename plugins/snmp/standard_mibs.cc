// The standard walk plan, the mapper sequence and generic classification.
#include "plugins/snmp/standard_mibs.h"

#include "estate/text.h"

namespace estate::plugins::snmp {

std::vector<Oid> IdentificationOids() {
  return {oids::kSysDescr,   oids::kSysObjectId, oids::kSysUpTime,
          oids::kSysContact, oids::kSysName,     oids::kSysLocation};
}

std::vector<WalkStep> StandardPlan() {
  // Columns rather than whole tables: counters and other polled columns are
  // most of a table's bytes and none of its inventory.
  static const Oid kRoots[] = {
      {1, 3, 6, 1, 2, 1, 2, 2, 1, 2},            // ifDescr
      {1, 3, 6, 1, 2, 1, 2, 2, 1, 3},            // ifType
      {1, 3, 6, 1, 2, 1, 2, 2, 1, 4},            // ifMtu
      {1, 3, 6, 1, 2, 1, 2, 2, 1, 5},            // ifSpeed
      {1, 3, 6, 1, 2, 1, 2, 2, 1, 6},            // ifPhysAddress
      {1, 3, 6, 1, 2, 1, 2, 2, 1, 7},            // ifAdminStatus
      {1, 3, 6, 1, 2, 1, 2, 2, 1, 8},            // ifOperStatus
      {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1},        // ifName
      {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15},       // ifHighSpeed
      {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 18},       // ifAlias
      {1, 3, 6, 1, 2, 1, 4, 1},                  // ipForwarding
      {1, 3, 6, 1, 2, 1, 4, 20, 1, 2},           // ipAdEntIfIndex
      {1, 3, 6, 1, 2, 1, 4, 20, 1, 3},           // ipAdEntNetMask
      {1, 3, 6, 1, 2, 1, 4, 34, 1, 3},           // ipAddressIfIndex
      {1, 3, 6, 1, 2, 1, 4, 34, 1, 4},           // ipAddressType
      {1, 3, 6, 1, 2, 1, 4, 34, 1, 5},           // ipAddressPrefix
      {1, 3, 6, 1, 2, 1, 4, 22, 1, 2},           // ipNetToMediaPhysAddress
      {1, 3, 6, 1, 2, 1, 4, 22, 1, 4},           // ipNetToMediaType
      {1, 3, 6, 1, 2, 1, 4, 35, 1, 4},           // ipNetToPhysicalPhysAddress
      {1, 3, 6, 1, 2, 1, 17, 1, 2},              // dot1dBaseNumPorts
      {1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2},        // dot1dBasePortIfIndex
      {1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 2},        // dot1dTpFdbPort
      {1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 3},        // dot1dTpFdbStatus
      {1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 2},  // dot1qTpFdbPort
      {1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 3},  // dot1qTpFdbStatus
      {1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 3},  // dot1qVlanFdbId
      {1, 0, 8802, 1, 1, 2, 1, 3, 7, 1},         // lldpLocPortTable
      {1, 0, 8802, 1, 1, 2, 1, 4, 1, 1},         // lldpRemTable
      {1, 0, 8802, 1, 1, 2, 1, 4, 2, 1, 3},      // lldpRemManAddrIfSubtype
      {1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1},  // cdpCacheTable
      {1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1},        // entPhysicalTable
      {1, 3, 6, 1, 2, 1, 25, 2, 3, 1},           // hrStorageTable
      {1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 2},        // hrDeviceType
      {1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 3},        // hrDeviceDescr
      {1, 3, 6, 1, 2, 1, 25, 6, 3, 1, 2},        // hrSWInstalledName
      {1, 3, 6, 1, 2, 1, 25, 6, 3, 1, 4},        // hrSWInstalledType
      {1, 3, 6, 1, 2, 1, 25, 6, 3, 1, 5},        // hrSWInstalledDate
      {1, 3, 6, 1, 2, 1, 43, 5, 1, 1, 17},       // prtGeneralSerialNumber
      {1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4},       // prtMarkerLifeCount
      {1, 3, 6, 1, 2, 1, 43, 11, 1, 1},          // prtMarkerSuppliesTable
      {1, 3, 6, 1, 2, 1, 43, 12, 1, 1, 4},       // prtMarkerColorantValue
      {1, 3, 6, 1, 2, 1, 33, 1, 1},              // upsIdent
  };
  std::vector<WalkStep> plan;
  for (const Oid& root : kRoots) plan.push_back({root, ""});
  return plan;
}

std::vector<WalkStep> StandardFollowUp(const DeviceData& data) {
  // A host or printer has no bridge: four walks that would each cost a
  // request to learn so are skipped.
  const bool bridge = data.view.HasSubtree(oids::kDot1dBasePortIfIndex) ||
                      data.view.HasSubtree({1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 3});
  if (!bridge) return {};
  return {
      {{1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 4}, ""},  // dot1qVlanCurrentEgressPorts
      {{1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 5}, ""},  // dot1qVlanCurrentUntaggedPorts
      {{1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 3, 1, 1}, ""},  // dot1qVlanStaticName
      {{1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 5, 1, 1}, ""},  // dot1qPvid
  };
}

void MapStandardMibs(const DeviceData& data, MibReader& r, v1::NetworkDevice* d) {
  MapSystem(r, d);
  MapInterfaces(r, d);
  MapIpAddresses(r, d);
  MapArp(r, d);
  MapBridge(data, r, d);
  MapVlans(r, d);
  MapLldp(r, d);
  MapCdp(r, d);
  MapEntity(r, d);
  MapHostResources(r, d);
  MapProcessors(r, d);
  MapPrinter(r, d);
  MapUps(r, d);
}

void ClassifyGeneric(const DeviceData& data, MibReader& r, v1::NetworkDevice* d) {
  // A definition that only knows "network" leaves switch or router to the
  // evidence; any other type a definition or plugin set stands.
  const bool refine_network = d->type() == "network";
  if (!d->type().empty() && !refine_network) return;
  const std::string descr = ToLower(d->sys_descr());
  auto has = [&](std::string_view word) { return descr.find(word) != std::string::npos; };
  const auto ports = r.Int(oids::kDot1dBaseNumPorts.Child(0));
  const auto forwarding = r.Int(oids::kIpForwarding.Child(0));
  const bool bridge = ports && *ports > 1;
  const bool fdb = !d->fdb().empty();
  const bool routes = forwarding && *forwarding == 1;
  if (refine_network) {
    if (bridge || fdb) {
      d->set_type("switch");
    } else if (routes) {
      d->set_type("router");
    }
    return;
  }
  // Printer-MIB with a real marker (a page counter or supplies), not a stray
  // hrDevicePrinter row (BMCs and servers with a print spooler have those).
  const bool marker =
      (d->has_printer() && (d->printer().page_count() > 0 || d->printer().supplies_size() > 0)) ||
      data.view.HasSubtree({1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4});
  const Oid kHrDeviceType{1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 2};
  const Oid kHrDevicePrinter{1, 3, 6, 1, 2, 1, 25, 3, 1, 5};
  bool hr_printer = false;
  for (const VarBind* vb : data.view.Subtree(kHrDeviceType)) {
    if (vb->type == ValueType::kObjectId && vb->oid_value == kHrDevicePrinter) hr_printer = true;
  }
  const bool os = has("linux") || has("windows") || has("freebsd") || has("sunos") ||
                  has("darwin") || !d->software().empty();
  if (marker || (hr_printer && !os && (has("printer") || has("jetdirect")))) {
    d->set_type("printer");
  } else if (data.view.HasSubtree({1, 3, 6, 1, 2, 1, 33, 1, 1})) {
    d->set_type("ups");
  } else if (has("firewall")) {
    d->set_type("firewall");
  } else if ((has("access point") || has("wireless")) && !os) {
    d->set_type("access_point");
  } else if (os && !bridge) {
    d->set_type("server");
  } else if (bridge && (fdb || !routes)) {
    d->set_type("switch");
  } else if (routes) {
    d->set_type("router");
  }
}

}  // namespace estate::plugins::snmp
