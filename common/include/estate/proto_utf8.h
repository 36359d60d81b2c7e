// UTF-8 repair of protobuf messages. proto3 `string` fields must hold valid
// UTF-8: a message built from host text that is not (a Latin-1 host name or
// package version) serializes, but every parser, the collector's included,
// refuses it. These helpers find such fields and replace the bad bytes with
// U+FFFD (estate::ReplaceInvalidUtf8), either on a message in memory or on
// serialized bytes that a strict parse refuses. Pure functions; thread-safe
// on distinct messages.
#ifndef ESTATE_PROTO_UTF8_H_
#define ESTATE_PROTO_UTF8_H_

#include <google/protobuf/message.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate {

// Called once per repaired string with its path below the message given,
// e.g. "hostname" or "software[openssl].version" (an element of a repeated
// message is named by its `name` field when it has one, else by its index).
using Utf8RepairCallback = std::function<void(const std::string& path)>;

// Repairs every string field of `message`, recursively. Returns how many
// strings were repaired; `on_repair` may be empty.
size_t RepairUtf8Fields(google::protobuf::Message* message,
                        const Utf8RepairCallback& on_repair = nullptr);

// The same for one field of `message`; for a repeated field only the elements
// [begin, end) (clamped to its size), so a caller can check what was appended.
size_t RepairUtf8Field(google::protobuf::Message* message,
                       const google::protobuf::FieldDescriptor* field, int begin, int end,
                       const Utf8RepairCallback& on_repair = nullptr);

// Rewrites `wire`, the serialization of a message of `type`, with the string
// fields repaired, so that it parses. Unknown fields are kept as they are.
// Corruption when `wire` is not a protobuf encoding at all. `repaired` (when
// given) receives the number of strings repaired.
Result<std::string> RepairUtf8Wire(std::string_view wire, const google::protobuf::Descriptor& type,
                                   size_t* repaired = nullptr);

}  // namespace estate

#endif  // ESTATE_PROTO_UTF8_H_
