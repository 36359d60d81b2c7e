// Salted slow hashes of the passwords foreign inventory agents present:
// PBKDF2-HMAC-SHA256 (OpenSSL), compared in constant time. Pure functions;
// thread-safe. Deliberately costly (tens of milliseconds): callers bound how
// many run at once (InventoryUsers, the inventory listener).
#ifndef ESTATE_COLLECTOR_AUTH_PASSWORD_HASH_H_
#define ESTATE_COLLECTOR_AUTH_PASSWORD_HASH_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate::collector {

// Rounds of new hashes. Each record keeps its own count, so raising this
// strengthens new passwords without breaking stored ones.
inline constexpr uint32_t kPasswordHashIterations = 100000;

struct PasswordHash {
  std::string salt;  // raw bytes
  uint32_t iterations = 0;
  std::string hash;  // raw 32 bytes
};

// A fresh random salt and the hash of `password` with it.
Result<PasswordHash> HashPassword(std::string_view password,
                                  uint32_t iterations = kPasswordHashIterations);

// Whether `password` hashes to `stored.hash` (constant time in the hash).
// False for a malformed record (no salt, no rounds, wrong length).
bool PasswordMatches(const PasswordHash& stored, std::string_view password);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_AUTH_PASSWORD_HASH_H_
