#include "collector/auth/password_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace estate::collector {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

bool Derive(std::string_view password, const std::string& salt, uint32_t iterations,
            std::string* out) {
  out->assign(kHashBytes, '\0');
  return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                           reinterpret_cast<const unsigned char*>(salt.data()),
                           static_cast<int>(salt.size()), static_cast<int>(iterations),
                           EVP_sha256(), static_cast<int>(kHashBytes),
                           reinterpret_cast<unsigned char*>(out->data())) == 1;
}

}  // namespace

Result<PasswordHash> HashPassword(std::string_view password, uint32_t iterations) {
  if (iterations == 0 || iterations > (1u << 30)) {
    return Status::InvalidArgument("password hash rounds out of range");
  }
  PasswordHash out;
  out.iterations = iterations;
  out.salt.assign(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.salt.data()), kSaltBytes) != 1) {
    return Status::IoError("no random bytes for a password salt");
  }
  if (!Derive(password, out.salt, iterations, &out.hash)) {
    return Status::IoError("PBKDF2 failed");
  }
  return out;
}

bool PasswordMatches(const PasswordHash& stored, std::string_view password) {
  // The bound keeps a corrupt record from costing minutes per check.
  if (stored.salt.empty() || stored.hash.size() != kHashBytes || stored.iterations == 0 ||
      stored.iterations > (1u << 24)) {
    return false;
  }
  std::string derived;
  if (!Derive(password, stored.salt, stored.iterations, &derived)) return false;
  return CRYPTO_memcmp(derived.data(), stored.hash.data(), kHashBytes) == 0;
}

}  // namespace estate::collector
