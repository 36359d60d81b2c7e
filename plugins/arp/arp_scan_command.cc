// estate-agent scan arp: the active ARP sweep of named local segments.
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>

#include "plugins/scanner_command.h"
#include "estate/text.h"
#include "plugins/arp/arp_socket.h"
#include "plugins/arp/arp_sweep.h"
#include "plugins/arp/interface_info.h"
#include "plugins/arp/target_range.h"
#include "plugins/arp/vendor_lookup.h"
#include "plugins/passive/observation_sink.h"

namespace estate::plugins {
namespace {

constexpr const char* kUsage = R"(usage: estate-agent scan arp --interface IF [options] TARGET...

Broadcasts ARP requests to each TARGET on the interface's segment and reports
every host that answers: IP, MAC, vendor, round-trip time. Only the targets
named are probed. TARGET is an address, a CIDR block up to a /16, or FIRST-LAST.
Needs CAP_NET_RAW.

  --interface IF        the Ethernet interface of the segment (required)
  --rate PPS            requests per second, retries included (default 500,
                        arp-scan's default: 256 kbit/s of 64-byte frames)
  --retries N           extra requests to a silent host (default 1)
  --retry-interval MS   ask a silent host again after this long (default 100)
  --timeout MS          wait after the last request for late replies (default 200)
  --source-ip ADDR      sender address in requests (default: the interface's)
  --json                print JSON lines (default: a readable table)
  --collector HOST:PORT stream the observations to estated instead of printing them
  --collector-config FILE  TLS and enrollment settings for it (agent.conf)
  --quiet               no progress line and no summary
)";

int Usage(const std::string& error) {
  std::fprintf(stderr, "estate-agent scan arp: %s\n\n%s", error.c_str(), kUsage);
  return 2;
}

// The printing sinks flush every line, for the listener, which streams. A
// sweep prints everything at its end, so its lines are collected in memory
// and written with one system call instead of one per host.
class CollectedOutput {
 public:
  CollectedOutput() : file_(open_memstream(&data_, &size_)) {}
  ~CollectedOutput() {
    if (file_ != nullptr) std::fclose(file_);
    std::free(data_);
  }
  CollectedOutput(const CollectedOutput&) = delete;
  CollectedOutput& operator=(const CollectedOutput&) = delete;

  std::FILE* file() const { return file_; }

  Status WriteTo(std::FILE* out) {
    std::fclose(file_);  // sets data_ and size_
    file_ = nullptr;
    if (std::fwrite(data_, 1, size_, out) != size_ || std::fflush(out) != 0) {
      return Status::IoError("writing results");
    }
    return Status::Ok();
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

int Fail(const Status& st) {
  std::fprintf(stderr, "estate-agent scan arp: %s\n", st.message().c_str());
  return 1;
}

int Run(const Args& args) {
  std::string interface, collector, collector_config, source_ip_text;
  std::vector<std::string> target_texts;
  ArpSweepOptions options;
  bool json = false, quiet = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--interface" || a == "-i") {
      if (!value(&interface)) return Usage("--interface needs a name");
    } else if (a == "--rate") {
      auto n = value(&v) ? ParseUint(v) : std::nullopt;
      if (!n || *n == 0 || *n > 1000000)
        return Usage("--rate needs packets per second (1..1000000)");
      options.rate_pps = static_cast<double>(*n);
    } else if (a == "--retries") {
      auto n = value(&v) ? ParseUint(v) : std::nullopt;
      if (!n || *n > 20) return Usage("--retries needs 0..20");
      options.retries = static_cast<int>(*n);
    } else if (a == "--timeout") {
      auto n = value(&v) ? ParseUint(v) : std::nullopt;
      if (!n || *n == 0 || *n > 60000) return Usage("--timeout needs milliseconds (1..60000)");
      options.timeout = std::chrono::milliseconds(*n);
    } else if (a == "--retry-interval") {
      auto n = value(&v) ? ParseUint(v) : std::nullopt;
      if (!n || *n == 0 || *n > 60000)
        return Usage("--retry-interval needs milliseconds (1..60000)");
      options.retry_interval = std::chrono::milliseconds(*n);
    } else if (a == "--source-ip") {
      if (!value(&source_ip_text)) return Usage("--source-ip needs an address");
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
  if (interface.empty()) return Usage("--interface is required");
  if (target_texts.empty())
    return Usage("name the targets to scan (nothing is scanned by default)");
  auto targets = ExpandTargets(target_texts);
  if (!targets.ok()) return Usage(targets.status().message());
  options.targets = std::move(*targets);

  auto info = GetInterfaceInfo(interface);
  if (!info.ok()) return Fail(info.status());
  options.source_mac = info->mac;
  options.source_ip = info->ipv4;
  if (!source_ip_text.empty()) {
    auto ip = ParseIpv4(source_ip_text);
    if (!ip) return Usage("--source-ip needs an IPv4 address");
    options.source_ip = *ip;
  }

  auto socket = ArpSocket::Open(interface, info->mac);
  if (!socket.ok()) return Fail(socket.status());

  std::unique_ptr<ObservationSink> sink;
  CollectedOutput printed;
  if (!collector.empty()) {
    auto connected = ConnectCollectorSink(collector, collector_config);
    if (!connected.ok()) return Fail(connected.status());
    sink = std::move(*connected);
  } else {
    if (printed.file() == nullptr) return Fail(Status::FromErrno("open_memstream", errno));
    sink = json ? MakeJsonLinesSink(printed.file()) : MakeTextSink(printed.file());
  }

  const bool tty = !quiet && isatty(STDERR_FILENO);
  ArpSweep sweep(options, socket->get(), SteadyMicrosClock());
  Status st = sweep.Run([&](const ArpSweepProgress& p) {
    if (!tty) return;
    std::fprintf(
        stderr, "\r\033[Kprobed %llu/%llu  answered %llu  %.0f pkt/s  %s",
        (unsigned long long)p.probed, (unsigned long long)p.targets, (unsigned long long)p.answered,
        p.rate_pps,
        p.done ? "done\n" : ("~" + std::to_string(std::lround(p.eta_seconds)) + " s left").c_str());
  });
  if (!st.ok()) return Fail(st);

  const ArpSweepProgress summary = sweep.summary();
  const uint64_t dropped = (*socket)->dropped();
  socket->reset();

  // Vendors are looked up after the sweep, so loading the registry costs no scan time.
  std::vector<uint64_t> macs;
  for (const ArpReply& r : sweep.replies()) {
    uint64_t v = 0;
    for (uint8_t b : r.mac) v = v << 8 | b;
    macs.push_back(v);
  }
  auto oui = LoadVendorsOf(HostRoot("/"), std::move(macs));
  const OuiRegistry registry = oui.ok() ? std::move(*oui) : OuiRegistry();
  for (const ArpReply& r : sweep.replies()) {
    v1::Observation o;
    o.set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
    o.set_seen_at(r.seen_at_us / 1000000);
    o.set_ip(FormatIpv4(r.ip));
    o.set_mac(FormatMacBytes(r.mac));
    o.set_vendor(std::string(registry.LookupBytes(r.mac.data())));
    o.set_mac_locally_administered(IsLocallyAdministeredMac(o.mac()));
    o.set_interface(interface);
    o.set_rtt_us(r.rtt_us);
    o.set_probe("arp");
    if (r.duplicate_ip) o.add_flags("duplicate_ip");
    if (r.duplicate_mac) o.add_flags("duplicate_mac");
    if (Status add = sink->Add(std::move(o)); !add.ok()) return Fail(add);
  }
  if (Status flush = sink->Flush(); !flush.ok()) return Fail(flush);
  if (collector.empty()) {
    if (Status written = printed.WriteTo(stdout); !written.ok()) return Fail(written);
  }
  if (!quiet) {
    const ArpSweepProgress& s = summary;
    std::fprintf(stderr,
                 "scan arp: %llu targets, %llu answered, %zu replies, %llu requests sent, %.0f "
                 "pkt/s; dropped by kernel %llu\n",
                 (unsigned long long)s.targets, (unsigned long long)s.answered,
                 sweep.replies().size(), (unsigned long long)s.sent, s.rate_pps,
                 (unsigned long long)dropped);
  }
  return 0;
}

}  // namespace

int RunArpScanCommand(const Args& args) {
  try {
    return Run(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "estate-agent scan arp: internal error: %s\n", e.what());
    return 1;
  }
}

}  // namespace estate::plugins
