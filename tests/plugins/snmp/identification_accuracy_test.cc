// Keeps identification accuracy over the LibreNMS corpus from falling back:
// every shipped definition and plugin change is measured against 503 real
// devices. The corpus is not copied into the repository (41 MB, GPL-3.0); it
// is read from ../shared/fixtures/snmp-corpus beside the clone (CI has it
// there) and the test skips, saying so, when it is absent.
// `build/tests/plugins/snmp/snmp_accuracy --details` shows what is not right.
#include "tests/plugins/snmp/identification_accuracy.h"

#include <gtest/gtest.h>

#include "plugins/snmp/definitions.h"

namespace estate::plugins::snmp {
namespace {

// The figures reached (percent right of the devices whose recording holds
// the expected value). Raise them with the definitions; never lower them.
constexpr double kModelFloor = 90.0;
constexpr double kSerialFloor = 90.0;
constexpr double kFirmwareFloor = 90.0;
constexpr double kTypeFloor = 90.0;

TEST(IdentificationAccuracy, StaysAtOrAboveTheFloorsOverTheCorpus) {
  const std::string corpus = DefaultCorpusDir();
  if (corpus.empty()) {
    GTEST_SKIP() << "no corpus at ../shared/fixtures/snmp-corpus beside the source tree; "
                    "accuracy not measured";
  }
  PluginRegistry plugins = MakeBuiltinPlugins();
  auto set = DefinitionSet::Load(ESTATE_SOURCE_DIR "/share/snmp", "");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  plugins.SetDefinitions(std::make_shared<const DefinitionSet>(std::move(*set)));
  auto report = MeasureAccuracy(corpus, plugins,
                                ESTATE_SOURCE_DIR "/tests/fixtures/snmp/corpus_disagreements.tsv");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_GE(report->recordings, 500u);
  auto& f = report->fields;
  EXPECT_GE(f["model"].percent(), kModelFloor) << f["model"].right << "/" << f["model"].scored();
  EXPECT_GE(f["serial"].percent(), kSerialFloor)
      << f["serial"].right << "/" << f["serial"].scored();
  EXPECT_GE(f["firmware"].percent(), kFirmwareFloor)
      << f["firmware"].right << "/" << f["firmware"].scored();
  EXPECT_GE(f["type"].percent(), kTypeFloor) << f["type"].right << "/" << f["type"].scored();
  // Nothing right would hide behind "scored nothing".
  EXPECT_GE(f["model"].scored(), 200u);
  EXPECT_GE(f["serial"].scored(), 150u);
  EXPECT_GE(f["firmware"].scored(), 250u);
}

}  // namespace
}  // namespace estate::plugins::snmp
