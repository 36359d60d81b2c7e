// snmp_accuracy: identification accuracy over a corpus of recordings.
//   build/tests/plugins/snmp/snmp_accuracy [--corpus DIR] [--definitions DIR|none]
//       [--disagreements FILE] [--details] [--field F] [--requests]
// Prints per field right/wrong/missing (and skipped: not in the recording or
// a recorded disagreement) with totals; --details adds one line per device
// and field that is not right. --requests also inventories every recording
// with the plugins alone and prints what the definitions cost in SNMP
// requests per device (the budget: the definition's scalars).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "plugins/snmp/definitions.h"
#include "tests/plugins/snmp/identification_accuracy.h"

using namespace estate::plugins::snmp;

int main(int argc, char** argv) {
  std::string corpus = DefaultCorpusDir();
  std::string definitions = ESTATE_SOURCE_DIR "/share/snmp";
  std::string disagreements = ESTATE_SOURCE_DIR "/tests/fixtures/snmp/corpus_disagreements.tsv";
  std::string only_field;
  bool details = false;
  bool requests = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&](std::string* out) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "snmp_accuracy: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      *out = argv[++i];
    };
    if (a == "--corpus") {
      next(&corpus);
    } else if (a == "--definitions") {
      next(&definitions);
    } else if (a == "--disagreements") {
      next(&disagreements);
    } else if (a == "--field") {
      next(&only_field);
    } else if (a == "--details") {
      details = true;
    } else if (a == "--requests") {
      requests = true;
    } else {
      std::fprintf(stderr,
                   "usage: snmp_accuracy [--corpus DIR] [--definitions DIR|none] "
                   "[--disagreements FILE] [--details] [--field F] [--requests]\n");
      return 2;
    }
  }
  PluginRegistry plugins = MakeBuiltinPlugins();
  if (definitions != "none") {
    auto set = DefinitionSet::Load(definitions, "");
    if (!set.ok()) {
      std::fprintf(stderr, "snmp_accuracy: %s\n", set.status().ToString().c_str());
      return 1;
    }
    std::fprintf(stderr, "%zu definitions, %zu brands\n", set->size(), set->brands().size());
    plugins.SetDefinitions(std::make_shared<const DefinitionSet>(std::move(*set)));
  }
  auto report = MeasureAccuracy(corpus, plugins, disagreements);
  if (!report.ok()) {
    std::fprintf(stderr, "snmp_accuracy: %s\n", report.status().ToString().c_str());
    return 1;
  }
  if (details) {
    for (const auto& d : report->devices) {
      for (const auto& [field, f] : d.fields) {
        if (f.verdict == "right" || f.verdict == "skipped") continue;
        if (!only_field.empty() && field != only_field) continue;
        std::printf("%-28s %-8s %-7s ours=\"%s\" expected=\"%s\"\n", d.name.c_str(), field.c_str(),
                    f.verdict.c_str(), f.ours.c_str(), f.expected.c_str());
      }
    }
  }
  std::printf("%zu recordings\n%-9s %6s %6s %8s %7s %8s %7s\n", report->recordings, "field",
              "right", "wrong", "missing", "scored", "skipped", "right%");
  for (const char* field : {"vendor", "model", "serial", "firmware", "type"}) {
    const FieldScore& s = report->fields[field];
    std::printf("%-9s %6zu %6zu %8zu %7zu %8zu %6.1f%%\n", field, s.right, s.wrong, s.missing,
                s.scored(), s.skipped, s.percent());
  }
  if (requests) {
    // The same recordings with the plugins alone: the difference per device
    // is what the definitions add.
    auto bare = MeasureAccuracy(corpus, MakeBuiltinPlugins(), disagreements);
    if (!bare.ok()) {
      std::fprintf(stderr, "snmp_accuracy: %s\n", bare.status().ToString().c_str());
      return 1;
    }
    std::map<std::string, size_t> before;
    for (const auto& d : bare->devices) before[d.name] = d.requests;
    auto summary = [&](const char* label, bool net_snmp_only) {
      std::vector<size_t> with, without;
      std::vector<long> extra;
      for (const auto& d : report->devices) {
        if (net_snmp_only && d.enterprise != 8072) continue;
        with.push_back(d.requests);
        without.push_back(before[d.name]);
        extra.push_back(static_cast<long>(d.requests) - static_cast<long>(before[d.name]));
      }
      if (with.empty()) return;
      auto median = [](auto v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
      };
      double total_extra = 0;
      for (long e : extra) total_extra += e;
      std::printf(
          "requests per device, %-22s %4zu devices: plugins only median %zu, with definitions "
          "median %zu; added by definitions: median %ld, mean %.2f, max %ld\n",
          label, with.size(), median(without), median(with), median(extra),
          total_extra / extra.size(), *std::max_element(extra.begin(), extra.end()));
    };
    summary("all recordings", false);
    summary("net-snmp (8072) agents", true);
  }
  return 0;
}
