// Identification accuracy over recorded devices: each NAME.snmprec in a
// corpus directory is inventoried offline (the same DeviceCollector as `scan
// snmp --snmprec`) and its vendor, model, serial, firmware and type compared
// with the expected values in NAME.json (LibreNMS's discovery:
// os.discovery.devices[0] hardware, serial, version, type).
//
// A field counts only where the recording holds the expected value somewhere
// (a value LibreNMS derived from its own tables cannot be asked of a device),
// and where disagreements.tsv does not record that the expected value is a
// description or placeholder rather than the device's value.
#ifndef ESTATE_TESTS_PLUGINS_SNMP_IDENTIFICATION_ACCURACY_H_
#define ESTATE_TESTS_PLUGINS_SNMP_IDENTIFICATION_ACCURACY_H_

#include <map>
#include <string>
#include <vector>

#include "estate/status.h"
#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

struct FieldScore {
  size_t right = 0, wrong = 0, missing = 0;
  size_t skipped = 0;  // not in the recording, or a recorded disagreement
  size_t scored() const { return right + wrong + missing; }
  double percent() const { return scored() ? 100.0 * right / scored() : 0.0; }
};

struct DeviceOutcome {
  std::string name;
  // field -> "right" | "wrong" | "missing" | "skipped", with ours and expected.
  struct Field {
    std::string verdict, ours, expected;
  };
  std::map<std::string, Field> fields;
  size_t requests = 0;      // SNMP requests the inventory took
  uint32_t enterprise = 0;  // from sysObjectID (8072: a net-snmp agent)
};

struct AccuracyReport {
  std::map<std::string, FieldScore> fields;  // vendor, model, serial, firmware, type
  std::vector<DeviceOutcome> devices;
  size_t recordings = 0;
};

// `disagreements`: "NAME<TAB>FIELD<TAB>why" lines (# comments), the expected
// values the project does not follow.
Result<AccuracyReport> MeasureAccuracy(const std::string& corpus_dir, const PluginRegistry& plugins,
                                       const std::string& disagreements_path);

// The corpus beside the clone (../shared/fixtures/snmp-corpus, as CI has it)
// or beside a worktree (../../shared/...); "" when neither exists.
std::string DefaultCorpusDir();

// The LibreNMS device category an Estate type belongs to (switch -> network).
std::string LibrenmsCategory(const std::string& estate_type);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_TESTS_PLUGINS_SNMP_IDENTIFICATION_ACCURACY_H_
