#include "collector/admin/people.h"

#include <algorithm>
#include <regex>

#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

template <typename View>
Result<std::vector<v1::Person>> PeopleIn(View& view) {
  std::vector<v1::Person> people;
  Status bad;
  ESTATE_RETURN_IF_ERROR(view.Scan(
      Table::kSettings, PersonPrefix(), [&](std::string_view key, std::string_view value) {
        v1::Person person;
        if (!person.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = Status::Corruption("unparsable person record " +
                                   std::string(key.substr(PersonPrefix().size())));
          return false;
        }
        people.push_back(std::move(person));
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  return people;
}

}  // namespace

Status CheckEmail(const std::string& email) {
  // Practical RFC 5321 subset: dot-atom local part, host names with a
  // top-level domain of letters (no quoted local parts, no address literals).
  static const std::regex kEmail(
      R"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
      R"(@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})");
  if (email.size() > 254 || !std::regex_match(email, kEmail)) {
    return Status::InvalidArgument("email: '" + email +
                                   "' is not an email address (name@example.com)");
  }
  return Status::Ok();
}

Status CheckPersonName(const std::string& name) {
  if (name.empty()) return Status::InvalidArgument("the name is empty");
  if (name.size() > 200) return Status::InvalidArgument("a name longer than 200 bytes");
  if (Trim(name) != name) {
    return Status::InvalidArgument("'" + name + "' has leading or trailing spaces");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("control characters are not allowed in a name");
    }
  }
  return Status::Ok();
}

Result<std::vector<v1::Person>> AllPeople(Store& store) { return PeopleIn(store); }
Result<std::vector<v1::Person>> AllPeople(WriteBatch& batch) { return PeopleIn(batch); }

std::vector<std::string> PersonSpellings(const v1::Person& person) {
  std::vector<std::string> out;
  for (const std::string* s : {&person.name(), &person.full_name(), &person.email()}) {
    if (!s->empty()) out.push_back(ToLower(*s));
  }
  return out;
}

const v1::Person* FindPerson(const std::vector<v1::Person>& people, const std::string& who) {
  const std::string lower = ToLower(Trim(who));
  if (lower.empty()) return nullptr;
  for (const auto& p : people) {
    if (ToLower(p.name()) == lower) return &p;
  }
  for (const auto& p : people) {
    const auto spellings = PersonSpellings(p);
    if (std::find(spellings.begin(), spellings.end(), lower) != spellings.end()) return &p;
  }
  return nullptr;
}

std::vector<std::string> SpellingsOf(const std::vector<v1::Person>& people,
                                     const std::string& who) {
  if (const v1::Person* p = FindPerson(people, who)) return PersonSpellings(*p);
  return {ToLower(Trim(who))};
}

Status EnsurePerson(WriteBatch& batch, const std::string& name, int64_t now_s) {
  if (name.empty()) return Status::Ok();
  ESTATE_RETURN_IF_ERROR(CheckPersonName(name));
  // The common case, a name already on record, without a scan.
  auto direct = batch.Get(Table::kSettings, PersonKey(name));
  if (!direct.ok()) return direct.status();
  if (direct->has_value()) return Status::Ok();
  auto people = AllPeople(batch);
  if (!people.ok()) return people.status();
  if (FindPerson(*people, name) != nullptr) return Status::Ok();
  v1::Person person;
  person.set_name(name);
  if (name.find('@') != std::string::npos && CheckEmail(name).ok()) person.set_email(name);
  person.set_created_at(now_s);
  person.set_updated_at(now_s);
  person.set_source("first use");
  PutRecord(batch, Table::kSettings, PersonKey(name), person);
  return Status::Ok();
}

Status EnsurePeopleNamedBy(WriteBatch& batch, const v1::Asset& before, const v1::Asset& after,
                           int64_t now_s) {
  auto owner_of = [](const v1::Asset& a) {
    auto it = a.attributes().find("owner");
    return it == a.attributes().end() ? std::string() : it->second;
  };
  const std::pair<const char*, std::pair<std::string, std::string>> named[] = {
      {"owner", {owner_of(before), owner_of(after)}},
      {"holder", {before.custody().holder(), after.custody().holder()}}};
  for (const auto& [field, names] : named) {
    const auto& [old_name, new_name] = names;
    if (new_name.empty() || new_name == old_name) continue;
    if (Status s = EnsurePerson(batch, new_name, now_s); !s.ok()) {
      if (s.code() != Status::Code::kInvalidArgument) return s;
      return Status::InvalidArgument(std::string(field) + ": " + s.message());
    }
  }
  return Status::Ok();
}

Result<UpsertOutcome> UpsertPerson(WriteBatch& batch, const v1::Person& incoming, int64_t now_s) {
  ESTATE_RETURN_IF_ERROR(CheckPersonName(incoming.name()));
  if (!incoming.email().empty()) ESTATE_RETURN_IF_ERROR(CheckEmail(incoming.email()));
  auto stored = GetRecord<v1::Person>(batch, Table::kSettings, PersonKey(incoming.name()));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    v1::Person person = incoming;
    person.set_created_at(now_s);
    person.set_updated_at(now_s);
    PutRecord(batch, Table::kSettings, PersonKey(person.name()), person);
    return UpsertOutcome::kCreated;
  }
  v1::Person person = **stored;
  bool changed = false;
  auto take = [&](const std::string& value, std::string* field) {
    if (value.empty() || value == *field) return;
    *field = value;
    changed = true;
  };
  take(incoming.full_name(), person.mutable_full_name());
  take(incoming.email(), person.mutable_email());
  take(incoming.department(), person.mutable_department());
  if (!changed) return UpsertOutcome::kUnchanged;
  person.set_updated_at(now_s);
  person.set_source(incoming.source());
  PutRecord(batch, Table::kSettings, PersonKey(person.name()), person);
  return UpsertOutcome::kUpdated;
}

}  // namespace estate::collector
