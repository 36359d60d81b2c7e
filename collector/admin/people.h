// People: the records an asset's owner (the owner attribute) and holder (its
// custody) refer to, so "dave", "Dave Smith" and "dave@example.com" are one
// person with an email and a department. A record is created the first time
// a change names someone new, or imported (people_import.h). Kept in the
// settings table under "person\0<name>" (docs/architecture.md). Functions
// over a store or a batch; not thread-safe beyond what those are.
#ifndef ESTATE_COLLECTOR_ADMIN_PEOPLE_H_
#define ESTATE_COLLECTOR_ADMIN_PEOPLE_H_

#include <optional>
#include <string>
#include <vector>

#include "collector/store/store.h"
#include "estate/status.h"
#include "estate/v1/inventory.pb.h"
#include "estate/v1/people.pb.h"

namespace estate::collector {

// Ok for an address an asset manager could mail: local@domain.tld, 254
// bytes at most, no spaces, no dot at either end of the local part.
Status CheckEmail(const std::string& email);
// Ok for a name an owner or holder may carry: not empty, no control
// characters, no leading or trailing spaces, 200 bytes at most.
Status CheckPersonName(const std::string& name);

// Every person record, by name.
Result<std::vector<v1::Person>> AllPeople(Store& store);
Result<std::vector<v1::Person>> AllPeople(WriteBatch& batch);

// The person `who` means: by name, email or full name, in any case; nullptr
// when none. A name wins over another person's full name.
const v1::Person* FindPerson(const std::vector<v1::Person>& people, const std::string& who);
// The lower-case spellings an owner or holder may use for `person`.
std::vector<std::string> PersonSpellings(const v1::Person& person);
// The lower-case spellings that refer to whoever `who` names: the person's
// when there is a record, else `who` itself (stores written before people
// records, whose owners have none yet).
std::vector<std::string> SpellingsOf(const std::vector<v1::Person>& people, const std::string& who);

// Creates the record of `name` when no person is known by that name, email
// or full name (an owner or holder used for the first time).
Status EnsurePerson(WriteBatch& batch, const std::string& name, int64_t now_s);

// EnsurePerson for the owner and the holder of `after` that `before` did not
// have; an unusable name is refused naming the field (owner, holder).
Status EnsurePeopleNamedBy(WriteBatch& batch, const v1::Asset& before, const v1::Asset& after,
                           int64_t now_s);

enum class UpsertOutcome { kCreated, kUpdated, kUnchanged };
// Writes an imported person: a new record, or the non-empty fields of
// `incoming` over the one of that name.
Result<UpsertOutcome> UpsertPerson(WriteBatch& batch, const v1::Person& incoming, int64_t now_s);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_PEOPLE_H_
