// The declared schema of the attributes an admin sets on an asset (register
// key=value, set key=value): which keys exist, what their values must be, and
// the asset classes. Custom keys live under "x-" so a typo of a built-in key
// (ownr=bob) is refused instead of stored. Pure except for the class list,
// which reads the classes added with `estatectl class add` from the store.
#ifndef ESTATE_COLLECTOR_ADMIN_ATTRIBUTE_SCHEMA_H_
#define ESTATE_COLLECTOR_ADMIN_ATTRIBUTE_SCHEMA_H_

#include <string>
#include <vector>

#include "collector/store/store.h"
#include "estate/status.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// The built-in attribute keys (owner, location, department, cost,
// purchase_date, warranty_end, asset_tag, notes).
const std::vector<std::string>& AttributeKeys();

// Ok when `key` may be set to `value` (empty: removes it); otherwise an
// InvalidArgument naming the field and why ("warranty_end: '2027-02-30' is
// not a real date (YYYY-MM-DD)").
Status CheckAttribute(const std::string& key, const std::string& value);

// Strict ISO 8601 calendar date: YYYY-MM-DD that exists.
bool IsIsoDate(const std::string& text);
// A decimal amount with up to 2 decimals and an optional ISO 4217 currency:
// "1299", "1299.50", "1299.50 EUR".
bool IsCost(const std::string& text);

// The classes discovery assigns, which always exist.
const std::vector<std::string>& BuiltinClasses();
// Built-in classes and those added to this store.
Result<std::vector<std::string>> KnownClasses(Store& store);
Result<std::vector<std::string>> KnownClasses(WriteBatch& batch);
// Ok when `name` is a known class; else the list and the nearest one.
Status CheckClass(const std::vector<std::string>& known, const std::string& name);
// The kSettings key of an added class.
std::string ClassSettingKey(const std::string& name);

// One stored value the schema refuses: written before the schema existed (an
// older estated stored `cost=abc` or `ownr=bob` as given), kept as it is and
// flagged by `estatectl check` and `show` until someone corrects it.
struct AttributeProblem {
  std::string field;  // the attribute key, "class" or "state"
  std::string value;
  std::string reason;  // why, without the field: "'abc' is not an amount (...)"
};

// Every value of `asset` the schema refuses: attributes, class, state.
std::vector<AttributeProblem> CheckStoredAsset(const v1::Asset& asset,
                                               const std::vector<std::string>& known_classes);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ATTRIBUTE_SCHEMA_H_
