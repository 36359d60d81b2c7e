#include "estate/tls_client.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <cctype>

#include "estate/endpoint.h"

namespace estate {
namespace {

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

}  // namespace

Result<TlsClientOptions> MakeTlsClientOptions(const std::string& ca_file,
                                              const std::string& fingerprint,
                                              bool insecure_plaintext) {
  TlsClientOptions options;
  options.ca_file = ca_file;
  options.insecure_plaintext = insecure_plaintext;
  if (!fingerprint.empty()) {
    auto pin = ParseFingerprint(fingerprint);
    if (!pin.ok()) return pin.status();
    options.pinned_sha256 = *pin;
  }
  return options;
}

Result<std::string> ParseFingerprint(std::string_view text) {
  std::string_view rest = text;
  if (rest.size() > 7 && (rest.substr(0, 7) == "sha256:" || rest.substr(0, 7) == "SHA256:")) {
    rest.remove_prefix(7);
  }
  std::string hex;
  for (char c : rest) {
    if (c == ':' || c == ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return Status::InvalidArgument("certificate fingerprint '" + std::string(text) +
                                     "' is not hex");
    }
    hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (hex.size() != 64) {
    return Status::InvalidArgument(
        "certificate fingerprint must be a SHA-256 (64 hex digits), got " +
        std::to_string(hex.size()));
  }
  return hex;
}

std::string CertificateFingerprint(X509* cert) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  X509_digest(cert, EVP_sha256(), digest, &size);
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kDigits[digest[i] >> 4]);
    hex.push_back(kDigits[digest[i] & 0xf]);
  }
  return hex;
}

std::string FormatFingerprint(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (i) out.push_back(':');
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i]))));
    if (i + 1 < hex.size()) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i + 1]))));
    }
  }
  return out;
}

Status CheckClientTransport(const TlsClientOptions& options, std::string_view host) {
  if (options.tls()) return Status::Ok();
  if (!options.insecure_plaintext) {
    return Status::FailedPrecondition(
        "refusing a plaintext connection to the collector: set ca_file (the CA that signed the "
        "collector's certificate) or collector_fingerprint (its SHA-256); insecure_plaintext = "
        "true is accepted only for a collector on loopback");
  }
  if (!IsLoopbackHost(host)) {
    return Status::FailedPrecondition("refusing insecure_plaintext towards " + std::string(host) +
                                      ": plaintext is allowed only to a loopback collector; "
                                      "set ca_file or collector_fingerprint");
  }
  return Status::Ok();
}

Status ConfigureClientContext(SSL_CTX* ctx, const TlsClientOptions& options) {
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (!options.ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, options.ca_file.c_str(), nullptr) != 1) {
      return Status::InvalidArgument("cannot load CA file " + options.ca_file + ": " +
                                     OpenSslError());
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  } else {
    // Pinned only: the chain is not checked, the fingerprint is (CheckPeerPin).
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  return Status::Ok();
}

Status ConfigureClientConnection(SSL* ssl, const TlsClientOptions& options,
                                 const std::string& host) {
  const bool ip = IsIpLiteral(host);
  if (!ip) SSL_set_tlsext_host_name(ssl, host.c_str());
  if (options.ca_file.empty()) return Status::Ok();
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
              : X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  if (ok != 1) return Status::InvalidArgument("cannot verify the collector as '" + host + "'");
  return Status::Ok();
}

Status CheckPeerPin(SSL* ssl, const TlsClientOptions& options) {
  if (options.pinned_sha256.empty()) return Status::Ok();
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return Status::PermissionDenied("the collector sent no certificate");
  const std::string seen = CertificateFingerprint(cert);
  X509_free(cert);
  if (seen != options.pinned_sha256) {
    return Status::PermissionDenied("collector certificate fingerprint SHA256 " +
                                    FormatFingerprint(seen) + " does not match the pinned " +
                                    FormatFingerprint(options.pinned_sha256));
  }
  return Status::Ok();
}

}  // namespace estate
