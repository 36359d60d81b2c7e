#include "collector/inventory/inventory_tree.h"

#include <expat.h>

#include "estate/text.h"

namespace estate::collector {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

struct XmlBuilder {
  XML_Parser parser = nullptr;
  InventoryTreeLimits limits;
  std::vector<InventoryNode*> open;  // the path from the root to the current element
  InventoryNode root;
  bool have_root = false;
  size_t nodes = 0;
  std::string error;

  void Fail(std::string why) {
    if (error.empty()) error = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
};

void OnStart(void* data, const XML_Char* name, const XML_Char**) {
  auto* b = static_cast<XmlBuilder*>(data);
  if (!b->error.empty()) return;
  if (b->open.size() >= b->limits.max_depth) {
    return b->Fail("elements nested deeper than " + std::to_string(b->limits.max_depth));
  }
  if (++b->nodes > b->limits.max_nodes) {
    return b->Fail("more than " + std::to_string(b->limits.max_nodes) + " elements");
  }
  InventoryNode* node;
  if (b->open.empty()) {
    node = &b->root;
    b->have_root = true;
  } else {
    node = &b->open.back()->children.emplace_back();
  }
  node->name = Upper(name);
  b->open.push_back(node);
}

void OnEnd(void* data, const XML_Char*) {
  auto* b = static_cast<XmlBuilder*>(data);
  if (!b->error.empty() || b->open.empty()) return;
  InventoryNode* node = b->open.back();
  node->text = std::string(Trim(node->text));
  b->open.pop_back();
}

void OnText(void* data, const XML_Char* s, int len) {
  auto* b = static_cast<XmlBuilder*>(data);
  if (!b->error.empty() || b->open.empty()) return;
  b->open.back()->text.append(s, static_cast<size_t>(len));
}

// No DTD means no entity definitions: nothing to expand, nothing to fetch.
void OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<XmlBuilder*>(data)->Fail("a DOCTYPE is not accepted");
}

void OnEntity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
              const XML_Char*, const XML_Char*, const XML_Char*) {
  static_cast<XmlBuilder*>(data)->Fail("entity declarations are not accepted");
}

Status FromJson(std::string_view name, const nlohmann::json& value, size_t depth,
                const InventoryTreeLimits& limits, size_t* nodes, InventoryNode* out) {
  if (depth > limits.max_depth) {
    return Status::InvalidArgument("JSON nested deeper than " + std::to_string(limits.max_depth));
  }
  if (++*nodes > limits.max_nodes) {
    return Status::InvalidArgument("more than " + std::to_string(limits.max_nodes) + " values");
  }
  out->name = Upper(name);
  switch (value.type()) {
    case nlohmann::json::value_t::object:
      for (const auto& [key, child] : value.items()) {
        if (child.is_array()) {
          for (const auto& item : child) {
            ESTATE_RETURN_IF_ERROR(
                FromJson(key, item, depth + 1, limits, nodes, &out->children.emplace_back()));
          }
        } else {
          ESTATE_RETURN_IF_ERROR(
              FromJson(key, child, depth + 1, limits, nodes, &out->children.emplace_back()));
        }
      }
      break;
    case nlohmann::json::value_t::array:
      // An array inside an array has no name of its own: its items take this one.
      for (const auto& item : value) {
        ESTATE_RETURN_IF_ERROR(
            FromJson(name, item, depth + 1, limits, nodes, &out->children.emplace_back()));
      }
      break;
    case nlohmann::json::value_t::string:
      out->text = std::string(Trim(value.get_ref<const std::string&>()));
      break;
    case nlohmann::json::value_t::boolean:
      out->text = value.get<bool>() ? "1" : "0";
      break;
    case nlohmann::json::value_t::null:
      break;
    default:
      out->text = value.dump();
      break;
  }
  return Status::Ok();
}

}  // namespace

const InventoryNode* InventoryNode::Child(std::string_view child) const {
  for (const auto& c : children) {
    if (c.name == child) return &c;
  }
  return nullptr;
}

std::string_view InventoryNode::Text(std::string_view child) const {
  const InventoryNode* c = Child(child);
  return c ? std::string_view(c->text) : std::string_view();
}

std::vector<const InventoryNode*> InventoryNode::All(std::string_view child) const {
  std::vector<const InventoryNode*> out;
  for (const auto& c : children) {
    if (c.name == child) out.push_back(&c);
  }
  return out;
}

Result<InventoryNode> ParseInventoryXml(std::string_view xml, InventoryTreeLimits limits) {
  XmlBuilder b;
  b.limits = limits;
  b.parser = XML_ParserCreate(nullptr);
  if (b.parser == nullptr) return Status::Unavailable("cannot create an XML parser");
  XML_SetUserData(b.parser, &b);
  XML_SetElementHandler(b.parser, OnStart, OnEnd);
  XML_SetCharacterDataHandler(b.parser, OnText);
  XML_SetStartDoctypeDeclHandler(b.parser, OnDoctype);
  XML_SetEntityDeclHandler(b.parser, OnEntity);
  XML_SetParamEntityParsing(b.parser, XML_PARAM_ENTITY_PARSING_NEVER);
  // Fed in slices: expat takes an int length.
  constexpr size_t kSlice = 1u << 20;
  XML_Status status = XML_STATUS_OK;
  size_t offset = 0;
  do {
    const size_t n = std::min(kSlice, xml.size() - offset);
    const bool last = offset + n == xml.size();
    status = XML_Parse(b.parser, xml.data() + offset, static_cast<int>(n), last ? 1 : 0);
    offset += n;
  } while (status == XML_STATUS_OK && offset < xml.size());
  std::string error = b.error;
  if (status != XML_STATUS_OK && error.empty()) {
    error = std::string(XML_ErrorString(XML_GetErrorCode(b.parser)));
  }
  const auto line = XML_GetCurrentLineNumber(b.parser);
  XML_ParserFree(b.parser);
  if (!error.empty()) {
    return Status::InvalidArgument("XML line " + std::to_string(line) + ": " + error);
  }
  if (!b.have_root) return Status::InvalidArgument("XML: no root element");
  return std::move(b.root);
}

Result<InventoryNode> InventoryTreeFromJson(std::string_view name, const nlohmann::json& value,
                                            InventoryTreeLimits limits) {
  InventoryNode root;
  size_t nodes = 0;
  ESTATE_RETURN_IF_ERROR(FromJson(name, value, 0, limits, &nodes, &root));
  return root;
}

}  // namespace estate::collector
