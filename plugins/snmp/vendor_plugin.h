// VendorPlugin: what one vendor adds to the standard MIBs — which extra
// subtrees to fetch, and how to read vendor, type, model, serial and firmware
// from them. PluginRegistry: the explicit list of plugins, built once by the
// caller (see builtin_plugins.cc) and passed by reference.
//
// Plugins are stateless and const; the registry is immutable once built, so
// both are safe to share between threads.
#ifndef ESTATE_PLUGINS_SNMP_VENDOR_PLUGIN_H_
#define ESTATE_PLUGINS_SNMP_VENDOR_PLUGIN_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "estate/v1/observations.pb.h"
#include "plugins/snmp/mib_view.h"
#include "plugins/snmp/oid.h"

namespace estate::plugins::snmp {

// One subtree to walk, in the default context or a VLAN context.
struct WalkStep {
  Oid root;
  std::string context;
};

// What identification (the system group) tells before the inventory walk.
struct DeviceIdent {
  Oid sys_object_id;
  std::string sys_descr;
};

// Everything fetched from one device.
struct DeviceData {
  MibView view;                             // default context
  std::map<std::string, MibView> contexts;  // VLAN -> that VLAN's context
  std::string snmp_version;
};

class VendorPlugin {
 public:
  virtual ~VendorPlugin() = default;
  virtual std::string_view Name() const = 0;
  virtual bool Matches(const DeviceIdent& ident) const = 0;
  // Vendor subtrees to walk in addition to the standard MIBs.
  virtual std::vector<WalkStep> Plan(const DeviceIdent& ident) const = 0;
  // Steps that depend on what the first walk returned (e.g. one per VLAN).
  virtual std::vector<WalkStep> FollowUp(const DeviceData& data) const {
    (void)data;
    return {};
  }
  // Runs after the standard mappers; overrides what the vendor MIBs know better.
  virtual void Apply(const DeviceData& data, MibReader& reader,
                     v1::NetworkDevice* device) const = 0;
};

class DefinitionSet;

// The vendor plugins and, when loaded, the data definitions (definitions.h);
// both are consulted for every device.
class PluginRegistry {
 public:
  void SetDefinitions(std::shared_ptr<const DefinitionSet> definitions) {
    definitions_ = std::move(definitions);
  }
  const DefinitionSet* definitions() const { return definitions_.get(); }

  void Add(std::unique_ptr<VendorPlugin> plugin) { plugins_.push_back(std::move(plugin)); }
  std::vector<const VendorPlugin*> Matching(const DeviceIdent& ident) const {
    std::vector<const VendorPlugin*> out;
    for (const auto& p : plugins_) {
      if (p->Matches(ident)) out.push_back(p.get());
    }
    return out;
  }
  size_t size() const { return plugins_.size(); }

 private:
  std::vector<std::unique_ptr<VendorPlugin>> plugins_;
  std::shared_ptr<const DefinitionSet> definitions_;
};

// builtin_plugins.cc: every vendor plugin shipped with Estate.
PluginRegistry MakeBuiltinPlugins();

// Helpers shared by plugins.
// The IANA enterprise number of an sysObjectID under 1.3.6.1.4.1, else 0.
uint32_t EnterpriseOf(const Oid& sys_object_id);
// "KEY:value" out of "A:1,KEY:value,B:2" style sysDescr fields (separators `seps`).
std::string FieldAfter(std::string_view text, std::string_view key, std::string_view seps);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDOR_PLUGIN_H_
