// DefinitionSet: device families described as data (snmp_definition.proto),
// loaded from the shipped directory and the user's override directory, and
// BrandTable, IANA registrant -> brand. Identification asks the set which
// definitions match a device (most specific first), which scalars they need
// fetched, and then fills vendor, type, model, serial, firmware and hardware
// revision from what was fetched.
//
// Immutable after Load; safe to share between threads.
#ifndef ESTATE_PLUGINS_SNMP_DEFINITIONS_H_
#define ESTATE_PLUGINS_SNMP_DEFINITIONS_H_

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"
#include "estate/v1/observations.pb.h"
#include "estate/v1/snmp_definition.pb.h"
#include "plugins/snmp/mib_view.h"
#include "plugins/snmp/oid.h"

namespace estate::plugins::snmp {

struct DeviceIdent;

// One field source with its OID and regex compiled.
struct CompiledSource {
  enum class Kind { kGet, kFirst, kSysDescr };
  Kind kind = Kind::kSysDescr;
  Oid oid;
  bool has_regex = false;
  std::regex regex;
  std::string format;  // "" = group 1 or the whole match
  std::map<int64_t, std::string> enums;
  std::map<std::string, std::string> text_map;
};

struct CompiledDefinition {
  std::string name;  // the file name without .textproto
  std::string path;  // where it was loaded from, for messages
  std::string brand;
  std::string type;
  std::vector<Oid> prefixes;
  std::vector<std::regex> descr;
  std::vector<std::regex> descr_not;
  std::vector<CompiledSource> model, serial, firmware, hardware_revision;
  std::vector<Oid> has_oid;
  int priority = 0;
};

// One match: how specific it is decides the order.
struct DefinitionMatch {
  const CompiledDefinition* definition;
  int score;  // longest matching sysObjectID prefix (arcs) * 4 + 2 if sysDescr matched
};

class BrandTable {
 public:
  static Result<BrandTable> Parse(std::string_view text, const std::string& path);
  // The brand for an enterprise number, "" when the table does not know it.
  std::string_view ForEnterprise(uint32_t number) const;
  // The brand's own spelling of `vendor` when it names a known brand or
  // alias (case-insensitive), else `vendor` unchanged.
  std::string Normalize(std::string_view vendor) const;
  size_t size() const { return by_name_.size(); }
  // `other`'s entries replace this table's.
  void Merge(const BrandTable& other);

 private:
  std::map<uint32_t, std::string> by_enterprise_;
  std::map<std::string, std::string> by_name_;  // lower-case name/alias -> brand
};

class DefinitionSet {
 public:
  // The shipped data: ${prefix}/share/estate/snmp (definitions/*.textproto,
  // brands.textproto), and the user's override directory.
  static const char* const kShippedDir;
  static const char* const kUserDir;

  // Loads `shipped`/definitions/*.textproto and `shipped`/brands.textproto,
  // then every *.textproto in `user_dir` (a missing user dir is not an
  // error): a user file named like a shipped one replaces it, others add;
  // a brands.textproto there adds to or overrides the shipped brand table.
  // A file that does not parse or validate is an error naming file:line.
  static Result<DefinitionSet> Load(const std::string& shipped, const std::string& user_dir);
  // One definition from text; `path` names it in errors.
  static Result<CompiledDefinition> ParseDefinition(std::string_view text, const std::string& path);

  void Add(CompiledDefinition definition);
  void SetBrands(BrandTable brands) { brands_ = std::move(brands); }

  // The matching definitions, most specific first.
  std::vector<DefinitionMatch> Match(const DeviceIdent& ident) const;
  // The subtrees whose presence confirms a match (has_oid), each once.
  static std::vector<Oid> Probes(const std::vector<DefinitionMatch>& matches);
  // The OIDs the matches read: exact instances to GET, columns to GETNEXT.
  void Scalars(const std::vector<DefinitionMatch>& matches, std::vector<Oid>* gets,
               std::vector<Oid>* nexts) const;
  // Drops the matches whose has_oid condition `view` does not satisfy.
  static void Confirm(const MibView& view, std::vector<DefinitionMatch>* matches);
  // Fills the identity fields the matches can source. A field a definition
  // yields replaces what the standard MIBs or plugins set. Vendor becomes the
  // brand: the definition's, else a plugin's, else the brand table's for the
  // enterprise, else the IANA `registrant` tidied (company form dropped).
  void Apply(const std::vector<DefinitionMatch>& matches, const MibView& view,
             std::string_view registrant, v1::NetworkDevice* device) const;
  const BrandTable& brands() const { return brands_; }
  size_t size() const { return definitions_.size(); }

 private:
  std::vector<std::unique_ptr<CompiledDefinition>> definitions_;
  BrandTable brands_;
};

// The value a source yields from `view` (and the sysDescr), "" when none.
std::string ResolveSource(const CompiledSource& source, const MibView& view,
                          std::string_view sys_descr);
// True for values devices use to mean "not set": "", "0", "N/A", "unknown",
// "To be filled by O.E.M.", all-zero or all-space serials...
bool IsPlaceholder(std::string_view value);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_DEFINITIONS_H_
