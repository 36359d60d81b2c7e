// PrinterCollector: the print queues configured in CUPS
// (/etc/cups/printers.conf, readable by root only), with the network host each
// queue prints to, so the queue can point at the device a scan found.
#ifndef ESTATE_AGENT_COLLECTORS_PRINTER_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_PRINTER_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/collectors/collector.h"

namespace estate::agent {

// The queues of a printers.conf; unknown directives are skipped.
std::vector<v1::Printer> ParsePrintersConf(std::string_view text);

// A device URI without its user name and password ("smb://wg/u:p@host/q" ->
// "smb://wg/host/q"), and the network host it names: empty for local
// backends (usb:, parallel:, hp:/usb) and loopback, and for dnssd:// service
// names, which are not hosts.
std::string StripUriCredentials(std::string_view uri);
std::string UriHost(std::string_view uri);

std::unique_ptr<Collector> MakePrinterCollector();

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_PRINTER_COLLECTOR_H_
