#include "collector/auth/inventory_users.h"

#include "collector/auth/password_hash.h"
#include "collector/reconcile/event_recorder.h"
#include "collector/store/records.h"
#include "estate/secret_file.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr auto kAcceptedFor = std::chrono::minutes(10);
// Long enough that an agent retrying a wrong password, or a flood repeating
// one, costs one hash; short enough that a typo fixed is soon accepted.
constexpr auto kRefusedFor = std::chrono::minutes(1);
constexpr size_t kMaxRefused = 4096;
constexpr size_t kGeneratedPasswordBytes = 16;  // 32 hex characters

PasswordHash HashOf(const v1::InventoryUser& user) {
  return {user.salt(), user.iterations(), user.pbkdf2_sha256()};
}

}  // namespace

std::string InventoryUserKey(std::string_view name) {
  std::string key = kInventoryUserPrefix;
  key.push_back('\0');
  key.append(name);
  return key;
}

Status CheckInventoryUserName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && name.front() != '-';
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '@' || c == '-');
  }
  if (ok) return Status::Ok();
  return Status::InvalidArgument("inventory user name '" + SanitizeUtf8(name) +
                                 "': 1 to 64 letters, digits, '.', '_', '@' or '-', "
                                 "not starting with '-'");
}

Status CheckInventoryPassword(std::string_view password) {
  if (password.size() < 12 || password.size() > 1024) {
    return Status::InvalidArgument("an inventory password has 12 to 1024 bytes, not " +
                                   std::to_string(password.size()));
  }
  for (unsigned char c : password) {
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("an inventory password has no control characters");
    }
  }
  return Status::Ok();
}

InventoryUsers::InventoryUsers(Ingestor& ingestor, std::shared_ptr<spdlog::logger> logger,
                               std::string pepper)
    : ingestor_(ingestor), logger_(std::move(logger)), pepper_(std::move(pepper)) {}

Result<std::unique_ptr<InventoryUsers>> InventoryUsers::Open(
    Store& store, Ingestor& ingestor, std::shared_ptr<spdlog::logger> logger) {
  auto pepper = RandomHex(32);
  if (!pepper.ok()) return pepper.status();
  std::unique_ptr<InventoryUsers> users(
      new InventoryUsers(ingestor, std::move(logger), std::move(*pepper)));
  Status corrupt;
  Status st = store.Scan(
      Table::kNodes, InventoryUserKey(""), [&](std::string_view key, std::string_view value) {
        v1::InventoryUser record;
        if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = Status::Corruption("unparsable inventory user record " + SanitizeUtf8(key));
          return false;
        }
        users->users_[record.name()] = std::move(record);
        return true;
      });
  if (!st.ok()) return st;
  if (!corrupt.ok()) return corrupt;
  return users;
}

std::string InventoryUsers::Digest(std::string_view name, std::string_view password) const {
  std::string text = pepper_;
  text.push_back('\0');
  text.append(name);
  text.push_back('\0');
  text.append(password);
  return Sha256Hex(text);
}

Status InventoryUsers::Write(const std::string& actor, const v1::InventoryUser& record,
                             v1::Event event) {
  auto result = ingestor_.Mutate(actor, [&](ReconcileContext& ctx) {
    PutRecord(ctx.batch, Table::kNodes, InventoryUserKey(record.name()), record);
    event.set_source(ctx.actor);
    ctx.events.Raise(ctx.batch, nullptr, ctx.now_micros, std::move(event));
    return Result<nlohmann::json>(nlohmann::json::object());
  });
  return result.ok() ? Status::Ok() : result.status();
}

Result<std::string> InventoryUsers::Add(const std::string& name, const std::string& password,
                                        const std::string& actor, int64_t now) {
  ESTATE_RETURN_IF_ERROR(CheckInventoryUserName(name));
  std::string secret = password;
  if (secret.empty()) {
    auto generated = RandomHex(kGeneratedPasswordBytes);
    if (!generated.ok()) return generated.status();
    secret = std::move(*generated);
  } else {
    ESTATE_RETURN_IF_ERROR(CheckInventoryPassword(secret));
  }
  {
    std::lock_guard lock(mu_);
    auto it = users_.find(name);
    if (it != users_.end() && it->second.revoked_at() == 0) {
      return Status::AlreadyExists("inventory user " + name +
                                   " exists: revoke it first to give it a new password");
    }
  }
  // Hashed outside the lock: it is the slow part.
  auto hash = HashPassword(secret);
  if (!hash.ok()) return hash.status();
  v1::InventoryUser record;
  record.set_name(name);
  record.set_salt(hash->salt);
  record.set_iterations(hash->iterations);
  record.set_pbkdf2_sha256(hash->hash);
  record.set_created_at(now);
  record.set_created_by(actor);
  v1::Event event;
  event.set_kind("inventory_user_added");
  event.set_severity("info");
  event.set_summary("inventory user " + name + " added");
  ESTATE_RETURN_IF_ERROR(Write(actor, record, std::move(event)));
  {
    std::lock_guard lock(mu_);
    users_[name] = record;
    accepted_.erase(name);
  }
  logger_->info("inventory user {} added by {}", name, actor);
  return password.empty() ? secret : std::string();
}

Status InventoryUsers::Revoke(const std::string& name, const std::string& actor, int64_t now) {
  v1::InventoryUser record;
  {
    std::lock_guard lock(mu_);
    auto it = users_.find(name);
    if (it == users_.end()) {
      return Status::NotFound("no inventory user " + SanitizeUtf8(name));
    }
    if (it->second.revoked_at() != 0) return Status::Ok();  // already: nothing to write
    // Refused from here on, before the write is durable.
    it->second.set_revoked_at(now);
    it->second.set_revoked_by(actor);
    accepted_.erase(name);
    record = it->second;
  }
  v1::Event event;
  event.set_kind("inventory_user_revoked");
  event.set_severity("info");
  event.set_summary("inventory user " + name + " revoked");
  ESTATE_RETURN_IF_ERROR(Write(actor, record, std::move(event)));
  logger_->info("inventory user {} revoked by {}", name, actor);
  return Status::Ok();
}

std::vector<v1::InventoryUser> InventoryUsers::List() const {
  std::lock_guard lock(mu_);
  std::vector<v1::InventoryUser> out;
  for (const auto& [name, record] : users_) {
    out.push_back(record);
    out.back().clear_salt();  // not even the hash leaves the collector
    out.back().clear_pbkdf2_sha256();
  }
  return out;
}

InventoryUsers::Verdict InventoryUsers::Lookup(std::string_view name, std::string_view password,
                                               Clock::time_point now) const {
  std::lock_guard lock(mu_);
  auto user = users_.find(name);
  // User names are not secrets; refusing unknown ones unhashed keeps a flood
  // of made-up names from costing anything.
  if (user == users_.end() || user->second.revoked_at() != 0) return Verdict::kRefused;
  const std::string digest = Digest(name, password);
  auto ok = accepted_.find(name);
  if (ok != accepted_.end() && now < ok->second.until && SecretsEqual(ok->second.digest, digest)) {
    return Verdict::kAccepted;
  }
  auto bad = refused_.find(digest);
  if (bad != refused_.end() && now < bad->second) return Verdict::kRefused;
  return Verdict::kUnchecked;
}

bool InventoryUsers::Verify(std::string_view name, std::string_view password,
                            Clock::time_point now) {
  v1::InventoryUser record;
  {
    std::lock_guard lock(mu_);
    auto user = users_.find(name);
    if (user == users_.end() || user->second.revoked_at() != 0) return false;
    record = user->second;
  }
  const bool match = PasswordMatches(HashOf(record), password);
  const std::string digest = Digest(name, password);
  std::lock_guard lock(mu_);
  auto user = users_.find(name);
  // Revoked or given a new password while hashing: the answer is stale.
  if (user == users_.end() || user->second.revoked_at() != 0 ||
      user->second.pbkdf2_sha256() != record.pbkdf2_sha256()) {
    return false;
  }
  if (match) {
    accepted_[std::string(name)] = {digest, now + kAcceptedFor};
    return true;
  }
  if (refused_.size() >= kMaxRefused) {
    std::erase_if(refused_, [now](const auto& entry) { return entry.second <= now; });
    // Still full of live entries (many distinct guesses): start over, the
    // hashing bound in the listener still holds.
    if (refused_.size() >= kMaxRefused) refused_.clear();
  }
  refused_[digest] = now + kRefusedFor;
  return false;
}

}  // namespace estate::collector
