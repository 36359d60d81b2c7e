#include "estate/proto_json.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/reflection.h>

#include <cctype>
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
      // Named once per value: rendering a host's facts meets the same few thousands of times.
      thread_local std::unordered_map<const google::protobuf::EnumValueDescriptor*, std::string>
          names;
      auto [it, fresh] = names.try_emplace(value);
      if (fresh) it->second = ShortEnumName(f->enum_type()->name(), value->name());
      return it->second;
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

}  // namespace

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
