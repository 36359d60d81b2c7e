// `estate-agent scan snmp`: SNMP identification and inventory of the named
// targets (live, many at once) or of recorded walks (--walk, --snmprec).
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include "estate/collector_client.h"
#include "estate/collector_config.h"
#include "estate/config_file.h"
#include "estate/endpoint.h"
#include "estate/logging.h"
#include "estate/option_table.h"
#include "estate/proto_json.h"
#include "estate/text.h"
#include "estate/v1/frame.pb.h"
#include "plugins/scanner_command.h"
#include "plugins/snmp/definitions.h"
#include "plugins/snmp/device_collector.h"
#include "plugins/snmp/enterprise_registry.h"
#include "plugins/snmp/observations.h"
#include "plugins/snmp/replay_session.h"
#include "plugins/snmp/snmp_engine.h"
#include "plugins/snmp/targets.h"
#include "plugins/snmp/targets_file.h"
#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins {
namespace {

using namespace estate::plugins::snmp;

// Every option of `scan snmp`, once: --help is printed from this table, the
// parser accepts exactly these, and a test checks that the man page
// (man/estate-agent.8) names the same set.
constexpr OptionRow kOptions[] = {
    {"--version", "v1|v2c|v3", "SNMP version (default v2c)"},
    {"--community", "C", "community; repeat to try several in order (default public)", true},
    {"--v3-user", "U", "SNMPv3 user"},
    {"--v3-level", "L", "noAuthNoPriv | authNoPriv | authPriv (default: from passwords)"},
    {"--auth-protocol", "P", "MD5 | SHA | SHA-224 | SHA-256 | SHA-384 | SHA-512 (default SHA)"},
    {"--auth-password", "X", "SNMPv3 authentication passphrase"},
    {"--priv-protocol", "P", "AES | AES-192 | AES-256 | DES (default AES)"},
    {"--priv-password", "X", "SNMPv3 privacy passphrase"},
    {"--config", "FILE",
     "read the above from FILE's [snmp] section (flags win):\n"
     "version, communities (comma list), v3_user, v3_level,\n"
     "auth_protocol, auth_password, priv_protocol, priv_password,\n"
     "port, timeout_ms, retries, concurrency"},
    {"--port", "N", "UDP port (default 161)"},
    {"--timeout", "MS", "per request (default 1000)"},
    {"--retries", "N", "per request (default 1)"},
    {"--concurrency", "N", "devices in flight (default 256)"},
    {"--max-oids", "N", "values kept per device (default 100000)"},
    {"--max-time", "S", "seconds per device (default 120)"},
    {"--max-repetitions", "N", "GETBULK size (default 25)"},
    {"--targets", "FILE",
     "targets one per line: HOST|CIDR [PORT] [PROFILE], a profile\n"
     "being a [snmp.profile.NAME] section of --config with the\n"
     "[snmp] keys; lines without one use the options above"},
    {"--walk", "FILE", "inventory an `snmpwalk -On` dump instead of a live device; repeatable",
     true},
    {"--snmprec", "FILE",
     "inventory an snmpsim recording (NAME@VLAN files beside it are\n"
     "contexts); repeatable",
     true},
    {"--enterprises", "FILE",
     "IANA enterprise numbers (default /usr/share/wireshark/enterprises.tsv)"},
    {"--definitions", "DIR",
     "device definitions and brand table (default the installed\n"
     "share/estate/snmp: definitions/*.textproto, brands.textproto)"},
    {"--user-definitions", "DIR",
     "the user's definitions, replacing shipped ones of the same\n"
     "file name (default /etc/estate/snmp.d; \"\" for none)"},
    {"--json", nullptr, "print one JSON object per device per line (the default)"},
    {"--collector", "HOST:PORT", "send the inventories and observations to estated instead"},
    {"--collector-config", "FILE", "TLS and enrollment settings for it (agent.conf)"},
    {"--help", nullptr, "this text"},
};

std::string UsageText() {
  return std::string(R"(usage: estate-agent scan snmp [options] TARGET...
       estate-agent scan snmp --walk FILE [--walk FILE...] [options]

Inventories SNMP devices: identification, interfaces, addresses, ARP and
forwarding tables, VLANs, LLDP/CDP neighbours, ENTITY-MIB, processors,
HOST-RESOURCES, Printer-MIB and vendor MIBs. Only the TARGETs named are queried
(IPs, CIDRs up to /16, host names).

)") + OptionsHelp(kOptions);
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "estate-agent scan snmp: %s\n\n%s", message.c_str(), UsageText().c_str());
  return 2;
}

std::string NodeId() {
  std::ifstream in("/etc/machine-id");
  std::string id;
  if (in >> id && !id.empty()) return id;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host;
}

nlohmann::json DeviceJson(const v1::NetworkDevice& d) {
  nlohmann::json j = ProtoToJson(d);
  for (const char* key : {"ip", "sys_name", "sys_descr", "sys_object_id", "vendor", "type", "model",
                          "serial", "firmware"}) {
    if (!j.contains(key)) j[key] = "";
  }
  for (const char* key : {"interfaces", "fdb", "neighbors", "software", "warnings"}) {
    if (!j.contains(key)) j[key] = nlohmann::json::array();
  }
  return j;
}

// Streams devices to estated: several devices per ObservationReport, each
// report answered by an Ack before the next goes out.
class CollectorSink {
 public:
  static Result<std::unique_ptr<CollectorSink>> Connect(const std::string& where,
                                                        const std::string& config) {
    auto endpoint = ParseEndpoint(where);
    if (!endpoint.ok()) return endpoint.status();
    CollectorClientOptions options;
    options.collector = *endpoint;
    options.kind = v1::PEER_KIND_SCANNER;
    options.node_id = NodeId();
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    options.hostname = host;
    options.software_version = "estate-agent scan snmp";
    if (!config.empty()) {
      ESTATE_RETURN_IF_ERROR(ApplyCollectorConfig(config, "scanner_key", &options));
    }
    auto sink = std::unique_ptr<CollectorSink>(new CollectorSink(options));
    ESTATE_RETURN_IF_ERROR(sink->client_.Connect());
    return sink;
  }

  void Add(const v1::NetworkDevice& d) {
    if (!status_.ok()) return;
    // A target that never answered was not seen: it is not reported.
    if (d.sys_object_id().empty() && d.sys_descr().empty() && d.sys_name().empty() &&
        d.interfaces_size() == 0) {
      return;
    }
    auto* report = frame_.mutable_observations();
    *report->add_devices() = d;
    for (auto& o : DeviceObservations(d)) *report->add_observations() = std::move(o);
    ++sent_;
    if (frame_.ByteSizeLong() > kMaxReportBytes) status_ = Flush();
  }

  Status Finish() {
    if (status_.ok()) status_ = Flush();
    return status_;
  }
  size_t sent() const { return sent_; }

 private:
  // A report stays far below the 16 MiB frame limit.
  static constexpr size_t kMaxReportBytes = 4u << 20;

  explicit CollectorSink(const CollectorClientOptions& options) : client_(options) {
    // Sequences only grow, also across runs of the scanner.
    sequence_ = static_cast<uint64_t>(time(nullptr)) * 1000;
  }

  Status Flush() {
    if (frame_.observations().devices_size() == 0) return Status::Ok();
    frame_.mutable_observations()->set_sequence(++sequence_);
    auto answer = client_.Call(frame_);
    frame_.Clear();
    if (!answer.ok()) return answer.status();
    if (answer->has_error()) {
      return Status::Unavailable("collector refused the report: " + answer->error().message());
    }
    if (!answer->has_ack()) return Status::Corruption("collector answered without an ack");
    return Status::Ok();
  }

  CollectorClient client_;
  v1::Frame frame_;
  uint64_t sequence_ = 0;
  size_t sent_ = 0;
  Status status_;
};

int Run(const Args& args) {
  Credentials creds;
  TransportOptions transport;
  EngineOptions engine_options;
  std::vector<std::string> targets, walks, snmprecs, communities;
  std::string collector, collector_config, config_path, enterprises_path = kDefaultEnterprisesPath;
  std::string definitions_dir, user_definitions_dir = DefinitionSet::kUserDir;
  std::string targets_path;
  bool version_set = false;
  if (std::find(args.begin(), args.end(), "-h") != args.end()) {
    std::fputs(UsageText().c_str(), stdout);
    return 0;
  }
  auto parsed = ParseOptions(args, kOptions);
  if (!parsed.ok()) return Usage(parsed.status().message());
  const ParsedOptions& o = *parsed;
  if (o.Has("--help")) {
    std::fputs(UsageText().c_str(), stdout);
    return 0;
  }
  // A number option within [min, max]; false (after the usage message) otherwise.
  std::optional<int> bad;
  auto number = [&](const char* name, uint64_t min, uint64_t max, const char* what, auto apply) {
    auto text = o.Get(name);
    if (!text || bad) return;
    auto n = ParseUint(*text);
    if (!n || *n < min || *n > max) {
      bad = Usage(std::string(name) + " needs " + what + ", not '" + *text + "'");
      return;
    }
    apply(*n);
  };
  if (auto v = o.Get("--version")) {
    creds.version = *v;
    version_set = true;
  }
  communities = o.All("--community");
  creds.user = o.Get("--v3-user").value_or("");
  creds.level = o.Get("--v3-level").value_or("");
  if (auto v = o.Get("--auth-protocol")) creds.auth_protocol = *v;
  creds.auth_password = o.Get("--auth-password").value_or("");
  if (auto v = o.Get("--priv-protocol")) creds.priv_protocol = *v;
  creds.priv_password = o.Get("--priv-password").value_or("");
  config_path = o.Get("--config").value_or("");
  number("--port", 1, 65535, "1..65535",
         [&](uint64_t n) { transport.port = static_cast<uint16_t>(n); });
  number("--timeout", 1, 600000, "milliseconds (1..600000)",
         [&](uint64_t n) { transport.timeout_ms = static_cast<int>(n); });
  number("--retries", 0, 10, "0..10", [&](uint64_t n) { transport.retries = static_cast<int>(n); });
  number("--concurrency", 1, 900, "1..900", [&](uint64_t n) { engine_options.concurrency = n; });
  number("--max-oids", 1, UINT32_MAX, "a count",
         [&](uint64_t n) { engine_options.limits.max_oids = n; });
  number("--max-time", 1, 86400, "seconds (1..86400)",
         [&](uint64_t n) { engine_options.limits.max_time = std::chrono::seconds(n); });
  number("--max-repetitions", 1, 200, "1..200",
         [&](uint64_t n) { engine_options.limits.max_repetitions = static_cast<int>(n); });
  if (bad) return *bad;
  targets_path = o.Get("--targets").value_or("");
  walks = o.All("--walk");
  snmprecs = o.All("--snmprec");
  if (auto v = o.Get("--enterprises")) enterprises_path = *v;
  definitions_dir = o.Get("--definitions").value_or("");
  if (auto v = o.Get("--user-definitions")) user_definitions_dir = *v;
  collector = o.Get("--collector").value_or("");
  collector_config = o.Get("--collector-config").value_or("");
  targets = o.positional();
  std::optional<ConfigFile> config_file;
  if (!config_path.empty()) {
    auto config = ConfigFile::Load(config_path);
    if (!config.ok()) return Usage(config.status().ToString());
    config_file = *config;
    const ConfigFile& c = *config;
    if (!version_set) creds.version = c.GetOr("snmp.version", creds.version);
    if (communities.empty()) {
      const std::string list = c.GetOr("snmp.communities", "");
      for (auto part : Split(list, ',')) {
        if (!Trim(part).empty()) communities.emplace_back(Trim(part));
      }
    }
    if (creds.user.empty()) creds.user = c.GetOr("snmp.v3_user", "");
    if (creds.level.empty()) creds.level = c.GetOr("snmp.v3_level", "");
    if (creds.auth_password.empty()) creds.auth_password = c.GetOr("snmp.auth_password", "");
    if (creds.priv_password.empty()) creds.priv_password = c.GetOr("snmp.priv_password", "");
    creds.auth_protocol = c.GetOr("snmp.auth_protocol", creds.auth_protocol);
    creds.priv_protocol = c.GetOr("snmp.priv_protocol", creds.priv_protocol);
    auto port = c.GetUint("snmp.port", transport.port);
    auto timeout = c.GetUint("snmp.timeout_ms", static_cast<uint64_t>(transport.timeout_ms));
    auto retries = c.GetUint("snmp.retries", static_cast<uint64_t>(transport.retries));
    auto conc = c.GetUint("snmp.concurrency", engine_options.concurrency);
    if (!port.ok() || !timeout.ok() || !retries.ok() || !conc.ok() || *port == 0 || *port > 65535) {
      return Usage("bad number in " + config_path);
    }
    transport.port = static_cast<uint16_t>(*port);
    transport.timeout_ms = static_cast<int>(*timeout);
    transport.retries = static_cast<int>(*retries);
    engine_options.concurrency = std::clamp<uint64_t>(*conc, 1, 900);
  }
  if (!communities.empty()) creds.communities = communities;
  std::vector<TargetLine> target_lines;
  if (!targets_path.empty()) {
    auto text = ReadWholeFile(targets_path);
    if (!text.ok()) return Usage(text.status().ToString());
    auto lines = ParseTargetsFile(*text, targets_path);
    if (!lines.ok()) return Usage(lines.status().message());
    target_lines = std::move(*lines);
    if (target_lines.empty()) return Usage(targets_path + " names no target");
  }
  if (targets.empty() && walks.empty() && snmprecs.empty() && target_lines.empty()) {
    return Usage("name at least one TARGET, --targets, --walk or --snmprec");
  }
  if (auto st = creds.Validate(); !st.ok()) return Usage(st.message());

  auto log = GetLogger("scan.snmp");
  PluginRegistry plugins = MakeBuiltinPlugins();
  {
    // A broken definition is the user's to fix: refuse to scan with half the
    // knowledge rather than misidentify quietly. Only a missing shipped
    // directory (a build-tree binary) falls back to the plugins alone.
    const bool explicit_dir = !definitions_dir.empty();
    auto definitions = DefinitionSet::Load(
        explicit_dir ? definitions_dir : DefinitionSet::kShippedDir, user_definitions_dir);
#ifdef ESTATE_SNMP_SOURCE_DATADIR
    // Not installed: a binary in the build tree uses its source tree's definitions.
    if (!explicit_dir && !definitions.ok() && definitions.status().IsNotFound()) {
      definitions = DefinitionSet::Load(ESTATE_SNMP_SOURCE_DATADIR, user_definitions_dir);
    }
#endif
    if (definitions.ok()) {
      plugins.SetDefinitions(std::make_shared<const DefinitionSet>(std::move(*definitions)));
    } else if (definitions.status().IsNotFound() && !explicit_dir) {
      log->warn("no device definitions ({}); identification from plugins only",
                definitions.status().message());
    } else {
      std::fprintf(stderr, "estate-agent scan snmp: %s\n", definitions.status().ToString().c_str());
      return 1;
    }
  }
  auto enterprises = EnterpriseRegistry::Load(enterprises_path);
  if (!enterprises.ok()) {
    log->warn("no IANA enterprise list ({}); vendors only from plugins",
              enterprises.status().message());
  }
  const EnterpriseRegistry* reg = enterprises.ok() ? &*enterprises : nullptr;

  std::unique_ptr<CollectorSink> sink;
  if (!collector.empty()) {
    auto connected = CollectorSink::Connect(collector, collector_config);
    if (!connected.ok()) {
      std::fprintf(stderr, "estate-agent scan snmp: %s\n", connected.status().ToString().c_str());
      return 1;
    }
    sink = std::move(*connected);
  }
  // Each device goes out as soon as it is complete.
  auto emit = [&](v1::NetworkDevice&& d) {
    if (sink) {
      sink->Add(d);
    } else {
      std::cout << DeviceJson(d).dump() << "\n" << std::flush;
    }
  };
  auto offline = [&](const std::string& path, bool is_walk) {
    std::vector<std::string> warnings;
    auto session = is_walk ? ReplaySession::FromWalkFile(path, &warnings)
                           : ReplaySession::FromSnmprecFile(path, &warnings);
    if (!session.ok()) {
      v1::NetworkDevice d;
      d.add_warnings(session.status().ToString());
      emit(std::move(d));
      return;
    }
    DeviceCollector c("", "v2c", plugins, reg, engine_options.limits);
    v1::NetworkDevice d = CollectSync(c, **session);
    for (auto& w : warnings) d.add_warnings(w);
    d.clear_snmp_version();
    emit(std::move(d));
  };
  for (const auto& w : walks) offline(w, true);
  for (const auto& r : snmprecs) offline(r, false);

  // One engine run per (credentials profile, port): the command-line
  // targets first, then each group of the --targets file.
  struct Group {
    std::vector<std::string> targets;
  };
  std::map<std::pair<std::string, uint16_t>, Group> groups;
  if (!targets.empty()) groups[{"", transport.port}].targets = targets;
  for (const auto& t : target_lines) {
    groups[{t.profile, t.port ? t.port : transport.port}].targets.push_back(t.target);
  }
  for (const auto& [key, group] : groups) {
    const auto& [profile, port] = key;
    Credentials group_creds = creds;
    if (!profile.empty()) {
      if (!config_file) return Usage("profile \"" + profile + "\" in --targets needs --config");
      auto c = ProfileCredentials(*config_file, profile, creds);
      if (!c.ok()) return Usage(c.status().message());
      group_creds = *c;
    }
    auto addresses = ExpandTargets(group.targets);
    if (!addresses.ok()) return Usage(addresses.status().message());
    engine_options.credentials = group_creds;
    engine_options.transport = transport;
    engine_options.transport.port = port;
    SnmpEngine engine(engine_options, plugins, reg);
    engine.Run(*addresses, emit);
    const auto& st = engine.stats();
    log->info("{}{} devices, {} answered, {} requests, {} values",
              profile.empty() ? "" : "profile " + profile + ": ", st.devices, st.answered,
              st.requests, st.values);
  }

  if (sink) {
    if (auto st = sink->Finish(); !st.ok()) {
      std::fprintf(stderr, "estate-agent scan snmp: %s\n", st.ToString().c_str());
      return 1;
    }
    std::fprintf(stderr, "estate-agent scan snmp: sent %zu devices to %s\n", sink->sent(),
                 collector.c_str());
  }
  return 0;
}

}  // namespace

std::span<const OptionRow> SnmpScanOptions() { return kOptions; }

int RunSnmpScanCommand(const Args& args) {
  try {
    return Run(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "estate-agent scan snmp: internal error: %s\n", e.what());
    return 1;
  }
}

}  // namespace estate::plugins
