#include "collector/auth/node_directory.h"

#include "collector/reconcile/peer_kinds.h"
#include "collector/store/records.h"
#include "estate/secret_file.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr size_t kNodeKeyBytes = 32;  // 256 bits
constexpr size_t kMaxNodeIdBytes = 256;
constexpr int64_t kSeenWriteInterval = 30;

}  // namespace

std::string EnrollmentKey(std::string_view node_id) {
  std::string key = kEnrolledPrefix;
  key.push_back('\0');
  key.append(node_id);
  return key;
}

NodeDirectory::NodeDirectory(Store& store, Ingestor& ingestor, std::string secret,
                             std::shared_ptr<spdlog::logger> logger)
    : store_(store),
      ingestor_(ingestor),
      enroll_secret_(std::move(secret)),
      logger_(std::move(logger)) {}

Result<std::unique_ptr<NodeDirectory>> NodeDirectory::Open(Store& store, Ingestor& ingestor,
                                                           std::string enroll_secret,
                                                           std::shared_ptr<spdlog::logger> logger) {
  std::unique_ptr<NodeDirectory> directory(
      new NodeDirectory(store, ingestor, std::move(enroll_secret), std::move(logger)));
  Status corrupt;
  Status st = store.Scan(
      Table::kNodes, EnrollmentKey(""), [&](std::string_view key, std::string_view value) {
        v1::NodeEnrollment record;
        if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = Status::Corruption("unparsable enrollment record " + SanitizeUtf8(key));
          return false;
        }
        directory->nodes_[record.node_id()] = std::move(record);
        return true;
      });
  if (!st.ok()) return st;
  if (!corrupt.ok()) return corrupt;
  directory->StartFlusher();
  return directory;
}

Result<std::string> NodeDirectory::Enroll(const v1::Enroll& request, const std::string& address,
                                          int64_t now) {
  if (!enrollment_required()) {
    return Status::FailedPrecondition("this collector does not enroll nodes");
  }
  // The secret is checked first: without it, nothing about the node ids leaks.
  if (!SecretsEqual(request.enroll_secret(), enroll_secret_)) {
    return Status::PermissionDenied("wrong or missing enroll secret");
  }
  const std::string& node_id = request.node_id();
  if (node_id.empty() || node_id.size() > kMaxNodeIdBytes ||
      node_id.find('\0') != std::string::npos) {
    return Status::InvalidArgument("enroll needs a node_id of 1 to 256 bytes without NUL");
  }
  // Foreign agents' kinds and node ids (inventory listener) are theirs alone.
  if (IsForeignPeerKind(request.kind())) {
    return Status::InvalidArgument(std::string("kind ") + PeerKindName(request.kind()) +
                                   " reports over the inventory listener, not the agent port");
  }
  if (IsForeignNodeId(node_id)) {
    return Status::InvalidArgument("node ids starting with a foreign agent's kind and ':' (" +
                                   node_id.substr(0, node_id.find(':') + 1) + ") are reserved");
  }
  auto key = RandomHex(kNodeKeyBytes);
  if (!key.ok()) return key.status();
  {
    std::lock_guard lock(mu_);
    auto it = nodes_.find(node_id);
    if (it != nodes_.end()) {
      if (it->second.revoked_at() != 0) {
        return Status::PermissionDenied("node " + node_id +
                                        " is revoked; an administrator must `estatectl revoke " +
                                        "--forget` it before it may enroll again");
      }
      // Otherwise anyone holding the site secret could take over a node id.
      return Status::PermissionDenied("node " + node_id +
                                      " is already enrolled: present its node key (an "
                                      "administrator can `estatectl revoke --forget` it)");
    }
    v1::NodeEnrollment record;
    record.set_node_id(node_id);
    record.set_key_sha256(Sha256Hex(*key));
    record.set_enrolled_at(now);
    record.set_hostname(SanitizeUtf8(request.hostname()));
    record.set_kind(PeerKindName(request.kind()));
    record.set_last_seen(now);
    record.set_last_address(address);
    nodes_[node_id] = record;
  }
  if (Status st = Write("enroll", node_id); !st.ok()) {
    std::lock_guard lock(mu_);
    nodes_.erase(node_id);
    return st;
  }
  logger_->info("{}: enrolled node {} ({})", address, SanitizeUtf8(node_id),
                SanitizeUtf8(request.hostname()));
  return *key;
}

Status NodeDirectory::Authenticate(const std::string& node_id, const std::string& node_key) const {
  if (!enrollment_required()) return Status::Ok();
  if (node_key.empty()) {
    return Status::PermissionDenied("no node key: enroll first (set enroll_secret_file)");
  }
  const std::string presented = Sha256Hex(node_key);
  std::lock_guard lock(mu_);
  auto it = nodes_.find(node_id);
  // The same answer for an unknown node and a wrong key.
  if (it == nodes_.end() || !SecretsEqual(presented, it->second.key_sha256())) {
    return Status::PermissionDenied("the node key is not the one issued to node " + node_id);
  }
  if (it->second.revoked_at() != 0)
    return Status::PermissionDenied("node " + node_id + " is revoked");
  return Status::Ok();
}

Status NodeDirectory::AdmitForeign(const std::string& node_id, v1::PeerKind kind,
                                   const std::string& hostname, const std::string& address,
                                   int64_t now) {
  std::lock_guard lock(mu_);
  auto [it, created] = nodes_.try_emplace(node_id);
  v1::NodeEnrollment& record = it->second;
  if (created) {
    record.set_node_id(node_id);
    record.set_enrolled_at(now);
    record.set_kind(PeerKindName(kind));
    logger_->info("{}: first report from {} {}", address, PeerKindName(kind),
                  SanitizeUtf8(node_id));
  } else if (record.revoked_at() != 0) {
    return Status::PermissionDenied("node " + node_id + " is revoked");
  } else if (!record.key_sha256().empty()) {
    // An enrolled Estate agent's id: never reported for by a foreign agent.
    return Status::PermissionDenied("node " + node_id + " is an enrolled Estate node");
  }
  if (!hostname.empty()) record.set_hostname(SanitizeUtf8(hostname));
  record.set_last_seen(now);
  record.set_last_address(address);
  dirty_[node_id] = true;
  return Status::Ok();
}

bool IsForeignNodeId(std::string_view node_id) {
  for (auto kind : {v1::PEER_KIND_GLPI_AGENT, v1::PEER_KIND_FUSIONINVENTORY, v1::PEER_KIND_OCS}) {
    const std::string prefix = std::string(PeerKindName(kind)) + ":";
    if (node_id.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

void NodeDirectory::Seen(const std::string& node_id, const std::string& hostname,
                         const std::string& address, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return;
  it->second.set_last_seen(now);
  it->second.set_last_address(address);
  if (!hostname.empty()) it->second.set_hostname(hostname);
  dirty_[node_id] = true;
}

void NodeDirectory::StartFlusher() {
  flusher_ = std::thread([this] {
    std::unique_lock lock(flusher_mu_);
    while (!flusher_cv_.wait_for(lock, std::chrono::seconds(kSeenWriteInterval),
                                 [this] { return flusher_stopping_; })) {
      lock.unlock();
      Flush();
      lock.lock();
    }
  });
}

void NodeDirectory::Stop() {
  {
    std::lock_guard lock(flusher_mu_);
    flusher_stopping_ = true;
  }
  flusher_cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  Flush();
}

NodeDirectory::~NodeDirectory() {
  {
    std::lock_guard lock(flusher_mu_);
    flusher_stopping_ = true;
  }
  flusher_cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
}

void NodeDirectory::Flush() {
  std::lock_guard flushing(flush_mu_);
  std::map<std::string, bool> dirty;
  {
    std::lock_guard lock(mu_);
    dirty.swap(dirty_);
  }
  if (dirty.empty()) return;
  auto result = ingestor_.Mutate("collector", [this, &dirty](ReconcileContext& ctx) {
    std::lock_guard lock(mu_);
    for (const auto& [node_id, unused] : dirty) {
      auto it = nodes_.find(node_id);
      if (it != nodes_.end())
        PutRecord(ctx.batch, Table::kNodes, EnrollmentKey(node_id), it->second);
    }
    return Result<nlohmann::json>(nlohmann::json::object());
  });
  if (!result.ok()) logger_->warn("writing last-seen times: {}", result.status().ToString());
}

Status NodeDirectory::Write(const std::string& actor, const std::string& node_id) {
  // The record is read when the writer runs, so the last change always wins.
  auto result = ingestor_.Mutate(actor, [this, node_id](ReconcileContext& ctx) {
    std::lock_guard lock(mu_);
    auto it = nodes_.find(node_id);
    if (it == nodes_.end()) {
      ctx.batch.Delete(Table::kNodes, EnrollmentKey(node_id));
    } else {
      PutRecord(ctx.batch, Table::kNodes, EnrollmentKey(node_id), it->second);
    }
    return Result<nlohmann::json>(nlohmann::json::object());
  });
  return result.ok() ? Status::Ok() : result.status();
}

std::vector<std::function<void()>> NodeDirectory::TakeSessions(const std::string& node_id) {
  std::vector<std::function<void()>> closers;
  auto it = sessions_.find(node_id);
  if (it == sessions_.end()) return closers;
  for (auto& [token, close] : it->second) closers.push_back(std::move(close));
  sessions_.erase(it);
  return closers;
}

Status NodeDirectory::Revoke(const std::string& node_id, const std::string& actor, int64_t now) {
  std::vector<std::function<void()>> closers;
  {
    std::lock_guard lock(mu_);
    auto it = nodes_.find(node_id);
    if (it == nodes_.end()) return Status::NotFound("no enrolled node " + node_id);
    if (it->second.revoked_at() == 0) it->second.set_revoked_at(now);
    closers = TakeSessions(node_id);
  }
  // Cut off first: the refusal holds in memory before the write is durable.
  for (auto& close : closers) close();
  ESTATE_RETURN_IF_ERROR(Write(actor, node_id));
  logger_->info("node {} revoked by {}; {} live session(s) closed", SanitizeUtf8(node_id), actor,
                closers.size());
  return Status::Ok();
}

void NodeDirectory::RevokedByWriter(const std::string& node_id, const std::string& reason,
                                    int64_t now) {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(node_id);
  if (it == nodes_.end() || it->second.revoked_at() != 0) return;
  it->second.set_revoked_at(now);
  dirty_[node_id] = true;  // the writer stored it; the next flush writes the same
  logger_->warn("node {} revoked: {}", SanitizeUtf8(node_id), SanitizeUtf8(reason));
}

Status NodeDirectory::Forget(const std::string& node_id, const std::string& actor) {
  std::vector<std::function<void()>> closers;
  {
    std::lock_guard lock(mu_);
    if (nodes_.erase(node_id) == 0) return Status::NotFound("no enrolled node " + node_id);
    closers = TakeSessions(node_id);
  }
  for (auto& close : closers) close();
  ESTATE_RETURN_IF_ERROR(Write(actor, node_id));
  logger_->info("node {} forgotten by {}: it may enroll again", SanitizeUtf8(node_id), actor);
  return Status::Ok();
}

std::vector<v1::NodeEnrollment> NodeDirectory::List() const {
  std::lock_guard lock(mu_);
  std::vector<v1::NodeEnrollment> out;
  for (const auto& [id, record] : nodes_) {
    out.push_back(record);
    out.back().clear_key_sha256();  // not even the hash leaves the collector
  }
  return out;
}

uint64_t NodeDirectory::Attach(const std::string& node_id, std::function<void()> close) {
  std::lock_guard lock(mu_);
  const uint64_t token = next_token_++;
  sessions_[node_id][token] = std::move(close);
  return token;
}

void NodeDirectory::Detach(const std::string& node_id, uint64_t token) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(node_id);
  if (it == sessions_.end()) return;
  it->second.erase(token);
  if (it->second.empty()) sessions_.erase(it);
}

}  // namespace estate::collector
