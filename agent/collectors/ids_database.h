// IdsDatabase: vendor, device and class names from the pci.ids / usb.ids
// files (Debian packages pci.ids and usb.ids, /usr/share/misc). Both share
// one format: "vvvv  Vendor", "\tdddd  Device", "\t\tssss ssss  Subsystem",
// and pci.ids adds "C cc  Class" / "\tss  Subclass".
//
// Only the vendors asked for are kept, so parsing the 1.3 MB file costs one
// pass and little memory. Immutable after Parse; thread-safe.
#ifndef ESTATE_AGENT_COLLECTORS_IDS_DATABASE_H_
#define ESTATE_AGENT_COLLECTORS_IDS_DATABASE_H_

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate::agent {

class IdsDatabase {
 public:
  // `vendors`: lower-case 4-digit hex ids whose names and devices are kept.
  static IdsDatabase Parse(std::string_view text, const std::set<std::string>& vendors);
  // The same over a file read through a fixed buffer: the 1.3 MB pci.ids is
  // never resident whole (the agent's 10 MB RSS budget).
  static Result<IdsDatabase> ParseFile(const std::string& path,
                                       const std::set<std::string>& vendors);

  // Empty when unknown. Ids are lower-case hex without "0x".
  std::string Vendor(const std::string& vendor) const;
  std::string Device(const std::string& vendor, const std::string& device) const;
  // PCI class ("02") and subclass ("00"): the subclass name, else the class name.
  std::string Class(const std::string& class_id, const std::string& subclass_id) const;

 private:
  std::map<std::string, std::string> vendors_;
  std::map<std::string, std::string> devices_;  // "vvvv:dddd"
  std::map<std::string, std::string> classes_;  // "cc" and "cc:ss"

  // Where a pass over the lines stands.
  struct Cursor {
    std::string vendor;    // current vendor when it is one we keep
    std::string class_id;  // current class inside the "C" section
    bool in_classes = false;
  };
  void Line(std::string_view line, const std::set<std::string>& vendors, Cursor* at);
};

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_IDS_DATABASE_H_
