// How an agent or scanner trusts the collector it connects to, and the checks
// that go with it. TLS 1.2 or later, with the collector's certificate verified
// against a CA file (chain + host name or IP), or pinned by the SHA-256 of its
// DER encoding, or both. Plaintext only when insecure_plaintext is set and the
// collector is on loopback.
#ifndef ESTATE_TLS_CLIENT_H_
#define ESTATE_TLS_CLIENT_H_

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate {

struct TlsClientOptions {
  std::string ca_file;
  // Lowercase hex without separators (ParseFingerprint makes it so).
  std::string pinned_sha256;
  bool insecure_plaintext = false;

  bool tls() const { return !ca_file.empty() || !pinned_sha256.empty(); }
};

// From the settings agents and scanners share: ca_file, collector_fingerprint
// (any form ParseFingerprint takes; empty for none), insecure_plaintext.
Result<TlsClientOptions> MakeTlsClientOptions(const std::string& ca_file,
                                              const std::string& fingerprint,
                                              bool insecure_plaintext);

// Accepts "AB:CD:...", "abcd...", with or without a "sha256:" prefix; returns
// 64 lowercase hex digits.
Result<std::string> ParseFingerprint(std::string_view text);

// The SHA-256 fingerprint of `cert` (64 lowercase hex digits).
std::string CertificateFingerprint(X509* cert);
// "AB:CD:..." as `openssl x509 -fingerprint -sha256` prints it.
std::string FormatFingerprint(std::string_view hex);

// Whether `options` may be used for `host` at all: no trust anchor and no
// insecure_plaintext, or insecure_plaintext towards a non-loopback host, is
// refused with a message saying what to set.
Status CheckClientTransport(const TlsClientOptions& options, std::string_view host);

// Sets up `ctx` (TLS >= 1.2, CA verification when ca_file is set).
Status ConfigureClientContext(SSL_CTX* ctx, const TlsClientOptions& options);
// Per connection: SNI and the host name / IP address the certificate must name.
Status ConfigureClientConnection(SSL* ssl, const TlsClientOptions& options,
                                 const std::string& host);
// After the handshake: the pinned fingerprint, when one is set.
Status CheckPeerPin(SSL* ssl, const TlsClientOptions& options);

}  // namespace estate

#endif  // ESTATE_TLS_CLIENT_H_
