#include "plugins/snmp/mib_view.h"

#include <arpa/inet.h>

#include "estate/text.h"

namespace estate::plugins::snmp {

void MibView::Insert(VarBind vb) {
  if (vb.IsException()) return;
  if (auto it = map_.find(vb.oid); it != map_.end()) map_.erase(it);
  map_.insert(std::move(vb));
}

const VarBind* MibView::Get(const Oid& oid) const {
  auto it = map_.find(oid);
  return it == map_.end() ? nullptr : &*it;
}

std::vector<const VarBind*> MibView::Subtree(const Oid& root) const {
  std::vector<const VarBind*> out;
  for (auto it = map_.upper_bound(root); it != map_.end() && it->oid.StartsWith(root); ++it) {
    out.push_back(&*it);
  }
  return out;
}

bool MibView::HasSubtree(const Oid& root) const {
  auto it = map_.upper_bound(root);
  return it != map_.end() && it->oid.StartsWith(root);
}

void MibView::EraseSubtree(const Oid& root) {
  auto first = map_.upper_bound(root);
  auto last = first;
  while (last != map_.end() && last->oid.StartsWith(root)) ++last;
  map_.erase(first, last);
}

std::string OctetsToText(const std::string& bytes) {
  std::string_view v = bytes;
  while (!v.empty() && v.back() == '\0') v.remove_suffix(1);
  return std::string(Trim(SanitizeUtf8(v)));
}

std::optional<std::string> OctetsToMac(const std::string& bytes) {
  if (bytes.size() == 6) return FormatMac(reinterpret_cast<const uint8_t*>(bytes.data()));
  // Display-hinted text ("0:1a:2b:3c:4d:5e") from walk files.
  auto parts = Split(bytes, ':');
  if (parts.size() != 6) return std::nullopt;
  uint8_t raw[6];
  for (size_t i = 0; i < 6; ++i) {
    auto p = Trim(parts[i]);
    if (p.empty() || p.size() > 2) return std::nullopt;
    unsigned v = 0;
    for (char c : p) {
      int d = (c >= '0' && c <= '9')   ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(d);
    }
    raw[i] = static_cast<uint8_t>(v);
  }
  return FormatMac(raw);
}

std::optional<std::string> OctetsToIp(const std::string& bytes) {
  char buf[INET6_ADDRSTRLEN];
  if (bytes.size() == 4 && inet_ntop(AF_INET, bytes.data(), buf, sizeof buf)) return buf;
  if (bytes.size() == 16 && inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf)) return buf;
  return std::nullopt;
}

std::optional<std::string> ArcsToIp(const std::vector<uint32_t>& arcs, size_t begin, size_t count) {
  if (begin + count > arcs.size() || (count != 4 && count != 16)) return std::nullopt;
  std::string bytes;
  for (size_t i = begin; i < begin + count; ++i) {
    if (arcs[i] > 255) return std::nullopt;
    bytes.push_back(static_cast<char>(arcs[i]));
  }
  return OctetsToIp(bytes);
}

void MibReader::Warn(const std::string& message) {
  if (device_->warnings_size() < 200) device_->add_warnings(message);
}

void MibReader::WrongType(const Oid& column, const VarBind& vb, const char* expected) {
  if (!warned_columns_.insert(column).second) return;
  Warn("wrong type at " + vb.oid.ToString() + ": expected " + expected + ", got " +
       ValueTypeName(vb.type) + " (ignored)");
}

std::optional<std::string> MibReader::CellBytes(const Oid& column, const VarBind* vb) {
  if (!vb) return std::nullopt;
  if (vb->type != ValueType::kOctetString && vb->type != ValueType::kOpaque) {
    WrongType(column, *vb, "OCTET STRING");
    return std::nullopt;
  }
  return vb->bytes;
}

std::optional<std::string> MibReader::CellText(const Oid& column, const VarBind* vb) {
  auto bytes = CellBytes(column, vb);
  if (!bytes) return std::nullopt;
  std::string text = OctetsToText(*bytes);
  if (text.empty()) return std::nullopt;
  return text;
}

std::optional<int64_t> MibReader::CellInt(const Oid& column, const VarBind* vb) {
  if (!vb) return std::nullopt;
  if (!vb->IsNumeric()) {
    WrongType(column, *vb, "a number");
    return std::nullopt;
  }
  return vb->number;
}

std::optional<std::string> MibReader::Bytes(const Oid& oid) {
  return CellBytes(oid, view_.Get(oid));
}
std::optional<std::string> MibReader::Text(const Oid& oid) { return CellText(oid, view_.Get(oid)); }
std::optional<int64_t> MibReader::Int(const Oid& oid) { return CellInt(oid, view_.Get(oid)); }

std::optional<Oid> MibReader::ObjectId(const Oid& oid) {
  const VarBind* vb = view_.Get(oid);
  if (!vb) return std::nullopt;
  if (vb->type != ValueType::kObjectId) {
    WrongType(oid, *vb, "OBJECT IDENTIFIER");
    return std::nullopt;
  }
  return vb->oid_value;
}

std::vector<ColumnCell> MibReader::Column(const Oid& column) const {
  std::vector<ColumnCell> out;
  for (const VarBind* vb : view_.Subtree(column)) {
    out.emplace_back(vb->oid.SuffixAfter(column), vb);
  }
  return out;
}

}  // namespace estate::plugins::snmp
