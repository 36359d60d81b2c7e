// Where each installed Debian package came from (docs/agent.md, "Software
// origin"): the apt sources whose package lists under /var/lib/apt/lists
// carry that exact version ("<Origin>/<Codename>" of the list's Release or
// InRelease), "local" when none does, "unknown" when the host keeps no lists.
//
// Lists are streamed through CompressedReader (plain, .gz, .xz, .lz4) and
// only the installed packages' stanzas are looked at. The answer is cached in
// `cache_dir` (when given) under a key made of every list's and the dpkg
// status file's size and mtime, so an inventory after the first reads one
// small file. Not thread-safe (one inventory at a time per cache_dir).
#ifndef ESTATE_AGENT_COLLECTORS_DEB_ORIGINS_H_
#define ESTATE_AGENT_COLLECTORS_DEB_ORIGINS_H_

#include <string>
#include <string_view>
#include <vector>

#include "agent/collectors/distribution.h"
#include "estate/host_root.h"
#include "estate/v1/facts.pb.h"

namespace estate::agent {

// Sets origins, distribution and origin_evidence on every package of
// `packages` (source "deb"); problems (a list that does not decode, no lists
// at all) are appended to `warnings`, one line each.
void ResolveDebOrigins(const HostRoot& root, const std::string& cache_dir,
                       std::vector<v1::Package>* packages, std::vector<std::string>* warnings);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_DEB_ORIGINS_H_
