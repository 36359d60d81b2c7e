// snmp_accuracy: identification accuracy over a corpus of recordings.
//   build/tests/plugins/snmp/snmp_accuracy [--corpus DIR] [--definitions DIR|none]
//       [--disagreements FILE] [--details] [--field F]
// Prints per field right/wrong/missing (and skipped: not in the recording or
// a recorded disagreement) with totals; --details adds one line per device
// and field that is not right.
#include <cstdio>
#include <cstring>
#include <string>

#include "plugins/snmp/definitions.h"
#include "tests/plugins/snmp/identification_accuracy.h"

using namespace estate::plugins::snmp;

int main(int argc, char** argv) {
  std::string corpus = DefaultCorpusDir();
  std::string definitions = ESTATE_SOURCE_DIR "/share/snmp";
  std::string disagreements = ESTATE_SOURCE_DIR "/tests/fixtures/snmp/corpus_disagreements.tsv";
  std::string only_field;
  bool details = false;
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
    } else {
      std::fprintf(stderr,
                   "usage: snmp_accuracy [--corpus DIR] [--definitions DIR|none] "
                   "[--disagreements FILE] [--details] [--field F]\n");
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
  return 0;
}
