// compliance_bench: licence compliance over a simulated fleet (issue 29's
// figure: 1,000 licences on 100,000 hosts). Hosts report through the Ingestor
// as agents do (40 packages each from a pool of 2,000 titles in 3 versions);
// licences are written straight into the store. Prints the median of
// ComputeCompliance through the collector's title index (the commands' way;
// the first call, which fills the index, apart) and, for comparison in the
// same run, of the same call scanning every software set, and of one bare
// pass decoding every set. Both ways must give the same figures. Host lists
// name at most --max-hosts hosts (100, as `estatectl compliance` over the
// whole estate; 0 for every host); the same call listing every host through
// the index (`compliance --product` over every product) is timed beside.
// Run: build-rel/tests/bench/licence/compliance_bench [--hosts 100000] [--licences 1000]
//      [--runs 5] [--packages 40] [--max-hosts 100]
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "collector/admin/licence_compliance.h"
#include "collector/store/records.h"
#include "collector/store/software_set.h"
#include "tests/bench/bench_ingest.h"

namespace estate::bench {
namespace {

std::pair<size_t, size_t> ingest_titles(collector::Ingestor& ingestor) {
  const auto& index = ingestor.software().title_hosts();
  return {index.titles(), index.installs()};
}

int Main(int argc, char** argv) {
  uint64_t hosts = 100000, licences = 1000, runs = 5, per_host = 40, listed = 100;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--hosts")) hosts = std::stoull(argv[i + 1]);
    if (!std::strcmp(argv[i], "--licences")) licences = std::stoull(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::stoull(argv[i + 1]);
    if (!std::strcmp(argv[i], "--packages")) per_host = std::stoull(argv[i + 1]);
    if (!std::strcmp(argv[i], "--max-hosts")) listed = std::stoull(argv[i + 1]);
  }
  char dir[] = "/tmp/compliance-bench-XXXXXX";
  if (!::mkdtemp(dir)) return 1;
  collector::StoreOptions options;
  options.path = std::string(dir) + "/db";
  auto collector = BenchCollector::Open(options);
  if (!collector) return 1;
  std::mt19937 random(29);
  constexpr int kTitles = 2000;
  uint64_t refused = 0;
  double ingest_s = 0;
  for (uint64_t first = 0; first < hosts; first += 5000) {
    std::vector<Submission> batch;
    for (uint64_t h = first; h < std::min(hosts, first + 5000); ++h) {
      Submission s;
      s.peer = collector::Peer{"node-" + std::to_string(h), "", "", v1::PEER_KIND_AGENT};
      auto* report = s.frame.mutable_full_report();
      report->set_sequence(1);
      auto* facts = report->mutable_facts();
      facts->set_hostname("host-" + std::to_string(h));
      facts->set_machine_id("machine-" + std::to_string(h) + "-0123456789abcdef");
      for (uint64_t p = 0; p < per_host; ++p) {
        auto* pkg = facts->add_software();
        pkg->set_name("title-" + std::to_string(random() % kTitles));
        pkg->set_version("1." + std::to_string(random() % 3));
        pkg->set_architecture("amd64");
        pkg->set_source("deb");
        pkg->set_publisher("Vendor " + std::to_string(random() % 20));
      }
      batch.push_back(std::move(s));
    }
    ingest_s += SubmitAndWait(*collector->ingestor, batch, &refused);
  }
  auto write = collector->store->NewBatch();
  for (uint64_t l = 0; l < licences; ++l) {
    v1::Licence licence;
    licence.set_id("L-" + std::to_string(l));
    licence.mutable_product()->set_kind("package");
    licence.mutable_product()->set_pattern("title-" + std::to_string(l % kTitles));
    if (l % 2) licence.mutable_product()->set_min_version("1.1");
    licence.set_metric(l % 3 ? "per_device" : "per_user");
    licence.set_quantity(hosts * per_host / kTitles);
    collector::PutRecord(*write, collector::Table::kSettings, collector::LicenceKey(licence.id()),
                         licence);
  }
  if (auto st = collector->store->Write(*write); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  auto loaded = collector::LoadLicences(*collector->store);
  if (!loaded.ok()) return 1;
  auto& ingestor = *collector->ingestor;
  const auto& catalogue = ingestor.software().catalogue();
  const auto indexed = collector::IndexedInstalls(ingestor, "bench");
  const auto scanned = collector::ScanInstalls(*collector->store);
  const size_t max_hosts = listed == 0 ? collector::kAllHosts : listed;
  auto start = Clock::now();
  auto first = collector::ComputeCompliance(*collector->store, catalogue, *loaded, 20000, "",
                                            indexed, max_hosts);
  const double fill_s = Seconds(Clock::now() - start);
  if (!first.ok()) {
    std::fprintf(stderr, "%s\n", first.status().ToString().c_str());
    return 1;
  }
  std::vector<double> indexed_s, scan_path_s, bare_s, all_hosts_s;
  uint64_t unlicensed = 0;
  bool same = true;
  for (uint64_t r = 0; r < runs; ++r) {
    start = Clock::now();
    auto result = collector::ComputeCompliance(*collector->store, catalogue, *loaded, 20000, "",
                                               indexed, max_hosts);
    indexed_s.push_back(Seconds(Clock::now() - start));
    start = Clock::now();
    auto old = collector::ComputeCompliance(*collector->store, catalogue, *loaded, 20000, "",
                                            scanned, max_hosts);
    scan_path_s.push_back(Seconds(Clock::now() - start));
    if (!result.ok() || !old.ok()) {
      std::fprintf(stderr, "compliance failed\n");
      return 1;
    }
    same &= *result == *old;
    start = Clock::now();
    auto all = collector::ComputeCompliance(*collector->store, catalogue, *loaded, 20000, "",
                                            indexed, collector::kAllHosts);
    all_hosts_s.push_back(Seconds(Clock::now() - start));
    if (!all.ok()) return 1;
    for (size_t p = 0; p < all->at("products").size(); ++p) {
      for (const char* k : {"installs", "used", "entitled", "unlicensed_installs"}) {
        same &= all->at("products")[p].at(k) == result->at("products")[p].at(k);
      }
    }
    unlicensed = 0;
    for (const auto& p : result->at("products"))
      unlicensed += p.at("unlicensed_installs").get<uint64_t>();
    start = Clock::now();
    collector::HostSoftware set;
    uint64_t entries = 0;
    (void)collector->store->Scan(collector::Table::kSoftware, "",
                                 [&](std::string_view, std::string_view v) {
                                   if (collector::DecodeSoftwareSet(v, &set))
                                     entries += set.entries.size();
                                   return true;
                                 });
    bare_s.push_back(Seconds(Clock::now() - start));
  }
  const double c = Percentile(indexed_s, 0.5), o = Percentile(scan_path_s, 0.5),
               b = Percentile(bare_s, 0.5);
  std::printf("hosts %llu, licences %llu, ingest %.1f s (%llu refused)\n",
              static_cast<unsigned long long>(hosts), static_cast<unsigned long long>(licences),
              ingest_s, static_cast<unsigned long long>(refused));
  std::printf("index: %zu titles, %zu installs; first call (fills it) %.3f s\n",
              ingest_titles(ingestor).first, ingest_titles(ingestor).second, fill_s);
  std::printf(
      "compliance (index, at most %llu hosts a list) median %.3f s over %llu runs (unlicensed "
      "installs %llu)\n",
      static_cast<unsigned long long>(listed), c, static_cast<unsigned long long>(runs),
      static_cast<unsigned long long>(unlicensed));
  std::printf("compliance (scan every set) median %.3f s; scan / index = %.1fx\n", o, o / c);
  std::printf("bare software-set scan median %.3f s\n", b);
  std::printf("compliance (index) listing every host median %.3f s\n",
              Percentile(all_hosts_s, 0.5));
  std::printf("same figures both ways: %s\n", same ? "yes" : "NO");
  std::printf("target: compliance under 1 s -> %s\n", c < 1.0 ? "met" : "NOT met");
  collector.reset();
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace estate::bench

int main(int argc, char** argv) { return estate::bench::Main(argc, argv); }
