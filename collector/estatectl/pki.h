// estatectl pki init: the files a small site needs for TLS and enrollment,
// made with the OpenSSL library (no `openssl` command):
//   ca.pem, ca-key.pem                a site CA (EC P-256, 10 years)
//   collector.pem, collector-key.pem  the collector's certificate, signed by
//                                     the CA, naming the given hosts and IPs
//   enroll-secret                     256 random bits, hex
// Keys and the secret are written 0600. Existing files are never overwritten.
#ifndef ESTATE_COLLECTOR_ESTATECTL_PKI_H_
#define ESTATE_COLLECTOR_ESTATECTL_PKI_H_

#include <string>
#include <vector>

#include "estate/status.h"

namespace estate::collector {

struct PkiRequest {
  std::string dir;
  std::vector<std::string> hosts;  // DNS names (the first is the CN)
  std::vector<std::string> ips;    // IPv4/IPv6 addresses
  int collector_days = 825;
};

struct PkiFiles {
  std::string ca_cert, ca_key, collector_cert, collector_key, enroll_secret;
  std::string collector_fingerprint;  // SHA-256, hex, for pinning
};

Result<PkiFiles> InitPki(const PkiRequest& request);

// Parses `pki init DIR [--host NAME]... [--ip ADDR]... [--days N]`, runs it
// and prints what to put where; the exit status.
int RunPkiCommand(const std::vector<std::string>& args);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_PKI_H_
