#include "estate/proto_utf8.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>

#include <algorithm>

#include "estate/utf8.h"

namespace estate {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

// Protobuf's own default recursion limit: deeper is not a message we wrote.
constexpr int kMaxDepth = 100;

// Where the walk is, as a chain through the stack: the path is only spelled
// out when a repair is reported, so a clean message costs no string building.
struct PathNode {
  const PathNode* parent;
  const FieldDescriptor* field;
  int index;               // element of a repeated field, -1 for a singular one
  const Message* element;  // that element when it is a message (for its name)
};

std::string ElementLabel(const PathNode& node) {
  if (node.element != nullptr) {
    const FieldDescriptor* name = node.element->GetDescriptor()->FindFieldByName("name");
    if (name != nullptr && name->type() == FieldDescriptor::TYPE_STRING && !name->is_repeated()) {
      std::string scratch;
      const std::string& value =
          node.element->GetReflection()->GetStringReference(*node.element, name, &scratch);
      if (!value.empty()) return ReplaceInvalidUtf8(value);
    }
  }
  return std::to_string(node.index);
}

std::string RenderPath(const PathNode* node) {
  std::string path;
  for (; node != nullptr; node = node->parent) {
    std::string part = node->field->name();
    if (node->index >= 0) part += "[" + ElementLabel(*node) + "]";
    path = path.empty() ? part : part + "." + path;
  }
  return path;
}

size_t RepairMessage(Message* message, const PathNode* parent, int depth,
                     const Utf8RepairCallback& on_repair);

size_t RepairFieldRange(Message* message, const FieldDescriptor* field, int begin, int end,
                        const PathNode* parent, int depth, const Utf8RepairCallback& on_repair) {
  const Reflection* reflection = message->GetReflection();
  size_t repaired = 0;
  if (field->type() == FieldDescriptor::TYPE_STRING) {
    std::string scratch;
    if (field->is_repeated()) {
      for (int i = begin; i < end; ++i) {
        const std::string& value =
            reflection->GetRepeatedStringReference(*message, field, i, &scratch);
        if (IsValidUtf8(value)) continue;
        reflection->SetRepeatedString(message, field, i, ReplaceInvalidUtf8(value));
        ++repaired;
        if (on_repair) {
          PathNode node{parent, field, i, nullptr};
          on_repair(RenderPath(&node));
        }
      }
    } else {
      const std::string& value = reflection->GetStringReference(*message, field, &scratch);
      if (!IsValidUtf8(value)) {
        reflection->SetString(message, field, ReplaceInvalidUtf8(value));
        ++repaired;
        if (on_repair) {
          PathNode node{parent, field, -1, nullptr};
          on_repair(RenderPath(&node));
        }
      }
    }
  } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth < kMaxDepth) {
    if (field->is_repeated()) {
      for (int i = begin; i < end; ++i) {
        Message* element = reflection->MutableRepeatedMessage(message, field, i);
        PathNode node{parent, field, i, element};
        repaired += RepairMessage(element, &node, depth + 1, on_repair);
      }
    } else if (reflection->HasField(*message, field)) {
      PathNode node{parent, field, -1, nullptr};
      repaired +=
          RepairMessage(reflection->MutableMessage(message, field), &node, depth + 1, on_repair);
    }
  }
  return repaired;
}

size_t RepairField(Message* message, const FieldDescriptor* field, const PathNode* parent,
                   int depth, const Utf8RepairCallback& on_repair) {
  const int size = field->is_repeated() ? message->GetReflection()->FieldSize(*message, field) : 1;
  return RepairFieldRange(message, field, 0, size, parent, depth, on_repair);
}

size_t RepairMessage(Message* message, const PathNode* parent, int depth,
                     const Utf8RepairCallback& on_repair) {
  const Descriptor* type = message->GetDescriptor();
  size_t repaired = 0;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->type() != FieldDescriptor::TYPE_STRING &&
        field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      continue;
    }
    repaired += RepairField(message, field, parent, depth, on_repair);
  }
  return repaired;
}

// Unknown-field view of the bytes: it parses whatever is well-formed wire
// format without the UTF-8 check, and serializes back in the same order.
bool RepairWire(UnknownFieldSet* fields, const Descriptor& type, int depth, size_t* repaired) {
  for (int i = 0; i < fields->field_count(); ++i) {
    UnknownField* field = fields->mutable_field(i);
    if (field->type() != UnknownField::TYPE_LENGTH_DELIMITED) continue;
    const FieldDescriptor* descriptor = type.FindFieldByNumber(field->number());
    if (descriptor == nullptr) continue;
    if (descriptor->type() == FieldDescriptor::TYPE_STRING) {
      if (!IsValidUtf8(field->length_delimited())) {
        *field->mutable_length_delimited() = ReplaceInvalidUtf8(field->length_delimited());
        ++*repaired;
      }
    } else if (descriptor->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (depth >= kMaxDepth) return false;
      UnknownFieldSet nested;
      if (!nested.ParseFromString(field->length_delimited())) return false;
      if (!RepairWire(&nested, *descriptor->message_type(), depth + 1, repaired)) return false;
      std::string bytes;
      if (!nested.SerializeToString(&bytes)) return false;
      *field->mutable_length_delimited() = std::move(bytes);
    }
  }
  return true;
}

}  // namespace

size_t RepairUtf8Fields(Message* message, const Utf8RepairCallback& on_repair) {
  return RepairMessage(message, nullptr, 0, on_repair);
}

size_t RepairUtf8Field(Message* message, const FieldDescriptor* field, int begin, int end,
                       const Utf8RepairCallback& on_repair) {
  if (field->is_repeated()) {
    const int size = message->GetReflection()->FieldSize(*message, field);
    begin = std::max(begin, 0);
    end = std::min(end, size);
  } else {
    begin = 0;
    end = 1;
  }
  return RepairFieldRange(message, field, begin, end, nullptr, 0, on_repair);
}

Result<std::string> RepairUtf8Wire(std::string_view wire, const Descriptor& type,
                                   size_t* repaired) {
  UnknownFieldSet fields;
  if (!fields.ParseFromArray(wire.data(), static_cast<int>(wire.size()))) {
    return Status::Corruption("not a protobuf encoding of " + type.full_name());
  }
  size_t count = 0;
  if (!RepairWire(&fields, type, 0, &count)) {
    return Status::Corruption("a field of " + type.full_name() + " is not a valid submessage");
  }
  if (repaired != nullptr) *repaired = count;
  std::string out;
  if (!fields.SerializeToString(&out)) {
    return Status::Corruption("cannot re-encode " + type.full_name());
  }
  return out;
}

}  // namespace estate
