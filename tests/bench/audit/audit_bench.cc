// audit_bench: reporting an audit over 100,000 assets (issue 30's figure).
// The register is written straight into the store (assets with tags,
// serials, recorded locations under HQ/B1..B4, switch ports the location map
// places, agent sources; one in ten seen after the start); the audit runs
// through the real `audit` command: start (scope --location HQ, every asset),
// confirm (10,000 codes in one request, as piped from a barcode scanner),
// report (median of --runs) and close. For comparison in the same run: one
// bare pass parsing every asset record (the floor of any report).
// Run: build-rel/tests/bench/audit/audit_bench [--assets 100000] [--confirm 10000] [--runs 5]
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "collector/admin/command_registry.h"
#include "collector/admin/location_map.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/text.h"
#include "tests/bench/bench_ingest.h"

namespace estate::bench {
namespace {

std::string Tag(uint64_t n) { return "IT-" + std::to_string(100000 + n); }

int Main(int argc, char** argv) {
  uint64_t assets = 100000, confirm = 10000, runs = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--assets")) assets = std::stoull(argv[i + 1]);
    if (!std::strcmp(argv[i], "--confirm")) confirm = std::stoull(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::stoull(argv[i + 1]);
  }
  char dir[] = "/tmp/audit-bench-XXXXXX";
  if (!::mkdtemp(dir)) return 1;
  collector::StoreOptions options;
  options.path = std::string(dir) + "/db";
  auto collector = BenchCollector::Open(options);
  if (!collector) return 1;
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  // 48 ports per switch, one switch per floor; a port is a room.
  auto write = collector->store->NewBatch();
  for (uint64_t n = 0; n < assets; ++n) {
    const uint64_t b = n % 4 + 1, f = (n / 4) % 5 + 1, r = (n / 20) % 48 + 1;
    v1::Asset a;
    char id[32];
    std::snprintf(id, sizeof id, "A-%07llu", static_cast<unsigned long long>(n));
    a.set_id(id);
    a.set_hostname("host-" + std::to_string(n));
    a.set_serial("SN" + std::to_string(n));
    a.set_asset_class(n % 3 ? "laptop" : "workstation");
    a.set_state("deployed");
    a.set_managed(true);
    a.set_first_seen(now - 86400 * 30);
    a.set_last_seen(now - 3600);
    (*a.mutable_attributes())["asset_tag"] = Tag(n);
    (*a.mutable_attributes())["location"] =
        "HQ/B" + std::to_string(b) + "/F" + std::to_string(f) + "/R" + std::to_string(r);
    auto* source = a.add_sources();
    source->set_kind("agent");
    source->set_node_id("node-" + std::to_string(n));
    source->set_last_seen(a.last_seen());
    a.add_ips("10." + std::to_string(b) + "." + std::to_string(n / 250 % 250) + "." +
              std::to_string(n % 250 + 1));
    a.mutable_location()->set_switch_name("sw-b" + std::to_string(b) + "-f" + std::to_string(f));
    // One in 50 sits on another room's port: a mismatch.
    a.mutable_location()->set_port("Gi1/0/" + std::to_string(n % 50 ? r : r % 48 + 1));
    collector::PutRecord(*write, collector::Table::kAssets, a.id(), a);
    write->Put(collector::Table::kIdentity,
               collector::IdentityKey(collector::identity::kAssetTag, estate::ToLower(Tag(n))),
               a.id());
    write->Put(collector::Table::kIdentity,
               collector::IdentityKey(collector::identity::kSerial, a.serial()), a.id());
  }
  for (int b = 1; b <= 4; ++b) {
    for (int f = 1; f <= 5; ++f) {
      for (int r = 1; r <= 48; ++r) {
        write->Put(
            collector::Table::kSettings,
            collector::LocationSwitchKey("sw-b" + std::to_string(b) + "-f" + std::to_string(f),
                                         "Gi1/0/" + std::to_string(r)),
            "HQ/B" + std::to_string(b) + "/F" + std::to_string(f) + "/R" + std::to_string(r));
      }
    }
    write->Put(collector::Table::kSettings,
               collector::LocationSubnetKey("10." + std::to_string(b) + ".0.0/16"),
               "HQ/B" + std::to_string(b));
  }
  if (auto st = collector->store->Write(*write); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  collector::CommandRegistry registry = collector::MakeBuiltinCommands();
  collector::ServerCounters counters;
  auto run = [&](std::vector<std::string> args, std::map<std::string, std::string> opts,
                 double* seconds) -> nlohmann::json {
    v1::AdminRequest request;
    request.set_command("audit");
    for (auto& a : args) request.add_args(a);
    for (auto& [k, v] : opts) (*request.mutable_options())[k] = v;
    collector::AdminContext context{
        *collector->store, counters, *collector->ingestor,
        collector::Caller{.uid = 0, .user = "bench", .role = collector::Role::kAdmin}};
    const auto start = Clock::now();
    v1::AdminResponse response = registry.Execute(request, context);
    *seconds = Seconds(Clock::now() - start);
    if (!response.ok()) {
      std::fprintf(stderr, "audit %s: %s\n", args[0].c_str(), response.error().c_str());
      std::exit(1);
    }
    return nlohmann::json::parse(response.json());
  };
  double start_s = 0, confirm_s = 0, close_s = 0;
  nlohmann::json started = run({"start", "bench"}, {{"location", "HQ"}}, &start_s);
  // Discovery during the audit: every tenth asset's agent reports again.
  auto seen = collector->store->NewBatch();
  for (uint64_t n = 0; n < assets; n += 10) {
    char id[32];
    std::snprintf(id, sizeof id, "A-%07llu", static_cast<unsigned long long>(n));
    auto a = collector::GetRecord<v1::Asset>(*collector->store, collector::Table::kAssets, id);
    if (!a.ok() || !a->has_value()) return 1;
    (*a)->set_last_seen(now + 5);
    (*a)->mutable_sources(0)->set_last_seen(now + 5);
    collector::PutRecord(*seen, collector::Table::kAssets, id, **a);
  }
  if (auto st = collector->store->Write(*seen); !st.ok()) return 1;
  // The codes a scanner types: tags, CR LF, one a line; every 7th a serial.
  std::string codes;
  for (uint64_t i = 0; i < confirm; ++i) {
    const uint64_t n = (i * 7919) % assets;
    codes += (i % 7 ? Tag(n) : "SN" + std::to_string(n)) + "\r\n";
  }
  nlohmann::json confirmed =
      run({"confirm", "bench", codes}, {{"location", "HQ/B1/F1/R1"}}, &confirm_s);
  std::vector<double> report_s, scan_s;
  nlohmann::json report;
  for (uint64_t r = 0; r < runs; ++r) {
    double s = 0;
    report = run({"report", "bench"}, {}, &s);
    report_s.push_back(s);
    const auto start = Clock::now();
    uint64_t parsed = 0;
    v1::Asset a;
    (void)collector->store->Scan(collector::Table::kAssets, "",
                                 [&](std::string_view, std::string_view v) {
                                   parsed += a.ParseFromArray(v.data(), static_cast<int>(v.size()));
                                   return true;
                                 });
    scan_s.push_back(Seconds(Clock::now() - start));
  }
  nlohmann::json closed = run({"close", "bench"}, {}, &close_s);
  const double rep = Percentile(report_s, 0.5), scan = Percentile(scan_s, 0.5);
  std::printf("assets %llu, expected %llu, confirmed %llu codes\n",
              static_cast<unsigned long long>(assets),
              static_cast<unsigned long long>(started.at("expected").get<uint64_t>()),
              static_cast<unsigned long long>(confirmed.at("confirmed").get<uint64_t>()));
  std::printf("start %.3f s, confirm (%llu codes, one request) %.3f s, close %.3f s\n", start_s,
              static_cast<unsigned long long>(confirm), confirm_s, close_s);
  std::printf("report median %.3f s over %llu runs (%s)\n", rep,
              static_cast<unsigned long long>(runs), report.at("counts").dump().c_str());
  std::printf("bare asset scan median %.3f s; report / scan = %.2f\n", scan, rep / scan);
  std::printf("target: report within seconds (under 5 s) -> %s\n", rep < 5.0 ? "met" : "NOT met");
  collector.reset();
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace estate::bench

int main(int argc, char** argv) { return estate::bench::Main(argc, argv); }
