// InventoryNode: an inventory request as a tree of named nodes with text, the
// shape both the agents' XML (<CONTENT><BIOS><SSN>..</SSN></BIOS>..) and the
// GLPI native JSON ({"content":{"bios":{"ssn":".."}}}) take. Names are kept
// upper-case whichever format they came from, so one mapping reads both.
//
// ParseInventoryXml is expat without a DTD: a DOCTYPE (and with it every
// entity definition, the billion-laughs and external-entity attacks) is
// refused, as are nesting deeper than `max_depth` and more than
// `max_nodes` elements. Pure functions; thread-safe.
#ifndef ESTATE_COLLECTOR_INVENTORY_INVENTORY_TREE_H_
#define ESTATE_COLLECTOR_INVENTORY_INVENTORY_TREE_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate::collector {

struct InventoryNode {
  std::string name;  // upper-case
  std::string text;  // character data, trimmed
  std::vector<InventoryNode> children;

  // The first child named `name`, or nullptr.
  const InventoryNode* Child(std::string_view name) const;
  // The trimmed text of the first child named `name`, "" when there is none.
  std::string_view Text(std::string_view name) const;
  // Every child named `name`, in order.
  std::vector<const InventoryNode*> All(std::string_view name) const;
};

struct InventoryTreeLimits {
  size_t max_depth = 32;
  size_t max_nodes = 1u << 20;
};

// Parses an XML document (UTF-8, UTF-16, ISO-8859-1 or US-ASCII, as its
// declaration says) into its root element.
Result<InventoryNode> ParseInventoryXml(std::string_view xml, InventoryTreeLimits limits = {});

// The same tree from a JSON value named `name`: objects become nodes, arrays
// repeated nodes of their key's name, scalars text (true "1", false "0").
Result<InventoryNode> InventoryTreeFromJson(std::string_view name, const nlohmann::json& value,
                                            InventoryTreeLimits limits = {});

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INVENTORY_INVENTORY_TREE_H_
