// estate-agent scan probe: ICMP echo and TCP connect probes of routed hosts.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

#include "plugins/scanner_command.h"
#include "estate/text.h"
#include "plugins/arp/target_range.h"
#include "plugins/passive/link_layer.h"
#include "plugins/passive/observation_sink.h"
#include "plugins/probe/host_probe.h"

namespace estate::plugins {
namespace {

constexpr const char* kUsage = R"(usage: estate-agent scan probe [options] TARGET...

Finds hosts beyond the local segment: an ICMP echo and TCP connects to a few
ports per TARGET (an address, a CIDR block up to a /16, or FIRST-LAST); a host
is up when any probe answers, including a refused connection. Only the targets
named are probed. ICMP needs CAP_NET_RAW.

  --ports P,P,...        TCP ports to connect to (default 22,80,443)
  --no-tcp               no TCP probes
  --no-icmp              no ICMP echo (then no CAP_NET_RAW is needed)
  --rate PPS             probes per second (default 500)
  --timeout MS           wait for answers (default 1000)
  --no-reverse-dns       do not look up host names
  --json                 print JSON lines (default: a readable table)
  --collector HOST:PORT  stream the observations to estated instead of printing them
  --collector-config FILE  TLS and enrollment settings for it (agent.conf)
  --quiet                no progress line and no summary
)";

int Usage(const std::string& error) {
  std::fprintf(stderr, "estate-agent scan probe: %s\n\n%s", error.c_str(), kUsage);
  return 2;
}

int Fail(const Status& st) {
  std::fprintf(stderr, "estate-agent scan probe: %s\n", st.message().c_str());
  return 1;
}

int Run(const Args& args) {
  HostProbeOptions options;
  std::vector<std::string> target_texts;
  std::string collector, collector_config;
  bool json = false, quiet = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string v;
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--ports") {
      if (!value(&v)) return Usage("--ports needs a list");
      options.tcp_ports.clear();
      for (std::string_view p : Split(v, ',')) {
        auto port = ParseUint(Trim(p));
        if (!port || *port == 0 || *port > 65535) return Usage("bad port '" + std::string(p) + "'");
        options.tcp_ports.push_back(static_cast<uint16_t>(*port));
      }
    } else if (a == "--no-tcp") {
      options.tcp_ports.clear();
    } else if (a == "--no-icmp") {
      options.icmp = false;
    } else if (a == "--rate") {
      auto n = value(&v) ? ParseUint(v) : std::nullopt;
      if (!n || *n == 0 || *n > 100000) return Usage("--rate needs probes per second (1..100000)");
      options.rate_pps = static_cast<double>(*n);
    } else if (a == "--timeout") {
      auto n = value(&v) ? ParseUint(v) : std::nullopt;
      if (!n || *n == 0 || *n > 60000) return Usage("--timeout needs milliseconds (1..60000)");
      options.timeout = std::chrono::milliseconds(*n);
    } else if (a == "--no-reverse-dns") {
      options.reverse_dns = false;
    } else if (a == "--collector") {
      if (!value(&collector)) return Usage("--collector needs HOST:PORT");
    } else if (a == "--collector-config") {
      if (!value(&collector_config)) return Usage("--collector-config needs a file");
    } else if (a == "--json") {
      json = true;
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (!a.empty() && a[0] == '-') {
      return Usage("unknown option '" + a + "'");
    } else {
      target_texts.push_back(a);
    }
  }
  if (target_texts.empty())
    return Usage("name the targets to probe (nothing is probed by default)");
  if (!options.icmp && options.tcp_ports.empty())
    return Usage("--no-icmp and --no-tcp leave no probe");
  auto targets = ExpandTargets(target_texts);
  if (!targets.ok()) return Usage(targets.status().message());
  options.targets = std::move(*targets);

  std::unique_ptr<ObservationSink> sink;
  if (!collector.empty()) {
    auto connected = ConnectCollectorSink(collector, collector_config);
    if (!connected.ok()) return Fail(connected.status());
    sink = std::move(*connected);
  } else {
    sink = json ? MakeJsonLinesSink(stdout) : MakeTextSink(stdout);
  }

  const bool tty = !quiet && isatty(STDERR_FILENO);
  auto last_print = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  HostProbe probe(options);
  Status st = probe.Run([&](const HostProbeProgress& p) {
    if (!tty) return;
    const auto now = std::chrono::steady_clock::now();
    if (!p.done && now - last_print < std::chrono::milliseconds(250)) return;
    last_print = now;
    std::fprintf(stderr, "\r\033[Kprobed %llu/%llu  answered %llu%s", (unsigned long long)p.probed,
                 (unsigned long long)p.targets, (unsigned long long)p.answered,
                 p.done ? "  done\n" : "");
  });
  if (!st.ok()) return Fail(st);
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  for (const HostProbeResult& r : probe.results()) {
    v1::Observation o;
    o.set_source(r.probe == "icmp" ? v1::OBSERVATION_SOURCE_ICMP_PROBE
                                   : v1::OBSERVATION_SOURCE_TCP_PROBE);
    o.set_seen_at(now);
    o.set_ip(FormatIpv4(r.ip));
    o.set_hostname(r.hostname);
    o.set_rtt_us(r.rtt_us);
    o.set_probe(r.probe);
    for (const std::string& a : r.answered) o.add_flags(a);
    if (Status add = sink->Add(std::move(o)); !add.ok()) return Fail(add);
  }
  if (Status flush = sink->Flush(); !flush.ok()) return Fail(flush);
  if (!quiet) {
    std::fprintf(stderr, "scan probe: %llu targets, %llu answered\n",
                 (unsigned long long)probe.summary().targets,
                 (unsigned long long)probe.summary().answered);
  }
  return 0;
}

}  // namespace

int RunProbeScanCommand(const Args& args) {
  try {
    return Run(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "estate-agent scan probe: internal error: %s\n", e.what());
    return 1;
  }
}

}  // namespace estate::plugins
