#include "estate/proto_json.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/reflection.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <unordered_map>

#include "estate/text.h"

namespace estate {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// "ObservationSource" -> "OBSERVATION_SOURCE_".
std::string EnumPrefix(const std::string& type_name) {
  std::string out;
  for (size_t i = 0; i < type_name.size(); ++i) {
    char c = type_name[i];
    if (i > 0 && std::isupper(static_cast<unsigned char>(c))) out += '_';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  out += '_';
  return out;
}

const std::string& EnumName(const FieldDescriptor* f,
                            const google::protobuf::EnumValueDescriptor* value) {
  thread_local std::unordered_map<const google::protobuf::EnumValueDescriptor*, std::string> names;
  auto [it, fresh] = names.try_emplace(value);
  if (fresh) it->second = ShortEnumName(f->enum_type()->name(), value->name());
  return it->second;
}

nlohmann::json ScalarToJson(const Message& message, const Reflection* r, const FieldDescriptor* f,
                            int index) {
  const bool repeated = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return repeated ? r->GetRepeatedInt32(message, f, index) : r->GetInt32(message, f);
    case FieldDescriptor::CPPTYPE_INT64:
      return repeated ? r->GetRepeatedInt64(message, f, index) : r->GetInt64(message, f);
    case FieldDescriptor::CPPTYPE_UINT32:
      return repeated ? r->GetRepeatedUInt32(message, f, index) : r->GetUInt32(message, f);
    case FieldDescriptor::CPPTYPE_UINT64:
      return repeated ? r->GetRepeatedUInt64(message, f, index) : r->GetUInt64(message, f);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return repeated ? r->GetRepeatedDouble(message, f, index) : r->GetDouble(message, f);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return repeated ? r->GetRepeatedFloat(message, f, index) : r->GetFloat(message, f);
    case FieldDescriptor::CPPTYPE_BOOL:
      return repeated ? r->GetRepeatedBool(message, f, index) : r->GetBool(message, f);
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value = repeated ? r->GetRepeatedEnum(message, f, index) : r->GetEnum(message, f);
      return EnumName(f, value);
    }
    case FieldDescriptor::CPPTYPE_STRING:
      // Bytes from devices and files may not be UTF-8; JSON must be.
      return SanitizeUtf8(repeated ? r->GetRepeatedString(message, f, index)
                                   : r->GetString(message, f));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return ProtoToJson(repeated ? r->GetRepeatedMessage(message, f, index)
                                  : r->GetMessage(message, f));
  }
  return nullptr;
}

// A singular field without presence left at its default (empty, 0, false,
// the enum's 0 value): omitted, and not converted only to be dropped.
bool IsDefault(const Message& message, const Reflection* r, const FieldDescriptor* f) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return r->GetInt32(message, f) == 0;
    case FieldDescriptor::CPPTYPE_INT64:
      return r->GetInt64(message, f) == 0;
    case FieldDescriptor::CPPTYPE_UINT32:
      return r->GetUInt32(message, f) == 0;
    case FieldDescriptor::CPPTYPE_UINT64:
      return r->GetUInt64(message, f) == 0;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return r->GetDouble(message, f) == 0;
    case FieldDescriptor::CPPTYPE_FLOAT:
      return r->GetFloat(message, f) == 0;
    case FieldDescriptor::CPPTYPE_BOOL:
      return !r->GetBool(message, f);
    case FieldDescriptor::CPPTYPE_ENUM:
      return r->GetEnumValue(message, f) == 0;
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      return r->GetStringReference(message, f, &scratch).empty();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return false;
  }
  return false;
}

template <typename T>
void AppendNumber(T value, std::string* out) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out->append(buf, ec == std::errc() ? end : buf);
}

void AppendDouble(double value, std::string* out) {
  if (!std::isfinite(value)) {
    *out += "null";  // as nlohmann::json prints NaN and infinities
    return;
  }
  AppendNumber(value, out);
}

void AppendScalar(const Message& message, const Reflection* r, const FieldDescriptor* f, int index,
                  std::string* out) {
  const bool repeated = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return AppendNumber(
          repeated ? r->GetRepeatedInt32(message, f, index) : r->GetInt32(message, f), out);
    case FieldDescriptor::CPPTYPE_INT64:
      return AppendNumber(
          repeated ? r->GetRepeatedInt64(message, f, index) : r->GetInt64(message, f), out);
    case FieldDescriptor::CPPTYPE_UINT32:
      return AppendNumber(
          repeated ? r->GetRepeatedUInt32(message, f, index) : r->GetUInt32(message, f), out);
    case FieldDescriptor::CPPTYPE_UINT64:
      return AppendNumber(
          repeated ? r->GetRepeatedUInt64(message, f, index) : r->GetUInt64(message, f), out);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return AppendDouble(
          repeated ? r->GetRepeatedDouble(message, f, index) : r->GetDouble(message, f), out);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return AppendDouble(
          repeated ? r->GetRepeatedFloat(message, f, index) : r->GetFloat(message, f), out);
    case FieldDescriptor::CPPTYPE_BOOL:
      *out += (repeated ? r->GetRepeatedBool(message, f, index) : r->GetBool(message, f)) ? "true"
                                                                                          : "false";
      return;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value = repeated ? r->GetRepeatedEnum(message, f, index) : r->GetEnum(message, f);
      return AppendJsonString(EnumName(f, value), out);
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      return AppendJsonString(repeated ? r->GetRepeatedStringReference(message, f, index, &scratch)
                                       : r->GetStringReference(message, f, &scratch),
                              out);
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return AppendProtoJson(
          repeated ? r->GetRepeatedMessage(message, f, index) : r->GetMessage(message, f), out);
  }
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string repaired;
  std::string_view s = text;
  for (unsigned char c : text) {
    if (c >= 0x80) {  // only non-ASCII text can be invalid UTF-8
      repaired = SanitizeUtf8(text);
      s = repaired;
      break;
    }
  }
  out->reserve(out->size() + s.size() + 2);
  *out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          *out += kHex[c >> 4];
          *out += kHex[c & 0xf];
        } else {
          *out += static_cast<char>(c);
        }
    }
  }
  *out += '"';
}

void AppendProtoJson(const Message& message, std::string* out) {
  const auto* descriptor = message.GetDescriptor();
  const auto* r = message.GetReflection();
  *out += '{';
  bool first = true;
  auto key = [&](const FieldDescriptor* f) {
    if (!first) *out += ',';
    first = false;
    AppendJsonString(f->name(), out);
    *out += ':';
  };
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* f = descriptor->field(i);
    if (f->is_map()) {
      const int n = r->FieldSize(message, f);
      if (n == 0) continue;
      key(f);
      // Sorted and unique by key, as a JSON object built from the map would be.
      std::map<std::string, std::string> entries;
      for (int j = 0; j < n; ++j) {
        const Message& entry = r->GetRepeatedMessage(message, f, j);
        const auto* er = entry.GetReflection();
        const auto* kf = entry.GetDescriptor()->map_key();
        const auto* vf = entry.GetDescriptor()->map_value();
        std::string k, v;
        if (kf->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          k = er->GetString(entry, kf);
        } else {
          AppendScalar(entry, er, kf, 0, &k);
        }
        AppendScalar(entry, er, vf, 0, &v);
        entries[std::move(k)] = std::move(v);
      }
      *out += '{';
      bool first_entry = true;
      for (const auto& [k, v] : entries) {
        if (!first_entry) *out += ',';
        first_entry = false;
        AppendJsonString(k, out);
        *out += ':';
        *out += v;
      }
      *out += '}';
    } else if (f->is_repeated()) {
      const int n = r->FieldSize(message, f);
      if (n == 0) continue;
      key(f);
      *out += '[';
      for (int j = 0; j < n; ++j) {
        if (j > 0) *out += ',';
        AppendScalar(message, r, f, j, out);
      }
      *out += ']';
    } else if (f->has_presence() ? r->HasField(message, f) : !IsDefault(message, r, f)) {
      key(f);
      AppendScalar(message, r, f, 0, out);
    }
  }
  *out += '}';
}

std::string ShortEnumName(const std::string& type_name, const std::string& value_name) {
  const std::string prefix = EnumPrefix(type_name);
  std::string_view v = value_name;
  if (v.substr(0, prefix.size()) == prefix) v.remove_prefix(prefix.size());
  std::string out;
  for (char c : v) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

nlohmann::json ProtoToJson(const Message& message) {
  nlohmann::json out = nlohmann::json::object();
  const auto* descriptor = message.GetDescriptor();
  const auto* r = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* f = descriptor->field(i);
    if (f->is_map()) {
      nlohmann::json obj = nlohmann::json::object();
      for (int j = 0; j < r->FieldSize(message, f); ++j) {
        const Message& entry = r->GetRepeatedMessage(message, f, j);
        const auto* er = entry.GetReflection();
        const auto* kf = entry.GetDescriptor()->map_key();
        const auto* vf = entry.GetDescriptor()->map_value();
        std::string key = kf->cpp_type() == FieldDescriptor::CPPTYPE_STRING
                              ? er->GetString(entry, kf)
                              : ScalarToJson(entry, er, kf, 0).dump();
        obj[key] = ScalarToJson(entry, er, vf, 0);
      }
      if (!obj.empty()) out[f->name()] = std::move(obj);
    } else if (f->is_repeated()) {
      const int n = r->FieldSize(message, f);
      if (n == 0) continue;
      nlohmann::json arr = nlohmann::json::array();
      for (int j = 0; j < n; ++j) arr.push_back(ScalarToJson(message, r, f, j));
      out[f->name()] = std::move(arr);
    } else if (f->has_presence()) {
      if (r->HasField(message, f)) out[f->name()] = ScalarToJson(message, r, f, 0);
    } else if (!IsDefault(message, r, f)) {
      out[f->name()] = ScalarToJson(message, r, f, 0);
    }
  }
  return out;
}

}  // namespace estate
