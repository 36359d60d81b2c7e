// Where `estatectl person import` takes its text: the caller's file (read
// here, with the caller's permissions, as backup paths are the caller's),
// or the output of `getent passwd` run here, so NSS sources (LDAP, SSSD) of
// the admin's machine count. The collector receives the text.
#ifndef ESTATE_COLLECTOR_ESTATECTL_IMPORT_SOURCE_H_
#define ESTATE_COLLECTOR_ESTATECTL_IMPORT_SOURCE_H_

#include <cstdio>
#include <string>

#include "estate/status.h"

namespace estate::collector {

// The whole file at `path`; InvalidArgument naming it when it cannot be read
// or is larger than a request may be.
Result<std::string> ReadImportFile(const std::string& path);
// The standard output of `getent passwd`.
Result<std::string> RunGetentPasswd();

// The first line of `in` without its line end (a password piped in or typed:
// `inventory-user add --password-stdin`); InvalidArgument when there is none
// or it is over 1024 bytes.
Result<std::string> ReadSecretLine(std::FILE* in);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_IMPORT_SOURCE_H_
