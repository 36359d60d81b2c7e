// DpkgCollector: Debian packages from the dpkg status database
// (<root>/var/lib/dpkg/status, osquery's "admindir" under the HostRoot).
// Only installed packages are reported; the install time is the mtime of the
// package's file list in /var/lib/dpkg/info, which dpkg rewrites on install.
#ifndef ESTATE_AGENT_COLLECTORS_DPKG_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_DPKG_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeDpkgCollector();

struct DpkgStatus {
  std::vector<v1::Package> packages;  // source "deb", in file order
  std::vector<std::string> problems;  // one per malformed stanza
};

// Parses the status file; a malformed stanza is skipped and named in `problems`.
DpkgStatus ParseDpkgStatus(std::string_view text);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_DPKG_COLLECTOR_H_
