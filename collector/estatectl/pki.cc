#include "collector/estatectl/pki.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>

#include "estate/secret_file.h"
#include "estate/text.h"
#include "estate/tls_client.h"

namespace estate::collector {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

Status OpenSslFailure(const std::string& what) {
  unsigned long code = ERR_get_error();
  char text[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return Status::IoError(what + ": " + text);
}

Result<KeyPtr> NewKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslFailure("generating an EC P-256 key");
  return key;
}

// Adds one X.509v3 extension given in OpenSSL's config syntax.
Status AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return OpenSslFailure("extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return Status::Ok();
}

// A certificate for `key` named `cn`, valid from now for `days`; signed by
// `issuer_key` (self-signed when `issuer` is null).
Result<CertPtr> NewCert(EVP_PKEY* key, const std::string& cn, int days, X509* issuer,
                        EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) return OpenSslFailure("random serial");
  serial_bytes[0] &= 0x7f;  // positive
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
  BN_free(serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);  // clock skew
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("Estate"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (Status st = AddExtension(cert.get(), signer, NID_subject_key_identifier, "hash"); !st.ok()) {
    return st;
  }
  if (issuer == nullptr) {
    ESTATE_RETURN_IF_ERROR(
        AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
    ESTATE_RETURN_IF_ERROR(
        AddExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign"));
  } else {
    ESTATE_RETURN_IF_ERROR(
        AddExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always"));
    ESTATE_RETURN_IF_ERROR(
        AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE"));
    ESTATE_RETURN_IF_ERROR(AddExtension(cert.get(), signer, NID_key_usage,
                                        "critical,digitalSignature,keyEncipherment"));
    ESTATE_RETURN_IF_ERROR(AddExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth"));
  }
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) == 0) {
    return OpenSslFailure("signing the certificate for " + cn);
  }
  return cert;
}

// Creates `path` exclusively with `mode`, so nothing existing is replaced.
Status WriteNewFile(const std::string& path, const std::string& content, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return Status::AlreadyExists(path + " exists; not overwriting it");
    return Status::FromErrno("creating " + path, errno);
  }
  ::fchmod(fd, mode);
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Status::FromErrno("writing " + path, err);
    }
    done += static_cast<size_t>(n);
  }
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::FromErrno("fsync " + path, errno);
  return Status::Ok();
}

std::string CertPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string KeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

Result<PkiFiles> InitPki(const PkiRequest& request) {
  if (request.hosts.empty() && request.ips.empty()) {
    return Status::InvalidArgument("the collector certificate needs at least one --host or --ip");
  }
  std::string san;
  for (const auto& host : request.hosts) san += (san.empty() ? "" : ",") + ("DNS:" + host);
  for (const auto& ip : request.ips) san += (san.empty() ? "" : ",") + ("IP:" + ip);

  if (::mkdir(request.dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::FromErrno("creating " + request.dir, errno);
  }
  PkiFiles files;
  files.ca_cert = request.dir + "/ca.pem";
  files.ca_key = request.dir + "/ca-key.pem";
  files.collector_cert = request.dir + "/collector.pem";
  files.collector_key = request.dir + "/collector-key.pem";
  files.enroll_secret = request.dir + "/enroll-secret";
  for (const auto* path : {&files.ca_cert, &files.ca_key, &files.collector_cert,
                           &files.collector_key, &files.enroll_secret}) {
    if (::access(path->c_str(), F_OK) == 0) {
      return Status::AlreadyExists(*path + " exists; pki init never overwrites a site's keys");
    }
  }

  auto ca_key = NewKey();
  if (!ca_key.ok()) return ca_key.status();
  auto ca = NewCert(ca_key->get(), "Estate site CA", 3650, nullptr, nullptr);
  if (!ca.ok()) return ca.status();
  auto key = NewKey();
  if (!key.ok()) return key.status();
  const std::string cn = request.hosts.empty() ? request.ips.front() : request.hosts.front();
  auto cert = NewCert(key->get(), cn, request.collector_days, ca->get(), ca_key->get());
  if (!cert.ok()) return cert.status();
  ESTATE_RETURN_IF_ERROR(AddExtension(cert->get(), ca->get(), NID_subject_alt_name, san));
  // The SAN was added after signing: sign again.
  if (X509_sign(cert->get(), ca_key->get(), EVP_sha256()) == 0) {
    return OpenSslFailure("signing the collector certificate");
  }
  auto secret = RandomHex(32);
  if (!secret.ok()) return secret.status();

  ESTATE_RETURN_IF_ERROR(WriteNewFile(files.ca_key, KeyPem(ca_key->get()), 0600));
  ESTATE_RETURN_IF_ERROR(WriteNewFile(files.ca_cert, CertPem(ca->get()), 0644));
  ESTATE_RETURN_IF_ERROR(WriteNewFile(files.collector_key, KeyPem(key->get()), 0600));
  ESTATE_RETURN_IF_ERROR(WriteNewFile(files.collector_cert, CertPem(cert->get()), 0644));
  ESTATE_RETURN_IF_ERROR(WriteNewFile(files.enroll_secret, *secret + "\n", 0600));
  files.collector_fingerprint = CertificateFingerprint(cert->get());
  return files;
}

int RunPkiCommand(const std::vector<std::string>& args) {
  constexpr const char* kUsage =
      "usage: estatectl pki init DIR [--host NAME]... [--ip ADDR]... [--days N]\n"
      "  default names: localhost, this host's name, 127.0.0.1, ::1\n";
  if (args.size() < 2 || args[0] != "init") {
    std::fputs(kUsage, stderr);
    return 2;
  }
  PkiRequest request;
  request.dir = args[1];
  for (size_t i = 2; i < args.size(); ++i) {
    if (i + 1 >= args.size()) {
      std::fprintf(stderr, "estatectl pki: %s needs a value\n%s", args[i].c_str(), kUsage);
      return 2;
    }
    const std::string& value = args[++i];
    if (args[i - 1] == "--host") {
      request.hosts.push_back(value);
    } else if (args[i - 1] == "--ip") {
      request.ips.push_back(value);
    } else if (args[i - 1] == "--days") {
      auto days = ParseUint(value);
      if (!days || *days == 0 || *days > 3650) {
        std::fputs("estatectl pki: --days must be 1..3650\n", stderr);
        return 2;
      }
      request.collector_days = static_cast<int>(*days);
    } else {
      std::fprintf(stderr, "estatectl pki: unknown option %s\n%s", args[i - 1].c_str(), kUsage);
      return 2;
    }
  }
  if (request.hosts.empty() && request.ips.empty()) {
    request.hosts.push_back("localhost");
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0 && std::string(name) != "localhost") {
      request.hosts.push_back(name);
    }
    request.ips = {"127.0.0.1", "::1"};
  }
  auto files = InitPki(request);
  if (!files.ok()) {
    std::fprintf(stderr, "estatectl pki: %s\n", files.status().message().c_str());
    return 1;
  }
  std::printf(
      "wrote %s, %s (keep it offline), %s, %s, %s\n"
      "estated.conf:   tls_cert = %s\n"
      "                tls_key = %s\n"
      "                enroll_secret_file = %s\n"
      "agent.conf:     ca_file = %s   (copy ca.pem to each node)\n"
      "                enroll_secret_file = <a 0600 copy of enroll-secret>\n"
      "or pin it:      collector_fingerprint = %s\n",
      files->ca_cert.c_str(), files->ca_key.c_str(), files->collector_cert.c_str(),
      files->collector_key.c_str(), files->enroll_secret.c_str(), files->collector_cert.c_str(),
      files->collector_key.c_str(), files->enroll_secret.c_str(), files->ca_cert.c_str(),
      FormatFingerprint(files->collector_fingerprint).c_str());
  return 0;
}

}  // namespace estate::collector
