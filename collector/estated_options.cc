#include "collector/estated_options.h"

#include <map>

#include "estate/config_file.h"
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
Config keys: data_dir, listen, admin_socket, io_threads, log_level, max_frame_bytes,
max_connections, hello_timeout_ms, idle_timeout_ms, max_queued_reports, block_cache_mb.
)";
}

Result<EstatedOptions> ParseEstatedOptions(const std::vector<std::string>& args) {
  // Flags are gathered as key/value first so the config file can sit beneath them.
  static const std::map<std::string, std::string> kFlagKeys = {
      {"--data-dir", "data_dir"},         {"--listen", "listen"},
      {"--admin-socket", "admin_socket"}, {"--config", "config"},
      {"--io-threads", "io_threads"},     {"--log-level", "log_level"},
      {"--restore", "restore"},
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
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Status::InvalidArgument(arg + " needs a value");
    }
    auto key = kFlagKeys.find(arg);
    if (key == kFlagKeys.end()) return Status::InvalidArgument("unknown option " + arg);
    flags[key->second] = value;
  }

  std::map<std::string, std::string> settings;
  if (auto config = flags.find("config"); config != flags.end()) {
    auto file = ConfigFile::Load(config->second);
    if (!file.ok()) return file.status();
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
  options.restore_from = get("restore", "");
  auto listen = ParseEndpoint(get("listen", "127.0.0.1:" + std::to_string(kDefaultAgentPort)),
                              kDefaultAgentPort);
  if (!listen.ok()) return listen.status();
  options.server.listen = *listen;
  options.server.admin_socket = get("admin_socket", options.data_dir + "/" + kAdminSocketName);

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
  auto cache_mb = bounded({"block_cache_mb", 64, 8, 65536});
  for (const auto* r :
       {&io_threads, &max_frame, &max_conn, &hello_ms, &idle_ms, &queued, &cache_mb}) {
    if (!r->ok()) return r->status();
  }
  options.server.io_threads = static_cast<int>(*io_threads);
  options.server.max_connections = *max_conn;
  options.server.session.max_frame_bytes = static_cast<uint32_t>(*max_frame);
  options.server.session.hello_timeout = std::chrono::milliseconds(*hello_ms);
  options.server.session.idle_timeout = std::chrono::milliseconds(*idle_ms);
  options.ingest.max_queued_reports = *queued;
  options.block_cache_bytes = *cache_mb << 20;
  return options;
}

}  // namespace estate::collector
