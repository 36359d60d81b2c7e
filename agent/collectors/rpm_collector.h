// RpmCollector: RPM packages from the rpm >= 4.16 SQLite database
// (<root>/var/lib/rpm/rpmdb.sqlite, or /usr/lib/sysimage/rpm). Each row of
// table Packages holds one RPM header blob, parsed by ParseRpmHeader.
// The database is opened immutable: the agent never writes or locks it.
#ifndef ESTATE_AGENT_COLLECTORS_RPM_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_RPM_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/collectors/collector.h"
#include "estate/status.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeRpmCollector();

// One header blob as stored in the database (index count, data length, index
// entries, data; big-endian). Corruption when an entry points outside the blob.
Result<v1::Package> ParseRpmHeader(std::string_view blob);

// The signing key id (16 lowercase hex digits) of an OpenPGP signature
// packet, from its issuer or issuer fingerprint subpacket; "" when absent.
std::string OpenPgpIssuer(std::string_view packet);

// All packages of an rpmdb.sqlite file; bad headers become `problems`.
struct RpmDatabase {
  std::vector<v1::Package> packages;
  std::vector<std::string> problems;
};
Result<RpmDatabase> ReadRpmSqlite(const std::string& path);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_RPM_COLLECTOR_H_
