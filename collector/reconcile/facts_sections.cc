#include "collector/reconcile/facts_sections.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>
#include <map>

namespace estate::collector {
namespace {

using google::protobuf::MessageLite;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedOutputStream;

void WriteString(CodedOutputStream& out, int field, const std::string& value) {
  WireFormatLite::WriteString(field, value, &out);
}

void WriteMessage(CodedOutputStream& out, int field, const MessageLite& value) {
  out.WriteTag(WireFormatLite::MakeTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  out.WriteVarint32(static_cast<uint32_t>(value.ByteSizeLong()));
  value.SerializeWithCachedSizes(&out);
}

template <typename Repeated>
void WriteMessages(CodedOutputStream& out, int field, const Repeated& values) {
  for (const auto& v : values) WriteMessage(out, field, v);
}

}  // namespace

const std::vector<int>& SectionFields() {
  static const std::vector<int> fields = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 13,
                                          14, 15, 16, 17, 18, 19, 30, 40, 41, 42, 43, 44};
  return fields;
}

bool IsSectionField(int field) {
  const auto& fields = SectionFields();
  return std::binary_search(fields.begin(), fields.end(), field);
}

std::string SectionBytes(const v1::HostFacts& f, int field) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    CodedOutputStream out(&raw);
    switch (field) {
      case 1:
        if (!f.hostname().empty()) WriteString(out, field, f.hostname());
        break;
      case 2:
        if (!f.fqdn().empty()) WriteString(out, field, f.fqdn());
        break;
      case 3:
        if (!f.machine_id().empty()) WriteString(out, field, f.machine_id());
        break;
      case 4:
        if (!f.kernel().empty()) WriteString(out, field, f.kernel());
        break;
      case 5:
        if (f.has_system()) WriteMessage(out, field, f.system());
        break;
      case 6:
        if (f.has_dmi()) WriteMessage(out, field, f.dmi());
        break;
      case 7:
        if (f.has_cpu()) WriteMessage(out, field, f.cpu());
        break;
      case 8:
        if (f.has_memory()) WriteMessage(out, field, f.memory());
        break;
      case 9:
        if (f.has_storage()) WriteMessage(out, field, f.storage());
        break;
      case 10:
        if (f.has_network()) WriteMessage(out, field, f.network());
        break;
      case 11:
        if (f.has_os()) WriteMessage(out, field, f.os());
        break;
      case 13:
        WriteMessages(out, field, f.users());
        break;
      case 14:
        WriteMessages(out, field, f.groups());
        break;
      case 15:
        WriteMessages(out, field, f.sessions());
        break;
      case 16:
        WriteMessages(out, field, f.services());
        break;
      case 17:
        WriteMessages(out, field, f.listening());
        break;
      case 18:
        WriteMessages(out, field, f.pci_devices());
        break;
      case 19:
        WriteMessages(out, field, f.usb_devices());
        break;
      case 30:
        for (const auto& w : f.warnings()) WriteString(out, field, w);
        break;
      case 40:
        WriteMessages(out, field, f.monitors());
        break;
      case 41:
        WriteMessages(out, field, f.batteries());
        break;
      case 42:
        if (f.has_security()) WriteMessage(out, field, f.security());
        break;
      case 43:
        WriteMessages(out, field, f.printers());
        break;
      case 44:
        WriteMessages(out, field, f.guests());
        break;
      default:
        break;
    }
  }
  return bytes;
}

void PutSections(WriteBatch& batch, const std::string& asset_id, const std::string& node_id,
                 const v1::HostFacts& facts, const std::vector<int>& fields, uint64_t* present) {
  for (int field : fields) {
    if (!IsSectionField(field)) continue;
    const std::string bytes = SectionBytes(facts, field);
    if (bytes.empty()) {
      if (*present & FieldBit(field)) {
        batch.Delete(Table::kFacts, FactsSectionKey(asset_id, node_id, field));
      }
      *present &= ~FieldBit(field);
    } else {
      batch.Put(Table::kFacts, FactsSectionKey(asset_id, node_id, field), bytes);
      *present |= FieldBit(field);
    }
  }
}

void DeleteSections(WriteBatch& batch, const std::string& asset_id, const std::string& node_id,
                    uint64_t present) {
  for (int field : SectionFields()) {
    if (present & FieldBit(field)) {
      batch.Delete(Table::kFacts, FactsSectionKey(asset_id, node_id, field));
    }
  }
}

const std::vector<int>& TrackedFields() {
  static const std::vector<int> fields = {4, 6, 7, 8, 9, 10, 11};
  return fields;
}

const std::vector<std::string>& TrackedPrefixes(int field) {
  static const std::map<int, std::vector<std::string>> prefixes = {
      {4, {"os.kernel"}},      {6, {"hardware.dimm.", "hardware.serial"}},
      {7, {"hardware.cpu"}},   {8, {"hardware.memory"}},
      {9, {"hardware.disk."}}, {10, {"hardware.nic.", "network.ip."}},
      {11, {"os.name"}},
  };
  static const std::vector<std::string> none;
  auto it = prefixes.find(field);
  return it == prefixes.end() ? none : it->second;
}

TrackedFacts TrackedFactsOfField(const v1::Asset& asset, const v1::HostFacts& facts, int field,
                                 const GroupSet& groups) {
  TrackedFacts all = CollectTrackedFacts(asset, &facts, groups);
  TrackedFacts out;
  for (const std::string& prefix : TrackedPrefixes(field)) {
    for (auto it = all.lower_bound(prefix); it != all.end() && it->first.rfind(prefix, 0) == 0;
         ++it) {
      out.insert(*it);
    }
  }
  return out;
}

uint64_t TrackedDigest(const TrackedFacts& facts) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  for (const auto& [key, value] : facts) {
    mix(key);
    mix(value);
  }
  return h == 0 ? 1 : h;
}

}  // namespace estate::collector
