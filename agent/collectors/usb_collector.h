// UsbCollector: USB devices from /sys/bus/usb/devices (interfaces left out)
// with names from /usr/share/misc/usb.ids, falling back to the strings the
// device itself reports.
#ifndef ESTATE_AGENT_COLLECTORS_USB_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_USB_COLLECTOR_H_

#include <memory>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeUsbCollector();

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_USB_COLLECTOR_H_
