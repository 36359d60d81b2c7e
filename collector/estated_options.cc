#include "collector/estated_options.h"

#include <algorithm>
#include <map>

#include "estate/config_file.h"
#include "estate/suggest.h"
#include "estate/text.h"

namespace estate::collector {

const char* EstatedUsage() {
  return R"(usage: estated [options]
  --data-dir DIR        inventory store directory (default ./estate-data)
  --listen ADDR:PORT    agent listener (default 127.0.0.1:4790)
  --admin-socket PATH   estatectl socket (default DATA_DIR/admin.sock)
  --config FILE         settings file (key = value); flags override it
  --io-threads N        network threads (default 2)
  --log-level LEVEL     trace, debug, info, warn, error (default info)
  --restore DIR         start from a backup made by `estatectl backup`
  --tls-cert FILE       the collector's certificate chain (PEM), e.g. from `estatectl pki init`
  --tls-key FILE        its private key (PEM)
  --enroll-secret-file FILE   the secret a node presents once to enroll
  --insecure-plaintext  serve agents without TLS (loopback only); without an enroll
                        secret file, nodes are then not authenticated either
  --inventory-listen ADDR:PORT   HTTP(S) port for FusionInventory, GLPI and OCS agents
Config keys: data_dir, listen, admin_socket, io_threads, log_level, max_frame_bytes,
max_connections, hello_timeout_ms, idle_timeout_ms, max_queued_reports, max_queued_mb,
max_in_flight, block_cache_mb, write_buffer_mb, software_cache_mb,
background_priority (idle|low|normal: RocksDB's flushes and compactions),
max_unauthenticated_mb (64: read buffers and TLS state of connections before their
hello, all together), admin_idle_timeout_ms (60000: close an idle estatectl connection).
Agent security keys: tls_cert, tls_key, enroll_secret_file, insecure_plaintext (true|false),
tls_handshake_timeout_ms (10000), report_rate_per_minute (60 per node, 0: no limit),
report_burst (30).
Reconciliation keys: unknown_software = flag|allow, unknown_services = flag|allow,
distribution_software = approve|flag (the default rule approving each host's own
distribution archive),
ip_window_hours (24), missing_after_days (30), retired_seen_repeat_hours (24),
drift_groups (hardware,os,software,network), drift_groups.CLASS (per asset class),
rules_interval_s (300), expiry_warning_days (90,30,7: licences and contracts warn
this many days before their end), event_command (run per event, JSON on stdin),
event_file (append each event as a JSON line).
Inventory listener keys (FusionInventory, GLPI Agent and OCS agents; docs/glpi.md):
inventory_listen (ADDR:PORT; empty, the default: off), inventory_token_file (the
password agents send), inventory_insecure_plaintext (true|false: HTTP, loopback
only), inventory_anonymous (true|false: no credentials, loopback plaintext only),
inventory_max_body_mb (32), inventory_max_connections (256),
inventory_timeout_ms (60000), inventory_prolog_freq_hours (24).
Admin socket keys: admin_group (group of the 0660 socket; default estate if it
exists, else estated's own group), role.viewer, role.technician, role.admin
(comma-separated group names or gids; defaults estate-viewers, estate-technicians,
estate-admins). Root and estated's own user are always admins.
)";
}

const std::vector<std::string>& ConfigKeys() {
  static const auto* keys = new std::vector<std::string>{"data_dir",
                                                         "listen",
                                                         "admin_socket",
                                                         "io_threads",
                                                         "log_level",
                                                         "max_frame_bytes",
                                                         "max_connections",
                                                         "hello_timeout_ms",
                                                         "idle_timeout_ms",
                                                         "max_queued_reports",
                                                         "max_queued_mb",
                                                         "max_in_flight",
                                                         "block_cache_mb",
                                                         "write_buffer_mb",
                                                         "software_cache_mb",
                                                         "background_priority",
                                                         "tls_cert",
                                                         "tls_key",
                                                         "enroll_secret_file",
                                                         "insecure_plaintext",
                                                         "tls_handshake_timeout_ms",
                                                         "report_rate_per_minute",
                                                         "report_burst",
                                                         "unknown_software",
                                                         "unknown_services",
                                                         "distribution_software",
                                                         "max_unauthenticated_mb",
                                                         "admin_idle_timeout_ms",
                                                         "ip_window_hours",
                                                         "missing_after_days",
                                                         "retired_seen_repeat_hours",
                                                         "drift_groups",
                                                         "rules_interval_s",
                                                         "expiry_warning_days",
                                                         "event_command",
                                                         "event_file",
                                                         "admin_group",
                                                         "role.viewer",
                                                         "role.technician",
                                                         "role.admin",
                                                         "inventory_listen",
                                                         "inventory_token_file",
                                                         "inventory_insecure_plaintext",
                                                         "inventory_anonymous",
                                                         "inventory_max_body_mb",
                                                         "inventory_max_connections",
                                                         "inventory_timeout_ms",
                                                         "inventory_prolog_freq_hours"};
  return *keys;
}

Result<std::vector<int>> ParseWarningDays(const std::string& text) {
  std::vector<int> days;
  for (const auto& part : Split(text, ',')) {
    const std::string_view item = Trim(part);
    if (item.empty()) continue;
    auto n = ParseUint(std::string(item));
    if (!n || *n < 1 || *n > 3650) {
      return Status::InvalidArgument("expiry_warning_days: '" + std::string(item) +
                                     "' is not a number of days from 1 to 3650");
    }
    if (std::find(days.begin(), days.end(), static_cast<int>(*n)) != days.end()) {
      return Status::InvalidArgument("expiry_warning_days: " + std::string(item) +
                                     " is given twice");
    }
    days.push_back(static_cast<int>(*n));
  }
  if (days.empty()) {
    return Status::InvalidArgument("expiry_warning_days: give at least one day (e.g. 90,30,7)");
  }
  std::sort(days.rbegin(), days.rend());
  return days;
}

Result<EstatedOptions> ParseEstatedOptions(const std::vector<std::string>& args) {
  // Flags are gathered as key/value first so the config file can sit beneath them.
  static const std::map<std::string, std::string> kFlagKeys = {
      {"--data-dir", "data_dir"},
      {"--listen", "listen"},
      {"--admin-socket", "admin_socket"},
      {"--config", "config"},
      {"--io-threads", "io_threads"},
      {"--log-level", "log_level"},
      {"--restore", "restore"},
      {"--tls-cert", "tls_cert"},
      {"--tls-key", "tls_key"},
      {"--enroll-secret-file", "enroll_secret_file"},
      {"--insecure-plaintext", "insecure_plaintext"},
      {"--inventory-listen", "inventory_listen"},
  };
  // Flags that may stand alone ("--insecure-plaintext" means "= true").
  static const std::map<std::string, std::string> kSwitchKeys = {
      {"--insecure-plaintext", "insecure_plaintext"},
  };
  std::map<std::string, std::string> flags;
  EstatedOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      options.show_help = true;
      return options;
    }
    std::string value;
    if (size_t eq = arg.find('='); eq != std::string::npos && StartsWith(arg, "--")) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (auto sw = kSwitchKeys.find(arg); sw != kSwitchKeys.end()) {
      value = "true";
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Status::InvalidArgument(arg + " needs a value");
    }
    auto key = kFlagKeys.find(arg);
    if (key == kFlagKeys.end()) {
      std::vector<std::string> names = {"--help"};
      for (const auto& [flag, unused] : kFlagKeys) names.push_back(flag);
      return Status::InvalidArgument("unknown option " + arg + DidYouMean(arg, names));
    }
    flags[key->second] = value;
  }

  std::map<std::string, std::string> settings;
  if (auto config = flags.find("config"); config != flags.end()) {
    auto file = ConfigFile::Load(config->second);
    if (!file.ok()) return file.status();
    // A mistyped key (missing_after_day) would silently keep the default.
    if (Status known = file->CheckKeys(ConfigKeys(), {"drift_groups.", "role."}); !known.ok()) {
      return known.WithContext(config->second);
    }
    settings = file->values();
    options.config_path = config->second;
  }
  for (const auto& [k, v] : flags) settings[k] = v;

  auto number = [&](const std::string& key, uint64_t fallback) -> Result<uint64_t> {
    auto it = settings.find(key);
    if (it == settings.end()) return fallback;
    auto parsed = ParseUint(it->second);
    if (!parsed) return Status::InvalidArgument(key + ": '" + it->second + "' is not a number");
    return *parsed;
  };
  auto get = [&](const std::string& key, const std::string& fallback) {
    auto it = settings.find(key);
    return it == settings.end() ? fallback : it->second;
  };

  options.data_dir = get("data_dir", kDefaultDataDir);
  options.log_level = get("log_level", "info");
  static const std::vector<std::string> kLevels = {"trace", "debug",    "info", "warn",
                                                   "error", "critical", "off"};
  if (std::find(kLevels.begin(), kLevels.end(), options.log_level) == kLevels.end()) {
    return Status::InvalidArgument("log_level: '" + options.log_level +
                                   "' is not trace, debug, info, warn, error, critical or off" +
                                   DidYouMean(options.log_level, kLevels));
  }
  options.restore_from = get("restore", "");
  auto listen = ParseEndpoint(get("listen", "127.0.0.1:" + std::to_string(kDefaultAgentPort)),
                              kDefaultAgentPort);
  if (!listen.ok()) return listen.status();
  options.server.listen = *listen;
  options.server.admin_socket = get("admin_socket", options.data_dir + "/" + kAdminSocketName);
  options.server.admin_group = get("admin_group", "");
  // role.viewer = estate-viewers,1234: the groups (names or gids) granting each role.
  for (const auto& [key, value] : settings) {
    if (!StartsWith(key, "role.")) continue;
    auto role = ParseRole(key.substr(5));
    if (!role) return Status::InvalidArgument(key + ": roles are viewer, technician and admin");
    options.server.roles.lists[*role] = value;
    options.server.roles.configured[*role] = true;
  }

  struct NumberSetting {
    const char* key;
    uint64_t fallback;
    uint64_t min;
    uint64_t max;
  };
  auto bounded = [&](const NumberSetting& s) -> Result<uint64_t> {
    auto v = number(s.key, s.fallback);
    if (!v.ok()) return v.status();
    if (*v < s.min || *v > s.max) {
      return Status::InvalidArgument(std::string(s.key) + " must be between " +
                                     std::to_string(s.min) + " and " + std::to_string(s.max));
    }
    return *v;
  };
  auto io_threads = bounded({"io_threads", 2, 1, 256});
  auto max_frame = bounded({"max_frame_bytes", kDefaultMaxFrameBytes, 1024, 256u << 20});
  auto max_conn = bounded({"max_connections", 20000, 1, 1000000});
  auto hello_ms = bounded({"hello_timeout_ms", 10000, 100, 3600000});
  auto idle_ms = bounded({"idle_timeout_ms", 300000, 100, 86400000});
  auto queued = bounded({"max_queued_reports", 20000, 1, 10000000});
  auto queued_mb = bounded({"max_queued_mb", 48, 1, 65536});
  auto in_flight = bounded({"max_in_flight", 64, 1, 4096});
  auto cache_mb = bounded({"block_cache_mb", 256, 8, 65536});
  auto write_buffer_mb = bounded({"write_buffer_mb", 192, 16, 65536});
  auto software_cache_mb = bounded({"software_cache_mb", 192, 0, 65536});
  auto unauthenticated_mb = bounded({"max_unauthenticated_mb", 64, 1, 65536});
  auto admin_idle_ms = bounded({"admin_idle_timeout_ms", 60000, 100, 86400000});
  for (const auto* r :
       {&io_threads, &max_frame, &max_conn, &hello_ms, &idle_ms, &queued, &queued_mb, &in_flight,
        &cache_mb, &write_buffer_mb, &software_cache_mb, &unauthenticated_mb, &admin_idle_ms}) {
    if (!r->ok()) return r->status();
  }
  options.server.io_threads = static_cast<int>(*io_threads);
  options.server.max_connections = *max_conn;
  options.server.session.max_frame_bytes = static_cast<uint32_t>(*max_frame);
  options.server.session.hello_timeout = std::chrono::milliseconds(*hello_ms);
  options.server.session.idle_timeout = std::chrono::milliseconds(*idle_ms);
  options.server.session.max_unauthenticated_bytes = *unauthenticated_mb << 20;
  options.server.admin_idle_timeout = std::chrono::milliseconds(*admin_idle_ms);
  options.ingest.max_queued_reports = *queued;
  options.ingest.max_queued_bytes = *queued_mb << 20;
  options.ingest.software_cache_bytes = *software_cache_mb << 20;
  options.server.session.max_in_flight = static_cast<uint32_t>(*in_flight);

  auto flag_or_allow = [&](const std::string& key, bool* flag) -> Status {
    const std::string v = ToLower(get(key, "flag"));
    if (v != "flag" && v != "allow") return Status::InvalidArgument(key + " must be flag or allow");
    *flag = v == "flag";
    return Status::Ok();
  };
  auto& reconcile = options.ingest.reconcile;
  ESTATE_RETURN_IF_ERROR(
      flag_or_allow("unknown_software", &reconcile.software.flag_unknown_software));
  ESTATE_RETURN_IF_ERROR(
      flag_or_allow("unknown_services", &reconcile.software.flag_unknown_services));
  {
    const std::string v = ToLower(get("distribution_software", "approve"));
    if (v != "approve" && v != "flag") {
      return Status::InvalidArgument("distribution_software must be approve or flag");
    }
    reconcile.software.approve_distribution = v == "approve";
  }
  auto ip_window = bounded({"ip_window_hours", 24, 0, 24 * 365});
  auto missing = bounded({"missing_after_days", 30, 1, 3650});
  auto retired_repeat = bounded({"retired_seen_repeat_hours", 24, 0, 24 * 365});
  auto rules_interval = bounded({"rules_interval_s", 300, 1, 86400});
  for (const auto* r : {&ip_window, &missing, &retired_repeat, &rules_interval}) {
    if (!r->ok()) return r->status();
  }
  reconcile.ip_match_window_s = static_cast<int64_t>(*ip_window) * 3600;
  reconcile.missing_after_s = static_cast<int64_t>(*missing) * 86400;
  reconcile.retired_seen_repeat_s = static_cast<int64_t>(*retired_repeat) * 3600;
  options.rules_interval_s = *rules_interval;
  if (auto it = settings.find("expiry_warning_days"); it != settings.end()) {
    auto days = ParseWarningDays(it->second);
    if (!days.ok()) return days.status();
    reconcile.expiry_warning_days = std::move(*days);
  }
  auto groups = [&](const std::string& list) -> Result<GroupSet> {
    GroupSet out;
    for (auto& g : Split(list, ',')) {
      std::string name = ToLower(std::string(Trim(g)));
      if (name.empty()) continue;
      if (!AllDriftGroups().count(name)) {
        return Status::InvalidArgument("unknown drift group '" + name +
                                       "' (hardware, os, software, network)");
      }
      out.insert(name);
    }
    return out;
  };
  for (const auto& [key, value] : settings) {
    if (key == "drift_groups") {
      auto g = groups(value);
      if (!g.ok()) return g.status();
      reconcile.default_drift_groups = *g;
    } else if (StartsWith(key, "drift_groups.")) {
      auto g = groups(value);
      if (!g.ok()) return g.status();
      reconcile.drift_groups_by_class[key.substr(std::string("drift_groups.").size())] = *g;
    }
  }
  options.server.tls_cert_file = get("tls_cert", "");
  options.server.tls_key_file = get("tls_key", "");
  options.enroll_secret_file = get("enroll_secret_file", "");
  const std::string plaintext = ToLower(get("insecure_plaintext", "false"));
  if (plaintext != "true" && plaintext != "false") {
    return Status::InvalidArgument("insecure_plaintext must be true or false");
  }
  options.server.insecure_plaintext = plaintext == "true";
  auto handshake_ms = bounded({"tls_handshake_timeout_ms", 10000, 100, 600000});
  auto rate = bounded({"report_rate_per_minute", 60, 0, 6000000});
  auto burst = bounded({"report_burst", 30, 1, 1000000});
  for (const auto* r : {&handshake_ms, &rate, &burst}) {
    if (!r->ok()) return r->status();
  }
  options.server.session.handshake_timeout = std::chrono::milliseconds(*handshake_ms);
  options.server.report_rate.per_minute = static_cast<double>(*rate);
  options.server.report_rate.burst = static_cast<double>(*burst);
  auto& inventory = options.inventory;
  if (const std::string listen_at = get("inventory_listen", ""); !listen_at.empty()) {
    auto endpoint = ParseEndpoint(listen_at, 62354);
    if (!endpoint.ok()) return endpoint.status().WithContext("inventory_listen");
    inventory.enabled = true;
    inventory.listen = *endpoint;
  }
  inventory.tls_cert_file = options.server.tls_cert_file;
  inventory.tls_key_file = options.server.tls_key_file;
  options.inventory_token_file = get("inventory_token_file", "");
  for (auto [key, target] :
       {std::pair{"inventory_insecure_plaintext", &inventory.insecure_plaintext},
        std::pair{"inventory_anonymous", &inventory.allow_anonymous}}) {
    const std::string v = ToLower(get(key, "false"));
    if (v != "true" && v != "false") {
      return Status::InvalidArgument(std::string(key) + " must be true or false");
    }
    *target = v == "true";
  }
  auto inventory_body_mb = bounded({"inventory_max_body_mb", 32, 1, 1024});
  auto inventory_conns = bounded({"inventory_max_connections", 256, 1, 100000});
  auto inventory_timeout = bounded({"inventory_timeout_ms", 60000, 100, 3600000});
  auto prolog_freq = bounded({"inventory_prolog_freq_hours", 24, 1, 24 * 365});
  for (const auto* r : {&inventory_body_mb, &inventory_conns, &inventory_timeout, &prolog_freq}) {
    if (!r->ok()) return r->status();
  }
  inventory.max_body_bytes = *inventory_body_mb << 20;
  // Inventories compress about 10:1; a body may inflate to 4x the limit at most.
  inventory.protocol.max_inflated_bytes = inventory.max_body_bytes * 4;
  inventory.max_connections = *inventory_conns;
  inventory.request_timeout = std::chrono::milliseconds(*inventory_timeout);
  inventory.protocol.prolog_freq_hours = static_cast<uint32_t>(*prolog_freq);
  options.event_command = get("event_command", "");
  options.event_file = get("event_file", "");
  options.block_cache_bytes = *cache_mb << 20;
  options.write_buffer_bytes = *write_buffer_mb << 20;
  const std::string background = ToLower(get("background_priority", "idle"));
  if (background == "idle") {
    options.background_priority = BackgroundPriority::kIdle;
  } else if (background == "low") {
    options.background_priority = BackgroundPriority::kLow;
  } else if (background == "normal") {
    options.background_priority = BackgroundPriority::kNormal;
  } else {
    return Status::InvalidArgument("background_priority must be idle, low or normal");
  }
  return options;
}

}  // namespace estate::collector
