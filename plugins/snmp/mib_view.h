// MibView: everything fetched from one device (or one of its contexts), kept
// ordered by OID, and MibReader, typed access to it for the MIB mappers.
//
// MibView owns its VarBinds. MibReader borrows a view and the device being
// filled; a value of the wrong type is treated as absent and reported once per
// column as a warning on that device. Neither is thread-safe.
#ifndef ESTATE_PLUGINS_SNMP_MIB_VIEW_H_
#define ESTATE_PLUGINS_SNMP_MIB_VIEW_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "estate/v1/observations.pb.h"
#include "plugins/snmp/oid.h"
#include "plugins/snmp/varbind.h"

namespace estate::plugins::snmp {

class MibView {
 public:
  // Replaces any value already held for the same OID. Exceptions
  // (noSuchObject, endOfMibView) are not stored.
  void Insert(VarBind vb);
  const VarBind* Get(const Oid& oid) const;
  // The bindings strictly below `root`, in OID order.
  std::vector<const VarBind*> Subtree(const Oid& root) const;
  bool HasSubtree(const Oid& root) const;
  // Drops everything below `root` (once mapped, to bound memory).
  void EraseSubtree(const Oid& root);
  size_t size() const { return map_.size(); }

 private:
  // Ordered by the VarBind's own OID: no second copy of every OID as a key.
  struct ByOid {
    using is_transparent = void;
    bool operator()(const VarBind& a, const VarBind& b) const { return a.oid < b.oid; }
    bool operator()(const VarBind& a, const Oid& b) const { return a.oid < b; }
    bool operator()(const Oid& a, const VarBind& b) const { return a < b.oid; }
  };
  std::set<VarBind, ByOid> map_;
};

// One row cell of a table column: the row index (arcs after the column OID).
using ColumnCell = std::pair<std::vector<uint32_t>, const VarBind*>;

class MibReader {
 public:
  MibReader(const MibView& view, v1::NetworkDevice* device) : view_(view), device_(device) {}

  const MibView& view() const { return view_; }

  // Octet-string bytes as sent.
  std::optional<std::string> Bytes(const Oid& oid);
  // Octet string as display text: UTF-8 sanitized, trimmed; nullopt when empty.
  std::optional<std::string> Text(const Oid& oid);
  // Integer of any numeric SNMP type.
  std::optional<int64_t> Int(const Oid& oid);
  std::optional<Oid> ObjectId(const Oid& oid);

  // Cells of one column, in row order.
  std::vector<ColumnCell> Column(const Oid& column) const;
  // Typed cell accessors for rows found with Column(); wrong types warn once per column.
  std::optional<std::string> CellText(const Oid& column, const VarBind* vb);
  std::optional<std::string> CellBytes(const Oid& column, const VarBind* vb);
  std::optional<int64_t> CellInt(const Oid& column, const VarBind* vb);

  void Warn(const std::string& message);

 private:
  void WrongType(const Oid& column, const VarBind& vb, const char* expected);

  const MibView& view_;
  v1::NetworkDevice* device_;
  std::set<Oid> warned_columns_;
};

// Display text from raw octets: sanitized UTF-8, trimmed, trailing NULs dropped.
std::string OctetsToText(const std::string& bytes);
// A MAC from 6 raw bytes or a "0:1a:2b:.." display string; nullopt otherwise.
std::optional<std::string> OctetsToMac(const std::string& bytes);
// Dotted IPv4 from 4 bytes, RFC 5952 text from 16 bytes; nullopt otherwise.
std::optional<std::string> OctetsToIp(const std::string& bytes);
// An IP address from index arcs (4 arcs, or 16 arcs for IPv6).
std::optional<std::string> ArcsToIp(const std::vector<uint32_t>& arcs, size_t begin, size_t count);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_MIB_VIEW_H_
