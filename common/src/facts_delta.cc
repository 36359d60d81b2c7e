#include "estate/facts_delta.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/message_differencer.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace estate {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::util::MessageDifferencer;

using PackageKeyTuple = std::tuple<std::string, std::string, std::string>;

PackageKeyTuple KeyOf(const v1::Package& p) { return {p.name(), p.architecture(), p.source()}; }
PackageKeyTuple KeyOf(const v1::PackageKey& k) { return {k.name(), k.architecture(), k.source()}; }

// Keyed software changes keep a list in canonical order: strictly sorted by key.
bool IsCanonicalSoftwareList(const v1::HostFacts& facts) {
  for (int i = 1; i < facts.software_size(); ++i) {
    if (!(KeyOf(facts.software(i - 1)) < KeyOf(facts.software(i)))) return false;
  }
  return true;
}

bool FieldEquals(const v1::HostFacts& a, const v1::HostFacts& b, const FieldDescriptor* field) {
  MessageDifferencer differencer;
  return differencer.CompareWithFields(a, b, {field}, {field});
}

// Keyed upserts/removals turning `before`'s software into `after`'s.
v1::DeltaReport SoftwareChanges(const v1::HostFacts& before, const v1::HostFacts& after) {
  std::map<PackageKeyTuple, const v1::Package*> old_packages;
  for (const auto& p : before.software()) old_packages[KeyOf(p)] = &p;
  v1::DeltaReport keyed;
  for (const auto& p : after.software()) {
    auto it = old_packages.find(KeyOf(p));
    if (it == old_packages.end() || !MessageDifferencer::Equals(*it->second, p)) {
      *keyed.add_software_upserted() = p;
    }
    if (it != old_packages.end()) old_packages.erase(it);
  }
  for (const auto& [key, p] : old_packages) {
    auto* removed = keyed.add_software_removed();
    removed->set_name(p->name());
    removed->set_architecture(p->architecture());
    removed->set_source(p->source());
  }
  return keyed;
}

}  // namespace

void ComputeDelta(const v1::HostFacts& before, const v1::HostFacts& after, v1::DeltaReport* delta) {
  delta->clear_replaced_fields();
  delta->clear_values();
  delta->clear_software_upserted();
  delta->clear_software_removed();
  const auto* descriptor = v1::HostFacts::descriptor();
  std::vector<const FieldDescriptor*> replaced;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (FieldEquals(before, after, field)) continue;
    if (field->number() == v1::HostFacts::kSoftwareFieldNumber && IsCanonicalSoftwareList(before) &&
        IsCanonicalSoftwareList(after)) {
      v1::DeltaReport keyed = SoftwareChanges(before, after);
      // Keyed only pays when the change is a minority of the list.
      if (keyed.ByteSizeLong() * 2 < static_cast<size_t>(before.software_size()) * 64 + 64) {
        *delta->mutable_software_upserted() = std::move(*keyed.mutable_software_upserted());
        *delta->mutable_software_removed() = std::move(*keyed.mutable_software_removed());
        continue;
      }
    }
    replaced.push_back(field);
    delta->add_replaced_fields(static_cast<uint32_t>(field->number()));
  }
  if (!replaced.empty()) {
    v1::HostFacts copy = after;
    v1::HostFacts::GetReflection()->SwapFields(&copy, delta->mutable_values(), replaced);
  }
}

Status ApplyDelta(v1::HostFacts* facts, const v1::DeltaReport& delta) {
  const auto* descriptor = v1::HostFacts::descriptor();
  std::vector<const FieldDescriptor*> fields;
  for (uint32_t number : delta.replaced_fields()) {
    const FieldDescriptor* field = descriptor->FindFieldByNumber(static_cast<int>(number));
    if (field == nullptr) {
      return Status::InvalidArgument("delta replaces field " + std::to_string(number) +
                                     ", which this collector does not know");
    }
    fields.push_back(field);
  }
  if (!fields.empty()) {
    v1::HostFacts values = delta.values();
    const auto* reflection = v1::HostFacts::GetReflection();
    for (const FieldDescriptor* field : fields) reflection->ClearField(facts, field);
    reflection->SwapFields(facts, &values, fields);
  }

  if (delta.software_upserted_size() > 0 || delta.software_removed_size() > 0) {
    std::map<PackageKeyTuple, v1::Package> packages;
    for (auto& p : *facts->mutable_software()) packages.insert_or_assign(KeyOf(p), std::move(p));
    for (const auto& key : delta.software_removed()) packages.erase(KeyOf(key));
    for (const auto& p : delta.software_upserted()) packages.insert_or_assign(KeyOf(p), p);
    facts->clear_software();
    for (auto& [key, p] : packages) *facts->add_software() = std::move(p);  // canonical order
  }
  return Status::Ok();
}

bool IsEmptyDelta(const v1::DeltaReport& delta) {
  return delta.replaced_fields_size() == 0 && delta.software_upserted_size() == 0 &&
         delta.software_removed_size() == 0;
}

}  // namespace estate
