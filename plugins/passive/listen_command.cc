// estate-agent listen: passive discovery from a live interface or a capture
// file. Sends nothing on the network.
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

#include "plugins/scanner_command.h"
#include "estate/oui_registry.h"
#include "estate/text.h"
#include "plugins/passive/frame_analyzer.h"
#include "plugins/passive/observation_sink.h"
#include "plugins/passive/packet_source.h"

namespace estate::plugins {
namespace {

constexpr const char* kUsage =
    R"(usage: estate-agent listen (--interface IF | --read FILE) [options]

Learns hosts from ARP, DHCP, mDNS, LLDP and CDP traffic without sending anything,
and reports new stations, changed MACs and flip-flops (as arpwatch does).

  --interface IF        listen on a live interface (needs CAP_NET_RAW)
  --read FILE           read a pcap or pcapng capture file
  --filter BPF          extra capture filter (tcpdump syntax)
  --duration SECONDS    stop a live capture after this long (default: until SIGINT/SIGTERM)
  --json                print JSON lines (default: one readable line per observation)
  --collector HOST:PORT stream observations to estated instead of printing them
  --collector-config FILE  TLS and enrollment settings for it (agent.conf)
  --quiet               no statistics on stderr at the end
)";

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

struct ListenFlags {
  std::string interface, read, filter, collector, collector_config;
  int64_t duration_s = 0;
  bool json = false;
  bool quiet = false;
};

int Usage(const std::string& error) {
  std::fprintf(stderr, "estate-agent listen: %s\n\n%s", error.c_str(), kUsage);
  return 2;
}

int Run(const Args& args) {
  ListenFlags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string number;
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--interface" || a == "-i") {
      if (!value(&flags.interface)) return Usage("--interface needs a name");
    } else if (a == "--read" || a == "-r") {
      if (!value(&flags.read)) return Usage("--read needs a file");
    } else if (a == "--filter") {
      if (!value(&flags.filter)) return Usage("--filter needs an expression");
    } else if (a == "--collector") {
      if (!value(&flags.collector)) return Usage("--collector needs HOST:PORT");
    } else if (a == "--collector-config") {
      if (!value(&flags.collector_config)) return Usage("--collector-config needs a file");
    } else if (a == "--duration") {
      auto n = value(&number) ? ParseUint(number) : std::nullopt;
      if (!n) return Usage("--duration needs whole seconds");
      flags.duration_s = static_cast<int64_t>(*n);
    } else if (a == "--json") {
      flags.json = true;
    } else if (a == "--quiet") {
      flags.quiet = true;
    } else {
      return Usage("unknown argument '" + a + "'");
    }
  }
  if (flags.interface.empty() == flags.read.empty()) {
    return Usage("name exactly one of --interface or --read");
  }

  auto source = flags.read.empty() ? OpenLiveCapture({.interface = flags.interface})
                                   : OpenCaptureFile(flags.read);
  if (!source.ok()) {
    std::fprintf(stderr, "estate-agent listen: %s\n", source.status().message().c_str());
    return 1;
  }
  PacketSource& packets = **source;
  if (!flags.filter.empty()) {
    if (Status st = packets.SetFilter(flags.filter); !st.ok()) {
      std::fprintf(stderr, "estate-agent listen: %s\n", st.message().c_str());
      return 2;
    }
  }

  auto oui = OuiRegistry::Load(HostRoot("/"));
  if (!oui.ok() && !flags.quiet) {
    std::fprintf(stderr, "estate-agent listen: no vendor names: %s\n",
                 oui.status().message().c_str());
  }
  const OuiRegistry registry = oui.ok() ? std::move(*oui) : OuiRegistry();

  std::unique_ptr<ObservationSink> sink;
  if (!flags.collector.empty()) {
    auto connected = ConnectCollectorSink(flags.collector, flags.collector_config);
    if (!connected.ok()) {
      std::fprintf(stderr, "estate-agent listen: %s\n", connected.status().message().c_str());
      return 1;
    }
    sink = std::move(*connected);
  } else {
    sink = flags.json ? MakeJsonLinesSink(stdout) : MakeTextSink(stdout);
  }

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  FrameAnalyzer analyzer(&registry, flags.read.empty() ? flags.interface : "");
  std::vector<v1::Observation> found;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(flags.duration_s);
  Status failure;
  while (!g_stop) {
    if (flags.duration_s > 0 && std::chrono::steady_clock::now() >= deadline) break;
    CapturedPacket packet;
    auto got = packets.Next(std::chrono::milliseconds(200), &packet);
    if (!got.ok()) {
      if (!got.status().IsNotFound()) failure = got.status();  // a truncated file ends here
      break;
    }
    if (!*got) continue;
    found.clear();
    analyzer.Analyze(packets.link_type(), packet.timestamp_us / 1000000, packet.data, &found);
    for (auto& o : found) {
      if (Status st = sink->Add(std::move(o)); !st.ok()) {
        std::fprintf(stderr, "estate-agent listen: %s\n", st.message().c_str());
        return 1;
      }
    }
  }
  if (Status st = sink->Flush(); !st.ok()) {
    std::fprintf(stderr, "estate-agent listen: %s\n", st.message().c_str());
    return 1;
  }
  const AnalyzerStats& s = analyzer.stats();
  if (!flags.quiet) {
    std::fprintf(stderr,
                 "listen: %llu frames (arp %llu, dhcp %llu, mdns %llu, lldp %llu, cdp %llu, other "
                 "%llu); skipped %llu truncated, %llu malformed, %llu unsupported; %llu "
                 "observations, %zu stations\n",
                 (unsigned long long)s.frames, (unsigned long long)s.arp,
                 (unsigned long long)s.dhcp, (unsigned long long)s.mdns, (unsigned long long)s.lldp,
                 (unsigned long long)s.cdp, (unsigned long long)s.other,
                 (unsigned long long)s.truncated, (unsigned long long)s.malformed,
                 (unsigned long long)s.unsupported, (unsigned long long)s.observations,
                 analyzer.stations().size());
  }
  if (!failure.ok()) {
    std::fprintf(stderr, "estate-agent listen: stopped early: %s\n", failure.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int RunListenCommand(const Args& args) {
  try {
    return Run(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "estate-agent listen: internal error: %s\n", e.what());
    return 1;
  }
}

}  // namespace estate::plugins
