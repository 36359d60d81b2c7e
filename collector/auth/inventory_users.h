// InventoryUsers: the users foreign inventory agents (FusionInventory, GLPI
// Agent, OCS) authenticate as with HTTP basic auth, managed with `estatectl
// inventory-user`. Beside the site's inventory token, each team or site can
// have its own user, revoked alone.
//
// Records (v1::InventoryUser, nodes column family, "inventory_user\0<name>")
// keep a salted PBKDF2-HMAC-SHA256 of the password, never the password. They
// are loaded once at start and kept in memory, so a request never reads
// RocksDB; changes are written through the Ingestor's writer thread, with an
// event in the log (inventory_user_added, inventory_user_revoked). Add and
// Revoke block on that write: call them off the io threads.
//
// Checking a password is split in two so that a flood of bad passwords cannot
// eat the daemon's CPU: Lookup answers from memory (unknown or revoked users,
// a password verified in the last 10 minutes, a wrong one tried in the last
// minute), and only what it cannot answer goes to Verify, the costly hash,
// which the caller runs off the io threads and bounds. Revocation holds at
// once: Lookup refuses a revoked user whatever was verified before.
// Thread-safe.
#ifndef ESTATE_COLLECTOR_AUTH_INVENTORY_USERS_H_
#define ESTATE_COLLECTOR_AUTH_INVENTORY_USERS_H_

#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/ingest/ingestor.h"
#include "collector/store/store.h"
#include "estate/status.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

inline constexpr char kInventoryUserPrefix[] = "inventory_user";

// The nodes-CF key of an inventory user's record.
std::string InventoryUserKey(std::string_view name);

// OK for a name of 1 to 64 letters, digits, '.', '_', '@' or '-' not starting
// with '-' (no ':', which basic auth would split on).
Status CheckInventoryUserName(std::string_view name);

// OK for a password of 12 to 1024 bytes without control characters.
Status CheckInventoryPassword(std::string_view password);

class InventoryUsers {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Verdict { kAccepted, kRefused, kUnchecked };

  static Result<std::unique_ptr<InventoryUsers>> Open(Store& store, Ingestor& ingestor,
                                                      std::shared_ptr<spdlog::logger> logger);

  // Adds user `name`, or gives a revoked one a new password; `password`
  // empty: a random one, returned (the only time it is shown). AlreadyExists
  // for a user that is not revoked. Durable on return.
  Result<std::string> Add(const std::string& name, const std::string& password,
                          const std::string& actor, int64_t now);
  // Refuses `name` from now on (in memory first, then durably).
  Status Revoke(const std::string& name, const std::string& actor, int64_t now);
  // The users, without salt or hash, by name.
  std::vector<v1::InventoryUser> List() const;

  // From memory only: kAccepted, kRefused, or kUnchecked when Verify must decide.
  Verdict Lookup(std::string_view name, std::string_view password, Clock::time_point now) const;
  // The costly check (PBKDF2, tens of milliseconds); remembers its answer for Lookup.
  bool Verify(std::string_view name, std::string_view password, Clock::time_point now);

 private:
  InventoryUsers(Ingestor& ingestor, std::shared_ptr<spdlog::logger> logger, std::string pepper);
  // A per-process keyed digest of (name, password): what the caches hold.
  std::string Digest(std::string_view name, std::string_view password) const;
  Status Write(const std::string& actor, const v1::InventoryUser& record, v1::Event event);

  Ingestor& ingestor_;
  std::shared_ptr<spdlog::logger> logger_;
  const std::string pepper_;

  mutable std::mutex mu_;
  std::map<std::string, v1::InventoryUser, std::less<>> users_;
  struct Verified {
    std::string digest;
    Clock::time_point until;
  };
  std::map<std::string, Verified, std::less<>> accepted_;       // by name
  std::unordered_map<std::string, Clock::time_point> refused_;  // by digest; bounded
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_AUTH_INVENTORY_USERS_H_
