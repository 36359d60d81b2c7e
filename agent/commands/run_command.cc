// estate-agent run --config FILE [--once]: the long-running agent.
//
// Inventory on start and then every `interval_seconds` plus a random delay of
// up to `jitter_seconds` (so a fleet started together does not report
// together); reports go through the spool; while the collector is unreachable
// or refuses them (disk full, overload) the spool is retried after
// `retry_seconds`, doubling with each failure in a row up to
// `retry_max_seconds`, plus jitter. SIGTERM/SIGINT are taken between
// steps, never inside one, so the state directory is always consistent.
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <random>

#include "agent/agent_state.h"
#include "agent/commands/commands.h"
#include "agent/commands/flags.h"
#include "agent/commands/inventory_source.h"
#include "agent/reporter.h"
#include "agent/spool.h"
#include "estate/config_file.h"
#include "estate/logging.h"
#include "estate/secret_file.h"
#include "estate/tls_client.h"

namespace estate::agent {

namespace {

constexpr const char* kRunUsage = R"(usage: estate-agent run --config FILE [--once]
  --config FILE  settings, "key = value" lines:
                   collector = HOST:PORT          (required)
                   ca_file = FILE                 CA of the collector's certificate
                   collector_fingerprint = SHA256 or/and pin its certificate
                   enroll_secret_file = FILE      to enroll once (node key kept in state_dir)
                   insecure_plaintext = true      no TLS: loopback collector only
                   state_dir = DIR                (default /var/lib/estate-agent)
                   interval_seconds = N           (default 3600)
                   jitter_seconds = N             (default 300)
                   retry_seconds = N              (default 60)
                   retry_max_seconds = N          (default 900; backoff cap)
                   spool_max_bytes = N            (default 67108864)
                   timeout_ms = N                 (default 15000)
                   root = DIR                     (default /)
                   log_level = info|debug|warn    (default info)
  --once         one inventory and one delivery attempt, then exit
                 (exit 0 when delivered, 1 when reports stay spooled)
)";

struct RunSettings {
  Endpoint collector;
  TlsClientOptions tls;
  std::string enroll_secret_file;
  std::string state_dir;
  uint64_t interval_seconds = 3600;
  uint64_t jitter_seconds = 300;
  uint64_t retry_seconds = 60;
  uint64_t retry_max_seconds = 900;
  uint64_t spool_max_bytes = 64u << 20;
  uint64_t timeout_ms = 15000;
  std::string root;
  std::string log_level;
};

Result<RunSettings> LoadSettings(const std::string& path) {
  auto config = ConfigFile::Load(path);
  if (!config.ok()) return config.status();
  // A mistyped key (interval_second) would silently keep the default.
  static const std::vector<std::string> kKeys = {
      "collector",          "insecure_plaintext", "ca_file",       "collector_fingerprint",
      "enroll_secret_file", "state_dir",          "root",          "log_level",
      "interval_seconds",   "jitter_seconds",     "retry_seconds", "retry_max_seconds",
      "spool_max_bytes",    "timeout_ms"};
  if (Status known = config->CheckKeys(kKeys); !known.ok()) return known.WithContext(path);
  RunSettings s;
  auto collector = config->Get("collector");
  if (!collector) return Status::InvalidArgument(path + ": 'collector = HOST:PORT' is required");
  auto endpoint = ParseEndpoint(*collector);
  if (!endpoint.ok()) return endpoint.status();
  s.collector = *endpoint;
  const std::string plaintext = config->GetOr("insecure_plaintext", "false");
  if (plaintext != "true" && plaintext != "false") {
    return Status::InvalidArgument(path + ": insecure_plaintext must be true or false");
  }
  auto tls = MakeTlsClientOptions(config->GetOr("ca_file", ""),
                                  config->GetOr("collector_fingerprint", ""), plaintext == "true");
  if (!tls.ok()) return Status::InvalidArgument(path + ": " + tls.status().message());
  s.tls = *tls;
  ESTATE_RETURN_IF_ERROR(CheckClientTransport(s.tls, s.collector.host));
  s.enroll_secret_file = config->GetOr("enroll_secret_file", "");
  s.state_dir = config->GetOr("state_dir", "/var/lib/estate-agent");
  s.root = config->GetOr("root", "/");
  s.log_level = config->GetOr("log_level", "info");
  struct Number {
    const char* key;
    uint64_t* out;
  };
  for (const Number& n :
       {Number{"interval_seconds", &s.interval_seconds},
        Number{"jitter_seconds", &s.jitter_seconds}, Number{"retry_seconds", &s.retry_seconds},
        Number{"retry_max_seconds", &s.retry_max_seconds},
        Number{"spool_max_bytes", &s.spool_max_bytes}, Number{"timeout_ms", &s.timeout_ms}}) {
    auto value = config->GetUint(n.key, *n.out);
    if (!value.ok()) return value.status();
    *n.out = *value;
  }
  if (s.interval_seconds == 0 || s.retry_seconds == 0 || s.timeout_ms == 0) {
    return Status::InvalidArgument(path + ": intervals and timeouts must be positive");
  }
  s.retry_max_seconds = std::max(s.retry_max_seconds, s.retry_seconds);
  return s;
}

// The wait before the next delivery attempt after `failures` failed ones in a
// row: retry_seconds doubled per failure, capped, plus up to a quarter of jitter.
uint64_t RetryDelay(const RunSettings& s, uint32_t failures, std::mt19937_64& random) {
  uint64_t delay = s.retry_seconds;
  for (uint32_t i = 1; i < failures && delay < s.retry_max_seconds; ++i) delay *= 2;
  delay = std::min(delay, s.retry_max_seconds);
  return delay + random() % (delay / 4 + 1);
}

uint64_t NowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// Waits up to `seconds` for a stop signal; true when one came.
bool WaitForStop(const sigset_t& signals, uint64_t seconds) {
  struct timespec timeout;
  timeout.tv_sec = static_cast<time_t>(seconds);
  timeout.tv_nsec = 0;
  for (;;) {
    int sig = ::sigtimedwait(&signals, nullptr, &timeout);
    if (sig > 0) return true;
    if (errno == EINTR) continue;
    return false;  // EAGAIN: the time passed
  }
}

}  // namespace

int RunDaemonCommand(const Args& args) {
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(kRunUsage, stdout);
      return 0;
    }
  }
  auto flags = Flags::Parse(args, {"--config"}, {"--once"});
  if (!flags.ok() || !flags->Has("--config")) {
    std::fprintf(stderr, "estate-agent run: %s\n%s",
                 flags.ok() ? "--config is required" : flags.status().message().c_str(), kRunUsage);
    return 2;
  }
  auto settings = LoadSettings(*flags->Get("--config"));
  if (!settings.ok()) {
    std::fprintf(stderr, "estate-agent run: %s\n", settings.status().ToString().c_str());
    return 2;
  }
  InitLogging(settings->log_level);
  auto logger = GetLogger("agent.run");

  // Stop signals are only ever taken by WaitForStop, between steps.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto state = AgentState::Open(settings->state_dir);
  if (!state.ok()) {
    logger->error("cannot open state directory: {}", state.status().ToString());
    return 1;
  }
  bool torn = false;
  auto spool =
      Spool::Open(settings->state_dir + "/spool", settings->spool_max_bytes, logger, &torn);
  if (!spool.ok()) {
    logger->error("cannot open spool: {}", spool.status().ToString());
    return 1;
  }
  logger->info("node {} reporting to {} every {} s (+ up to {} s jitter); {} reports spooled",
               state->node_id(), settings->collector.ToString(), settings->interval_seconds,
               settings->jitter_seconds, spool->size());

  ReporterOptions options;
  options.collector = settings->collector;
  options.tls = settings->tls;
  if (!settings->enroll_secret_file.empty() && state->node_key().empty()) {
    auto secret = ReadSecretFile(settings->enroll_secret_file, "enroll secret file");
    if (!secret.ok()) {
      logger->error("cannot enroll: {}", secret.status().ToString());
      return 1;
    }
    options.enroll_secret = *secret;
  }
  options.timeout = std::chrono::milliseconds(settings->timeout_ms);
  options.software_version = ESTATE_VERSION;
  Reporter reporter(options, &*state, &*spool, logger);
  InventorySource source(settings->root, "", settings->state_dir);
  std::mt19937_64 random(std::random_device{}());
  uint32_t failures = 0;  // failed delivery attempts in a row

  for (;;) {
    const v1::HostFacts facts = source.Collect();
    const uint64_t now_ms = NowMs();
    if (Status st = reporter.Enqueue(facts, static_cast<int64_t>(now_ms / 1000), now_ms);
        !st.ok()) {
      logger->error("cannot queue the report: {}", st.ToString());
    }
    Status delivered = reporter.Drain(NowMs());
    if (flags->Has("--once")) return delivered.ok() ? 0 : 1;
    failures = delivered.ok() ? 0 : failures + 1;

    uint64_t wait = settings->interval_seconds;
    if (settings->jitter_seconds > 0) wait += random() % (settings->jitter_seconds + 1);
    const auto next_inventory = std::chrono::steady_clock::now() + std::chrono::seconds(wait);
    for (;;) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= next_inventory) break;
      uint64_t left =
          static_cast<uint64_t>(
              std::chrono::duration_cast<std::chrono::seconds>(next_inventory - now).count()) +
          1;
      if (!spool->empty()) left = std::min(left, RetryDelay(*settings, failures, random));
      if (WaitForStop(stop_signals, left)) {
        logger->info("stopping; {} reports stay spooled", spool->size());
        return 0;
      }
      if (!spool->empty()) failures = reporter.Drain(NowMs()).ok() ? 0 : failures + 1;
    }
  }
}

}  // namespace estate::agent
