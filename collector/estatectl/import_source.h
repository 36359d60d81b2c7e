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
// Everything on standard input up to EOF (an audit's scanned codes), with
// the same size limit as a file.
Result<std::string> ReadStandardInput();

// The register `estatectl import` sends: the file at `path` read in pieces
// (a file over kMaxImportFileBytes is refused from its size, unread) and
// zlib-compressed for the admin socket, whose requests take 16 MiB.
// InvalidArgument naming the file and the limit.
Result<std::string> ReadRegisterFile(const std::string& path);
// The standard output of `getent passwd`.
Result<std::string> RunGetentPasswd();

// The first line of `in` without its line end (a password piped in or typed:
// `inventory-user add --password-stdin`); InvalidArgument when there is none
// or it is over 1024 bytes.
Result<std::string> ReadSecretLine(std::FILE* in);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_IMPORT_SOURCE_H_
