// estated: the Estate collector daemon. Wires the store, the single writer and
// the network front together, then serves until SIGTERM/SIGINT.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "collector/admin/command_registry.h"
#include "collector/admin/commands/inventory_user_command.h"
#include "collector/admin/commands/node_commands.h"
#include "collector/admin/itam_rules.h"
#include "collector/admin/verification.h"
#include "collector/auth/node_directory.h"
#include "collector/estated_options.h"
#include "collector/ingest/event_hooks.h"
#include "collector/ingest/ingestor.h"
#include "collector/ingest/lifecycle_rules.h"
#include "collector/net/inventory_listener.h"
#include "collector/net/server.h"
#include "collector/store/private_dir.h"
#include "collector/store/store.h"
#include "estate/logging.h"
#include "estate/secret_file.h"

namespace {

using namespace estate;
using namespace estate::collector;

// Copies a backup (checkpoint) into a fresh data directory before opening it.
Status RestoreFrom(const std::string& backup, const std::string& store_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(backup, ec))
    return Status::NotFound("backup " + backup + " is not a directory");
  if (fs::exists(store_dir, ec) && !fs::is_empty(store_dir, ec)) {
    return Status::AlreadyExists("refusing to restore over the existing store " + store_dir +
                                 ": move it away first");
  }
  ESTATE_RETURN_IF_ERROR(CreatePrivateDir(store_dir));
  fs::copy(backup, store_dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing,
           ec);
  if (ec) return Status::IoError("restoring " + backup + ": " + ec.message());
  // Copies keep the backup's modes: a backup moved around by hand may have lost its own.
  return MakePrivate(store_dir);
}

// The data directory and the store in it, private to the collector's user:
// created 0700, and a tree an older version (or another umask) left readable
// is tightened. The directory itself may hold things estated did not make (a
// directory given by hand), so only the store is tightened all the way down.
Status PrepareDataDir(const std::string& data_dir, const std::string& store_dir,
                      spdlog::logger& log) {
  ESTATE_RETURN_IF_ERROR(CreatePrivateDir(data_dir));
  struct stat st {};
  if (::stat(data_dir.c_str(), &st) != 0) return Status::FromErrno("stat " + data_dir, errno);
  if ((st.st_mode & 077) != 0) {
    if (st.st_uid == ::geteuid() && ::chmod(data_dir.c_str(), kPrivateDirMode) == 0) {
      log.warn("data directory {} was mode {:04o}: made 0700", data_dir, st.st_mode & 07777);
    } else {
      log.warn(
          "data directory {} is mode {:04o} and not ours to change: the inventory is "
          "readable by others; make it 0700",
          data_dir, st.st_mode & 07777);
    }
  }
  std::error_code ec;
  if (!std::filesystem::exists(store_dir, ec)) return Status::Ok();
  std::vector<std::string> kept;
  ESTATE_RETURN_IF_ERROR(MakePrivate(store_dir, &kept));
  if (!kept.empty()) {
    log.warn("{} entries of the store are readable by others and not ours to change (first: {})",
             kept.size(), kept.front());
  }
  return Status::Ok();
}

// Runs the time-based rules (missing, overdue; licence usage and expiries) every `period` on
// its own thread: they wait on the writer, never on a network thread.
class PeriodicRules {
 public:
  PeriodicRules(Store& store, Ingestor& ingestor, std::chrono::seconds period)
      : thread_([this, &store, &ingestor, period] {
          auto log = GetLogger("collector.rules");
          std::unique_lock lock(mu_);
          while (!cv_.wait_for(lock, period, [this] { return stopping_; })) {
            lock.unlock();
            auto result = RunLifecycleRules(store, ingestor, "rules");
            if (!result.ok()) log->warn("lifecycle rules: {}", result.status().ToString());
            auto itam = RunItamRules(store, ingestor, "rules", std::time(nullptr));
            if (!itam.ok()) log->warn("licence and contract rules: {}", itam.status().ToString());
            auto verify = RunVerificationRules(store, ingestor, "rules", std::time(nullptr));
            if (!verify.ok()) log->warn("verification rules: {}", verify.status().ToString());
            lock.lock();
          }
        }) {}
  ~PeriodicRules() { Stop(); }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

int Run(const EstatedOptions& options) {
  auto log = GetLogger("collector");
  const std::string store_dir = options.data_dir + "/inventory";
  if (Status st = PrepareDataDir(options.data_dir, store_dir, *log); !st.ok()) {
    log->error("data directory {}: {}", options.data_dir, st.ToString());
    return 1;
  }
  if (!options.restore_from.empty()) {
    if (Status st = RestoreFrom(options.restore_from, store_dir); !st.ok()) {
      log->error("{}", st.ToString());
      return 1;
    }
    log->info("restored inventory from {}", options.restore_from);
  }
  // On a full disk the store opens read-only (and says so): queries and
  // backups work, reports are refused until it has room again.
  auto store = Store::Open({store_dir, options.block_cache_bytes, options.write_buffer_bytes,
                            /*create_if_missing=*/true, options.background_priority});
  if (!store.ok()) {
    log->error("{}", store.status().ToString());
    return 1;
  }

  Ingestor ingestor(**store, GetLogger("collector.ingest"), options.ingest);
  if (Status st = ingestor.Start(); !st.ok()) {
    log->error("cannot start ingestion: {}", st.ToString());
    return 1;
  }
  EventHooks hooks(**store, {options.event_command, options.event_file},
                   GetLogger("collector.hooks"));
  hooks.Start();
  PeriodicRules rules(**store, ingestor, std::chrono::seconds(options.rules_interval_s));
  if (Status st = Server::CheckTransport(options.server); !st.ok()) {
    log->error("{}", st.ToString());
    rules.Stop();
    ingestor.Stop();
    return 1;
  }
  std::string enroll_secret;
  if (!options.enroll_secret_file.empty()) {
    auto secret = ReadSecretFile(options.enroll_secret_file, "enroll secret file");
    if (!secret.ok()) {
      log->error("{}", secret.status().ToString());
      rules.Stop();
      ingestor.Stop();
      return 1;
    }
    enroll_secret = std::move(*secret);
  } else if (!options.server.insecure_plaintext) {
    log->error(
        "enroll_secret_file is required: nodes enroll with it (`estatectl pki init DIR` "
        "writes one); only insecure_plaintext on loopback may run without enrollment");
    rules.Stop();
    ingestor.Stop();
    return 1;
  } else {
    log->warn("no enroll_secret_file: nodes are NOT authenticated (insecure_plaintext mode)");
  }
  auto nodes =
      NodeDirectory::Open(**store, ingestor, std::move(enroll_secret), GetLogger("collector.auth"));
  if (!nodes.ok()) {
    log->error("{}", nodes.status().ToString());
    rules.Stop();
    ingestor.Stop();
    return 1;
  }
  auto inventory_users = InventoryUsers::Open(**store, ingestor, GetLogger("collector.auth"));
  if (!inventory_users.ok()) {
    log->error("{}", inventory_users.status().ToString());
    rules.Stop();
    (*nodes)->Stop();
    ingestor.Stop();
    return 1;
  }
  CommandRegistry commands = MakeBuiltinCommands();
  commands.Add(MakeInventoryUserCommand(**inventory_users));
  // These act on the live sessions too, so they hold the directory.
  commands.Add(MakeAgentsCommand(**nodes));
  commands.Add(MakeRevokeCommand(**nodes));
  commands.Add(MakeReassignCommand(**nodes));
  Server server(options.server, ingestor, **store, commands, GetLogger("collector.net"));
  server.SetNodeDirectory(nodes->get());
  if (Status st = server.Start(); !st.ok()) {
    log->error("{}", st.ToString());
    rules.Stop();
    (*nodes)->Stop();
    ingestor.Stop();
    return 1;
  }

  // Foreign agents (FusionInventory, GLPI Agent, OCS): their own HTTP(S) port.
  std::unique_ptr<InventoryListener> inventory;
  if (options.inventory.enabled) {
    InventoryListenerOptions inventory_options = options.inventory;
    if (!options.inventory_token_file.empty()) {
      auto token = ReadSecretFile(options.inventory_token_file, "inventory token file");
      if (!token.ok()) {
        log->error("{}", token.status().ToString());
        server.StopAccepting();
        rules.Stop();
        (*nodes)->Stop();
        ingestor.Stop();
        return 1;
      }
      inventory_options.token = std::move(*token);
    }
    inventory = std::make_unique<InventoryListener>(std::move(inventory_options), server.io(),
                                                    ingestor, nodes->get(), inventory_users->get(),
                                                    GetLogger("collector.inventory"));
    if (Status st = inventory->Start(); !st.ok()) {
      log->error("{}", st.ToString());
      server.StopAccepting();
      rules.Stop();
      (*nodes)->Stop();
      ingestor.Stop();
      return 1;
    }
  }

  asio::signal_set signals(server.io(), SIGTERM, SIGINT);
  signals.async_wait([&](const error_code& e, int signal) {
    if (e) return;
    log->info("signal {}: stopping — no new connections, finishing queued reports", signal);
    server.StopAccepting();
    if (inventory) inventory->StopAccepting();
    // Everything queued is committed and answered before the threads stop.
    rules.Stop();
    (*nodes)->Stop();
    ingestor.Stop();
    auto grace = std::make_shared<asio::steady_timer>(server.io(), std::chrono::milliseconds(300));
    grace->async_wait([&server, grace](const error_code&) { server.io().stop(); });
  });
  log->info("estated {} serving agents on {}:{}, admin socket {}, store {}", ESTATE_VERSION,
            options.server.listen.host, server.bound_port(), options.server.admin_socket,
            store_dir);
  server.Run();
  server.Stop();
  rules.Stop();
  (*nodes)->Stop();
  ingestor.Stop();
  hooks.Stop();
  log->info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Whoever starts it, with whatever umask: nothing estated creates (store,
  // backups, event file) is readable by other users. The admin socket is
  // opened up to its group on purpose (net/admin_socket_group.cc).
  ::umask(077);
  auto options = ParseEstatedOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (!options.ok()) {
    std::fprintf(stderr, "estated: %s\n\n%s", options.status().message().c_str(), EstatedUsage());
    return 2;
  }
  if (options->show_help) {
    std::fputs(EstatedUsage(), stdout);
    return 0;
  }
  InitLogging(options->log_level);
  try {
    return Run(*options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "estated: fatal: %s\n", e.what());
    return 1;
  }
}
