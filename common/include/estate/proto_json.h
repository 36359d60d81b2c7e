// Renders any Estate protobuf message as JSON with its snake_case field names.
//
// Unlike protobuf's own JSON printer, 64-bit integers come out as JSON numbers
// (sizes in bytes and epoch times are what users script against), enum values
// as lower-case names without their type prefix, and empty scalars, lists and
// unset sub-messages are left out so the output shows what is known.
#ifndef ESTATE_PROTO_JSON_H_
#define ESTATE_PROTO_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace google::protobuf {
class Message;
}

namespace estate {

nlohmann::json ProtoToJson(const google::protobuf::Message& message);

// The same JSON as ProtoToJson(message).dump(), written straight into `out`
// (fields in declaration order rather than sorted): a host's facts hold
// thousands of values, and building a tree of them costs ten times more.
void AppendProtoJson(const google::protobuf::Message& message, std::string* out);

// `text` as a JSON string literal, quotes included (invalid UTF-8 repaired).
void AppendJsonString(std::string_view text, std::string* out);

// The short enum name: OBSERVATION_SOURCE_ARP_SWEEP of ObservationSource -> "arp_sweep".
std::string ShortEnumName(const std::string& type_name, const std::string& value_name);

}  // namespace estate

#endif  // ESTATE_PROTO_JSON_H_
