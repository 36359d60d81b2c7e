// PciCollector: PCI devices from /sys/bus/pci/devices with vendor, device and
// class names resolved from /usr/share/misc/pci.ids under the HostRoot.
#ifndef ESTATE_AGENT_COLLECTORS_PCI_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_PCI_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakePciCollector();

// "0x8086\n" -> "8086"; empty when not a hex id.
std::string SysfsHexId(std::string_view text, size_t digits);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_PCI_COLLECTOR_H_
