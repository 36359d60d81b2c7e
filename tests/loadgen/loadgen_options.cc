#include "tests/loadgen/loadgen_options.h"

#include <charconv>
#include <cmath>

#include "estate/text.h"

namespace estate::loadgen {
namespace {

Result<double> ParseNumber(const std::string& flag, const std::string& text, double min,
                           double max) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return Status::InvalidArgument(flag + ": '" + text + "' is not a number");
  }
  if (value < min || value > max) {
    return Status::InvalidArgument(flag + " must be between " + std::to_string(min) + " and " +
                                   std::to_string(max));
  }
  return value;
}

}  // namespace

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kFull:
      return "full";
    case Mode::kDelta:
      return "delta";
    case Mode::kObservations:
      return "observations";
  }
  return "?";
}

const char* LoadgenUsage() {
  return R"(usage: estate-loadgen --collector HOST:PORT --agents N --duration SECONDS
                     --mode full|delta|observations [options]
  --collector HOST:PORT     estated agent listener (loopback only)
  --agents N                simulated agents, 1..1000000 (default 1000)
  --duration SECONDS        length of the measured phase (default 10)
  --mode MODE               full: full reports; delta: one full report per agent, then
                            deltas; observations: scanner sweeps of the agents' subnets
  --connections C           long-lived relay connections (default 200): node i reports on
                            connection i % C, each node with its own Hello and channel
  --window W                unanswered reports per connection (default 32; never more
                            than the collector's HelloAck.max_in_flight), each of another
                            node of the connection, round robin
  --no-multiplex            no relay: C workers each cycle through the nodes as real
                            agents do (connect, Hello as one node, report(s), close)
  --rate R                  reports per second over all connections (default 0: as fast
                            as acknowledgements allow)
  --seed S                  fleet seed (default 1); one seed per collector store
  --collector-pid PID       report the collector's CPU seconds and peak RSS
  --scanners N              observations mode: scanner nodes (default: one per /24 of
                            200 agents, at least 4, at most --connections)
  --fdb                     observations also carry the subnet switch's forwarding table
  --reports-per-connection K  --no-multiplex: reports a node sends per connection (default 1)
  --packages N              mean packages per agent (default 1500)
  --timeout SECONDS         limit on each network exchange (default 30)
  --progress SECONDS        progress line interval on stderr (default 1)
  --ca-file FILE            TLS: the CA of the collector's certificate
  --collector-fingerprint SHA256   TLS: or/and pin the collector's certificate
  --insecure-plaintext      no TLS (the collector runs with insecure_plaintext)
  --enroll-secret-file FILE each simulated node enrolls once, then says Hello with its key
                            (keys live in memory: one run per collector store and seed)
The last line on stdout is the summary as one JSON object.
)";
}

Result<LoadgenOptions> ParseLoadgenOptions(const std::vector<std::string>& args) {
  LoadgenOptions options;
  bool have_collector = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    if (flag == "--help" || flag == "-h") {
      options.show_help = true;
      return options;
    }
    if (flag == "--fdb") {
      options.fdb = true;
      continue;
    }
    if (flag == "--insecure-plaintext") {
      options.insecure_plaintext = true;
      continue;
    }
    if (flag == "--no-multiplex") {
      options.no_multiplex = true;
      continue;
    }
    std::string value;
    if (size_t eq = flag.find('='); eq != std::string::npos && StartsWith(flag, "--")) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Status::InvalidArgument(flag + " needs a value");
    }
    auto number = [&](double min, double max) { return ParseNumber(flag, value, min, max); };
    auto whole = [&](double min, double max) -> Result<uint64_t> {
      auto v = number(min, max);
      if (!v.ok()) return v.status();
      if (*v != std::floor(*v)) return Status::InvalidArgument(flag + " needs a whole number");
      return static_cast<uint64_t>(*v);
    };
#define ESTATE_ASSIGN(target, expr)              \
  do {                                           \
    auto _v = (expr);                            \
    if (!_v.ok()) return _v.status();            \
    target = static_cast<decltype(target)>(*_v); \
  } while (0)
    if (flag == "--ca-file") {
      options.ca_file = value;
    } else if (flag == "--collector-fingerprint") {
      options.collector_fingerprint = value;
    } else if (flag == "--enroll-secret-file") {
      options.enroll_secret_file = value;
    } else if (flag == "--collector") {
      auto endpoint = ParseEndpoint(value);
      if (!endpoint.ok()) return endpoint.status();
      if (endpoint->port == 0) return Status::InvalidArgument("--collector needs HOST:PORT");
      if (!IsLoopbackHost(endpoint->host)) {
        return Status::InvalidArgument(
            "--collector must be a loopback address: a load test "
            "never leaves this machine");
      }
      options.collector = *endpoint;
      have_collector = true;
    } else if (flag == "--mode") {
      if (value == "full") {
        options.mode = Mode::kFull;
      } else if (value == "delta") {
        options.mode = Mode::kDelta;
      } else if (value == "observations") {
        options.mode = Mode::kObservations;
      } else {
        return Status::InvalidArgument("--mode must be full, delta or observations");
      }
    } else if (flag == "--agents") {
      ESTATE_ASSIGN(options.agents, whole(1, 1000000));
    } else if (flag == "--duration") {
      ESTATE_ASSIGN(options.duration_seconds, number(0.1, 86400));
    } else if (flag == "--connections") {
      ESTATE_ASSIGN(options.connections, whole(1, 20000));
    } else if (flag == "--window") {
      ESTATE_ASSIGN(options.window, whole(1, 10000));
    } else if (flag == "--rate") {
      ESTATE_ASSIGN(options.rate, number(0, 1e7));
    } else if (flag == "--seed") {
      ESTATE_ASSIGN(options.seed, whole(0, 9007199254740991.0));
    } else if (flag == "--collector-pid") {
      ESTATE_ASSIGN(options.collector_pid, whole(1, 4194304));
    } else if (flag == "--scanners") {
      ESTATE_ASSIGN(options.scanners, whole(1, 20000));
    } else if (flag == "--reports-per-connection") {
      ESTATE_ASSIGN(options.reports_per_connection, whole(1, 1000000));
    } else if (flag == "--packages") {
      ESTATE_ASSIGN(options.packages, whole(0, 100000));
    } else if (flag == "--timeout") {
      ESTATE_ASSIGN(options.timeout_seconds, number(0.1, 3600));
    } else if (flag == "--progress") {
      ESTATE_ASSIGN(options.progress_seconds, number(0.05, 3600));
    } else {
      return Status::InvalidArgument("unknown option " + flag);
    }
#undef ESTATE_ASSIGN
  }
  if (!have_collector) return Status::InvalidArgument("--collector HOST:PORT is required");
  return options;
}

}  // namespace estate::loadgen
