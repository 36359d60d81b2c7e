// estated's settings: built-in defaults, then the config file, then flags.
#ifndef ESTATE_COLLECTOR_ESTATED_OPTIONS_H_
#define ESTATE_COLLECTOR_ESTATED_OPTIONS_H_

#include <string>
#include <vector>

#include "collector/ingest/ingestor.h"
#include "collector/net/inventory_listener.h"
#include "collector/net/server.h"
#include "estate/status.h"

namespace estate::collector {

// The embedded default: everything under ./estate-data, agents on loopback only.
inline constexpr char kDefaultDataDir[] = "estate-data";
inline constexpr char kAdminSocketName[] = "admin.sock";
inline constexpr uint16_t kDefaultAgentPort = 4790;

struct EstatedOptions {
  std::string data_dir = kDefaultDataDir;
  std::string config_path;
  std::string log_level = "info";
  std::string restore_from;  // a backup (checkpoint) directory to start from
  size_t block_cache_bytes = 256u << 20;
  size_t write_buffer_bytes = 192u << 20;                              // all memtables together
  BackgroundPriority background_priority = BackgroundPriority::kIdle;  // flushes, compactions
  ServerOptions server;
  // The foreign agents' HTTP(S) port; off unless inventory_listen is set.
  InventoryListenerOptions inventory;
  std::string inventory_token_file;
  IngestorOptions ingest;
  // Lifecycle rules (missing, overdue) run this often.
  uint64_t rules_interval_s = 300;
  // Each new event goes to this command's stdin and/or is appended to this file.
  std::string event_command;
  std::string event_file;
  // Nodes enroll with this secret; required unless server.insecure_plaintext.
  std::string enroll_secret_file;
  bool show_help = false;
};

// Parses argv (without the program name): `--config FILE` is read first, so flags win.
Result<EstatedOptions> ParseEstatedOptions(const std::vector<std::string>& args);
const char* EstatedUsage();
// expiry_warning_days: "90,30,7" -> {90, 30, 7}; each 1 to 3650 days, once.
Result<std::vector<int>> ParseWarningDays(const std::string& text);
// Every key the config file may set (besides drift_groups.CLASS and role.ROLE).
const std::vector<std::string>& ConfigKeys();

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATED_OPTIONS_H_
