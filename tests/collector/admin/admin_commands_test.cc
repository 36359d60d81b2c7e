// Admin commands over a real store and writer, without sockets: the values an
// asset manager types are validated against the attribute schema (issue 27),
// tags and serials are unique in any case, the filters answer the question
// asked, and approve/ignore/accept change many assets at once, or only say
// what they would change (issue 25).
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "collector/admin/admin_args.h"
#include "collector/admin/attribute_schema.h"
#include "collector/admin/command_registry.h"
#include "collector/store/records.h"
#include "estate/logging.h"
#include "estate/text.h"
#include "tests/collector/admin/admin_fixture.h"

namespace estate::collector {
namespace {

using nlohmann::json;

TEST_F(AdminCommands, RegisterRefusesBadValuesNamingTheField) {
  // The example, one bad value at a time.
  EXPECT_NE(Error(Request("register", {}, {{"class", "lapto"}}))
                .find("class: 'lapto' is not a known class (did you mean 'laptop'?)"),
            std::string::npos);
  EXPECT_NE(Error(Request("register", {"cost=abc"}, {{"class", "laptop"}})).find("cost: 'abc'"),
            std::string::npos);
  EXPECT_NE(Error(Request("register", {"purchase_date=yesterday"}, {{"class", "laptop"}}))
                .find("purchase_date: 'yesterday' is not a real date"),
            std::string::npos);
  EXPECT_NE(Error(Request("register", {"warranty_end=2027-13-45"}, {{"class", "laptop"}}))
                .find("warranty_end: '2027-13-45' is not a real date"),
            std::string::npos);
  EXPECT_NE(Error(Request("register", {"ownr=bob"}, {{"class", "laptop"}}))
                .find("unknown attribute 'ownr' (did you mean 'owner'?)"),
            std::string::npos);
  EXPECT_NE(Error(Request("register", {}, {{"class", "laptop"}, {"state", "retird"}}))
                .find("did you mean 'retired'"),
            std::string::npos);
  // Nothing of the refused ones was stored.
  EXPECT_TRUE(Ok(Request("assets")).at("assets").empty());
  json ok =
      Ok(Request("register", {"cost=1299.50 EUR", "purchase_date=2026-01-31", "x-cost-centre=4711"},
                 {{"class", "Laptop"}, {"tag", "IT-0001"}}));
  EXPECT_EQ(ok.at("asset_class"), "laptop");
  EXPECT_EQ(ok.at("attributes").at("x-cost-centre"), "4711");
}

TEST_F(AdminCommands, SetAndCheckoutRefuseDaysTheMonthLacks) {
  Ok(Request("register", {}, {{"class", "laptop"}, {"tag", "IT-0001"}}));
  EXPECT_NE(Error(Request("set", {"IT-0001", "warranty_end=2027-02-30"}))
                .find("warranty_end: '2027-02-30' is not a real date"),
            std::string::npos);
  EXPECT_NE(Error(Request("set", {"IT-0001", "ownr=bob"})).find("unknown attribute 'ownr'"),
            std::string::npos);
  EXPECT_NE(Error(Request("checkout", {"IT-0001"}, {{"to", "dave"}, {"due", "2027-02-30"}}))
                .find("is not a real date"),
            std::string::npos);
  // A leap day is a real date.
  json set = Ok(Request("set", {"IT-0001", "warranty_end=2028-02-29", "cost=10"}));
  EXPECT_EQ(set.at("attributes").at("warranty_end"), "2028-02-29");
  EXPECT_NE(Error(Request("set", {"IT-0001", "class=lapto"})).find("did you mean 'laptop'"),
            std::string::npos);
}

TEST_F(AdminCommands, TagsAndSerialsAreUniqueAndFoundInAnyCase) {
  json first =
      Ok(Request("register", {}, {{"class", "laptop"}, {"tag", "IT-0001"}, {"serial", "SN-ABC"}}));
  EXPECT_NE(
      Error(Request("register", {}, {{"class", "laptop"}, {"tag", "it-0001"}}))
          .find("asset_tag: 'it-0001' already belongs to " + first.at("id").get<std::string>()),
      std::string::npos);
  EXPECT_NE(Error(Request("register", {}, {{"class", "laptop"}, {"serial", "sn-abc"}}))
                .find("serial: 'sn-abc' already belongs to"),
            std::string::npos);
  EXPECT_EQ(Ok(Request("show", {"it-0001"})).at("id"), first.at("id"));
  EXPECT_EQ(Ok(Request("show", {"sn-abc"})).at("id"), first.at("id"));
  json second = Ok(Request("register", {}, {{"class", "laptop"}, {"tag", "IT-0002"}}));
  EXPECT_NE(Error(Request("set", {"IT-0002", "asset_tag=It-0001"})).find("already belongs to"),
            std::string::npos);
  EXPECT_EQ(Ok(Request("assets", {}, {{"tag", "it-0002"}})).at("assets").size(), 1u);
}

TEST_F(AdminCommands, FiltersAnswerTheQuestionAsked) {
  Ok(Request("register", {"department=Sales"}, {{"class", "laptop"}, {"tag", "IT-0010"}}));
  Ok(Request("register", {"department=Engineering"}, {{"class", "laptop"}, {"tag", "IT-0011"}}));
  Ok(Request("checkout", {"IT-0010"}, {{"to", "dave"}}));
  EXPECT_EQ(Ok(Request("assets", {}, {{"holder", "dave"}})).at("assets").size(), 1u);
  EXPECT_EQ(Ok(Request("assets", {}, {{"department", "sales"}})).at("assets").size(), 1u);
  EXPECT_EQ(Ok(Request("assets", {}, {{"tag", "IT-0011"}})).at("assets").size(), 1u);
  EXPECT_EQ(Ok(Request("assets", {}, {{"state", "retired"}})).at("assets").size(), 0u);
  // Typed by hand into the request: still refused by the collector's own check.
  EXPECT_NE(Error(Request("assets", {}, {{"stat", "retired"}})).find("did you mean '--state'"),
            std::string::npos);
  EXPECT_NE(Error(Request("drift", {}, {{"min-severity", "bogus"}})).find("is not one of"),
            std::string::npos);
}

TEST_F(AdminCommands, PersonShowsWhatSomeoneHoldsAndOwnsHeldFirst) {
  Ok(Request("register", {"owner=Dave"}, {{"class", "monitor"}, {"tag", "IT-0011"}}));
  Ok(Request("register", {}, {{"class", "laptop"}, {"tag", "IT-0010"}}));
  Ok(Request("register", {"owner=erin"}, {{"class", "laptop"}, {"tag", "IT-0012"}}));
  Ok(Request("checkout", {"IT-0010"}, {{"to", "dave"}, {"due", "2099-01-31"}}));
  // `assets --owner dave` alone misses what dave holds.
  EXPECT_EQ(Ok(Request("assets", {}, {{"owner", "dave"}})).at("assets").size(), 1u);
  json dave = Ok(Request("person", {"DAVE"}));
  EXPECT_EQ(dave.at("holds"), 1u);
  EXPECT_EQ(dave.at("owns"), 1u);
  ASSERT_EQ(dave.at("assets").size(), 2u);
  EXPECT_EQ(dave.at("assets").at(0).at("attributes").at("asset_tag"), "IT-0010");
  EXPECT_EQ(dave.at("assets").at(1).at("attributes").at("asset_tag"), "IT-0011");
  // Someone nobody knows is an error naming the nearest person, not an empty answer.
  EXPECT_NE(Error(Request("person", {"davee"})).find("no person 'davee' (did you mean 'dave'?)"),
            std::string::npos);
}

// Owners and holders are people: created on first use, imported from CSV or
// getent, found by any spelling (name, full name, email) in any case.
TEST_F(AdminCommands, PeopleAreCreatedOnFirstUseImportedAndFoundByAnySpelling) {
  Ok(Request("register", {"owner=dave"}, {{"class", "laptop"}, {"tag", "IT-0001"}}));
  Ok(Request("register", {}, {{"class", "laptop"}, {"tag", "IT-0002"}}));
  Ok(Request("checkout", {"IT-0002"}, {{"to", "erin"}}));
  json people = Ok(Request("people"));
  ASSERT_EQ(people.at("people").size(), 2u);
  EXPECT_EQ(people.at("people").at(0).at("name"), "dave");
  EXPECT_EQ(people.at("people").at(0).at("source"), "first use");
  EXPECT_EQ(people.at("people").at(0).at("owns"), 1u);
  EXPECT_EQ(people.at("people").at(1).at("name"), "erin");
  EXPECT_EQ(people.at("people").at(1).at("holds"), 1u);

  // A CSV with a bad email refuses the whole file: nothing is half imported.
  EXPECT_NE(Error(Request("person", {"import",
                                     "name,email,department\n"
                                     "dave,dave@example.com,Engineering\n"
                                     "erin,erin(at)example.com,Sales\n"}))
                .find("line 3: email: 'erin(at)example.com'"),
            std::string::npos);
  EXPECT_FALSE(Ok(Request("person", {"dave"})).at("person").contains("email"));
  json imported = Ok(Request("person", {"import",
                                        "name,email,department,full_name\n"
                                        "dave,dave@example.com,Engineering,Dave Smith\n"
                                        "\"O'Brien, Pat\",pat@example.com,Sales,\n"}));
  EXPECT_EQ(imported.at("created"), 1u);
  EXPECT_EQ(imported.at("updated"), 1u);
  json dave = Ok(Request("person", {"DAVE@example.com"}));
  EXPECT_EQ(dave.at("person").at("name"), "dave");
  EXPECT_EQ(dave.at("person").at("department"), "Engineering");
  EXPECT_EQ(dave.at("owns"), 1u);
  // Another spelling of a known person creates no second record, and the
  // filters find the asset under every spelling.
  Ok(Request("set", {"IT-0002", "owner=Dave Smith"}));
  EXPECT_EQ(Ok(Request("people")).at("people").size(), 3u);
  for (const char* spelling : {"dave", "DAVE SMITH", "dave@example.com"}) {
    EXPECT_EQ(Ok(Request("assets", {}, {{"owner", spelling}})).at("assets").size(), 2u) << spelling;
  }
  EXPECT_EQ(Ok(Request("assets", {}, {{"holder", "ERIN"}})).at("assets").size(), 1u);
  EXPECT_EQ(Ok(Request("assets", {}, {{"owner", "dav"}})).at("assets").size(),
            0u);  // not "contains"
  EXPECT_EQ(Ok(Request("person", {"dave smith"})).at("owns"), 2u);

  // getent passwd: logins with a shell, GECOS full name, system accounts skipped.
  json getent = Ok(Request("person",
                           {"import",
                            "root:x:0:0:root:/root:/bin/bash\n"
                            "erin:x:1001:1001:Erin Unal,,,:/home/erin:/bin/bash\n"
                            "frank:x:1002:1002:Frank Li:/home/frank:/bin/zsh\n"
                            "backup:x:1003:1003::/var/backups:/usr/sbin/nologin\n"},
                           {{"getent", "true"}}));
  EXPECT_EQ(getent.at("created"), 1u);  // frank
  EXPECT_EQ(getent.at("updated"), 1u);  // erin's full name
  EXPECT_EQ(getent.at("skipped").size(), 2u);
  EXPECT_EQ(Ok(Request("assets", {}, {{"holder", "Erin Unal"}})).at("assets").size(), 1u);
  // Names an owner may not carry are refused naming the field.
  EXPECT_NE(Error(Request("set", {"IT-0001", "owner= dave"})).find("owner:"), std::string::npos);
  EXPECT_NE(Error(Request("person", {"import", "x"}, {{"min-uid", "500"}})).find("--getent only"),
            std::string::npos);
}

// A store written before the schema: values an older estated stored as given
// are read as they are, listed by `check` with the field and why, and
// marked by `show`.
TEST_F(AdminCommands, ValuesStoredBeforeTheSchemaAreFlaggedNotLost) {
  Ok(Request("register", {"cost=1299.50 EUR"}, {{"class", "laptop"}, {"tag", "IT-0001"}}));
  v1::Asset old;
  old.set_id("A-000900");
  old.set_asset_class("lapto");
  old.set_state("in_stock");
  old.set_managed(true);
  (*old.mutable_attributes())["asset_tag"] = "IT-0900";
  (*old.mutable_attributes())["cost"] = "abc";
  (*old.mutable_attributes())["purchase_date"] = "yesterday";
  (*old.mutable_attributes())["warranty_end"] = "2027-02-30";
  (*old.mutable_attributes())["ownr"] = "bob";
  (*old.mutable_attributes())["owner"] = "dave";
  // Written while no collector runs, as an older estated left it; then this
  // version starts on the store.
  ingestor_->Stop();
  auto batch = store_->NewBatch();
  PutRecord(*batch, Table::kAssets, old.id(), old);
  ASSERT_TRUE(store_->Write(*batch).ok());
  ingestor_ = std::make_unique<Ingestor>(*store_, GetLogger("test.ingest"));
  ASSERT_TRUE(ingestor_->Start().ok());

  json check = Ok(Request("check"));
  EXPECT_EQ(check.at("assets_checked"), 2u);
  EXPECT_EQ(check.at("invalid_assets"), 1u);
  std::map<std::string, std::string> reasons;
  for (const auto& p : check.at("problems")) {
    EXPECT_EQ(p.at("asset_id"), "A-000900");
    EXPECT_EQ(p.at("asset_tag"), "IT-0900");
    reasons[p.at("field").get<std::string>()] = p.at("reason").get<std::string>();
  }
  ASSERT_EQ(reasons.size(), 5u) << check.dump(2);
  EXPECT_NE(reasons["cost"].find("'abc' is not an amount"), std::string::npos);
  EXPECT_NE(reasons["purchase_date"].find("'yesterday' is not a real date"), std::string::npos);
  EXPECT_NE(reasons["warranty_end"].find("'2027-02-30' is not a real date"), std::string::npos);
  EXPECT_NE(reasons["ownr"].find("did you mean 'owner'?"), std::string::npos);
  EXPECT_NE(reasons["class"].find("did you mean 'laptop'?"), std::string::npos);
  // The record still works: shown (its bad values marked), listed, filtered.
  json shown = Ok(Request("show", {"A-000900"}));
  EXPECT_EQ(shown.at("attributes").at("cost"), "abc");
  EXPECT_TRUE(shown.at("invalid").contains("cost"));
  EXPECT_FALSE(shown.at("invalid").contains("owner"));
  EXPECT_FALSE(Ok(Request("show", {"IT-0001"})).contains("invalid"));
  EXPECT_EQ(Ok(Request("assets", {}, {{"owner", "dave"}})).at("assets").size(), 1u);
  // Corrected with set (a legacy key removed with key=), it passes.
  Ok(Request("set", {"A-000900", "cost=12", "purchase_date=2026-01-02", "warranty_end=2027-02-28",
                     "ownr=", "class=laptop"}));
  EXPECT_TRUE(Ok(Request("check")).at("problems").empty());
}

// Property: a request with random option names and values (as another client
// might send) is refused, or each of its options is a declared filter that
// was applied: `state=retired` on a store without retired assets lists none.
TEST_F(AdminCommands, RandomOptionsAreRefusedOrApplied) {
  Ok(Request("register", {"department=Sales"}, {{"class", "laptop"}, {"tag", "IT-1"}}));
  Ok(Request("register", {}, {{"class", "server"}, {"tag", "IT-2"}, {"state", "deployed"}}));
  std::vector<std::string> names;
  for (const auto& o : registry_.Find("assets")->Spec().AllOptions()) names.push_back(o.name);
  const std::vector<std::string> values = {
      "retired", "7d", "x", "10", "", "dave", "bogus", "10.0.0.0/8", "true", "laptop", "retird"};
  std::mt19937 random(25);
  int accepted = 0;
  for (int round = 0; round < 300; ++round) {
    v1::AdminRequest request = Request("assets");
    for (int i = 0, n = 1 + static_cast<int>(random() % 3); i < n; ++i) {
      std::string name = names[random() % names.size()];
      if (random() % 3 == 0) name.erase(random() % name.size(), 1);  // a typo
      (*request.mutable_options())[name] = values[random() % values.size()];
    }
    v1::AdminResponse r = Run(request);
    if (!r.ok()) continue;
    ++accepted;
    for (const auto& [name, value] : request.options()) {
      EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
    }
    const json listed = json::parse(r.json()).at("assets");
    if (request.options().count("state") && request.options().at("state") == "retired") {
      EXPECT_TRUE(listed.empty()) << request.DebugString();
    }
    // None has a host name, an owner or a holder: such a filter lists nothing.
    for (const char* unmatched : {"hostname", "owner", "holder"}) {
      if (request.options().count(unmatched)) {
        EXPECT_TRUE(listed.empty()) << request.DebugString();
      }
    }
    // Every listed asset satisfies the class and department filters.
    for (const auto& a : listed) {
      if (request.options().count("class")) {
        EXPECT_EQ(a.at("asset_class"), request.options().at("class")) << request.DebugString();
      }
      if (request.options().count("department")) {
        const std::string department =
            a.value("attributes", json::object()).value("department", std::string());
        EXPECT_NE(ToLower(department).find(ToLower(request.options().at("department"))),
                  std::string::npos)
            << request.DebugString();
      }
    }
  }
  EXPECT_GT(accepted, 20);
}

TEST_F(AdminCommands, ClassesAreAddedOnPurpose) {
  EXPECT_NE(Error(Request("register", {}, {{"class", "kiosk"}})).find("class add"),
            std::string::npos);
  Ok(Request("class", {"add", "Kiosk"}));
  EXPECT_NE(Error(Request("class", {"add", "kiosk"})).find("exists"), std::string::npos);
  EXPECT_EQ(Ok(Request("register", {}, {{"class", "kiosk"}})).at("asset_class"), "kiosk");
  bool listed = false;
  const nlohmann::json classes = Ok(Request("class"));  // outlives the loop
  for (const auto& c : classes.at("classes")) listed |= c.at("name") == "kiosk";
  EXPECT_TRUE(listed);
}

TEST_F(AdminCommands, ApproveDeviceTakesSeveralAssetsOrAFilterAndADryRun) {
  Sighted(5);
  ASSERT_EQ(Ok(Request("assets", {}, {{"shadow", "true"}})).at("assets").size(), 5u);
  // A dry run says what would change and changes nothing.
  json dry = Ok(Request("approve", {"device"},
                        {{"subnet", "192.0.2.0/30"}, {"owner", "net-team"}, {"dry-run", "true"}}));
  EXPECT_TRUE(dry.at("dry_run").get<bool>());
  ASSERT_EQ(dry.at("count"), 3u);  // .1 .2 .3
  bool owner_change = false;
  for (const auto& c : dry.at("assets").at(0).at("changes")) {
    owner_change |= c.at("field") == "owner" && c.at("after") == "net-team";
  }
  EXPECT_TRUE(owner_change) << dry.dump();
  EXPECT_EQ(Ok(Request("assets", {}, {{"shadow", "true"}})).at("assets").size(), 5u);

  json done =
      Ok(Request("approve", {"device"}, {{"subnet", "192.0.2.0/30"}, {"owner", "net-team"}}));
  EXPECT_FALSE(done.at("dry_run").get<bool>());
  EXPECT_EQ(done.at("count"), 3u);
  EXPECT_EQ(Ok(Request("assets", {}, {{"shadow", "true"}})).at("assets").size(), 2u);
  EXPECT_EQ(Ok(Request("assets", {}, {{"owner", "net-team"}})).at("assets").size(), 3u);
  // Several named at once; one already managed refuses all, naming it.
  EXPECT_NE(Error(Request("approve", {"device", "192.0.2.4", "192.0.2.1"})).find("already managed"),
            std::string::npos);
  EXPECT_EQ(Ok(Request("assets", {}, {{"shadow", "true"}})).at("assets").size(), 2u);
  EXPECT_EQ(Ok(Request("approve", {"device", "192.0.2.4", "00:1b:21:00:00:05"})).at("count"), 2u);
  EXPECT_TRUE(Ok(Request("assets", {}, {{"shadow", "true"}})).at("assets").empty());
}

TEST_F(AdminCommands, BulkChangesRefuseToRunOnEverythingByDefault) {
  Sighted(2);
  EXPECT_NE(Error(Request("approve", {"device"})).find("name the assets, or select them"),
            std::string::npos);
  EXPECT_NE(Error(Request("ignore", {"device"}, {{"reason", "lab"}})).find("name the assets"),
            std::string::npos);
  EXPECT_NE(Error(Request("approve", {"device", "192.0.2.1"}, {{"subnet", "192.0.2.0/24"}}))
                .find("not both"),
            std::string::npos);
  EXPECT_EQ(Ok(Request("assets", {}, {{"shadow", "true"}})).at("assets").size(), 2u);
}

TEST_F(AdminCommands, IgnoreDeviceTakesAFilterAndSkipsWhatIsIgnoredAlready) {
  Sighted(3);
  json dry = Ok(Request("ignore", {"device"},
                        {{"subnet", "192.0.2.0/24"}, {"reason", "lab"}, {"dry-run", "true"}}));
  EXPECT_EQ(dry.at("count"), 3u);
  EXPECT_EQ(Ok(Request("shadow", {}, {{"devices", "true"}})).at("devices").size(), 3u);
  EXPECT_EQ(Ok(Request("ignore", {"device", "192.0.2.1"}, {{"reason", "printer"}})).at("count"),
            1u);
  EXPECT_EQ(Ok(Request("ignore", {"device"}, {{"subnet", "192.0.2.0/24"}, {"reason", "lab"}}))
                .at("count"),
            2u);
  EXPECT_TRUE(Ok(Request("shadow", {}, {{"devices", "true"}})).at("devices").empty());
}

TEST_F(AdminCommands, AcceptTakesSeveralAssetsAndADryRun) {
  Ok(Request("register", {}, {{"class", "laptop"}, {"tag", "IT-1"}}));
  Ok(Request("register", {}, {{"class", "laptop"}, {"tag", "IT-2"}}));
  json dry = Ok(Request("accept", {"IT-1", "IT-2", "os"}, {{"dry-run", "true"}}));
  EXPECT_EQ(dry.at("count"), 2u);
  EXPECT_EQ(dry.at("assets").at(0).at("accepted"), "os");
  json done = Ok(Request("accept", {"IT-1", "IT-2", "os"}));
  EXPECT_EQ(done.at("count"), 2u);
  // Recorded in each asset's history.
  for (const char* tag : {"IT-1", "IT-2"}) {
    EXPECT_NE(Ok(Request("history", {tag})).dump().find("baseline_accepted"), std::string::npos);
  }
  // With a filter: only assets with open drift (none here).
  EXPECT_EQ(Ok(Request("accept", {}, {{"class", "laptop"}})).at("count"), 0u);
}

TEST(AttributeSchema, DatesAndAmounts) {
  EXPECT_TRUE(IsIsoDate("2026-12-31"));
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2027-02-30"));
  EXPECT_FALSE(IsIsoDate("2027-13-01"));
  EXPECT_FALSE(IsIsoDate("27-01-01"));
  EXPECT_FALSE(IsIsoDate("2027-1-1"));
  EXPECT_TRUE(IsCost("1299"));
  EXPECT_TRUE(IsCost("1299.5"));
  EXPECT_TRUE(IsCost("1299.50 EUR"));
  EXPECT_FALSE(IsCost("abc"));
  EXPECT_FALSE(IsCost("-5"));
  EXPECT_FALSE(IsCost("12.345"));
  EXPECT_FALSE(IsCost("12 eur"));
  EXPECT_TRUE(CheckAttribute("x-room", "4.01").ok());
  EXPECT_FALSE(CheckAttribute("X-room", "4.01").ok());
  EXPECT_TRUE(CheckAttribute("owner", "").ok());  // removes it
  EXPECT_NE(CheckAttribute("notes", "a\x1b[2Jb").message().find("control characters"),
            std::string::npos);
}

TEST(ParseTime, RefusesDaysTheMonthLacks) {
  EXPECT_FALSE(ParseTime("2027-02-30", true).ok());
  EXPECT_FALSE(ParseTime("2027-04-31T10:00:00", false).ok());
  ASSERT_TRUE(ParseTime("2028-02-29", false).ok());
  EXPECT_EQ(FormatTime(*ParseTime("2028-02-29", false)), "2028-02-29T00:00:00Z");
}

// Issue 32: a printer queue leads to the device the scanner found at its
// URI's host, and a guest to its own asset, in `show`'s answer.
TEST_F(AdminCommands, ShowLinksPrinterQueuesAndGuestsToTheirAssets) {
  Sighted(7);  // the printer is 192.0.2.7
  v1::HostFacts host;
  auto* facts = &host;
  facts->set_hostname("desk-3");
  facts->set_machine_id("00112233445566778899aabbccddeeff");
  auto* queue = facts->add_printers();
  queue->set_queue("Office");
  queue->set_host("192.0.2.7");
  queue->set_device_uri("ipp://192.0.2.7/ipp/print");
  auto* local = facts->add_printers();
  local->set_queue("PDF");
  auto* guest = facts->add_guests();
  guest->set_kind("docker");
  guest->set_name("cups-proxy");
  guest->set_id("0f1e2d3c4b5a");
  Reported("node-desk", host);

  const json printer = Ok(Request("show", {"192.0.2.7"}));
  const json shown = Ok(Request("show", {"desk-3"}));
  const json& links = shown.at("facts").at("node-desk").at("linked_assets");
  EXPECT_EQ(links.at("printer:Office"), printer.at("id"));
  EXPECT_FALSE(links.contains("printer:PDF"));  // a local queue names no device
  const json container = Ok(Request("show", {links.at("guest:cups-proxy").get<std::string>()}));
  EXPECT_EQ(container.at("asset_class"), "container");
  EXPECT_EQ(container.at("parent_id"), shown.at("id"));
}

// Issue 32: posture facts are something filters and reports use ("laptops
// without encryption"); a host whose agent reports no posture claims nothing.
TEST_F(AdminCommands, AssetsLackingAControlAreFoundAndCountedInTheReport) {
  auto laptop = [](const std::string& name, bool encrypted) {
    v1::HostFacts facts;
    facts.set_hostname(name);
    facts.set_machine_id(std::string(32, encrypted ? 'e' : 'u') + name);
    facts.mutable_dmi()->set_chassis_type("Notebook");
    auto* posture = facts.mutable_security();
    posture->set_root_encrypted(encrypted);
    posture->set_secure_boot("enabled");
    posture->set_tpm_version("2.0");
    posture->set_firewall_enabled(true);
    posture->set_auto_updates(!encrypted);
    return facts;
  };
  Reported("n-1", laptop("lap-safe", true));
  Reported("n-2", laptop("lap-open", false));
  v1::HostFacts silent;  // an older agent: no posture section
  silent.set_hostname("srv-old");
  silent.set_machine_id(std::string(32, '0'));
  Reported("n-3", silent);

  auto hostnames = [&](const json& answer) {
    std::vector<std::string> names;
    for (const auto& a : answer.at("assets")) names.push_back(a.at("hostname"));
    return names;
  };
  EXPECT_EQ(
      hostnames(Ok(Request("assets", {}, {{"class", "laptop"}, {"lacking", "disk_encryption"}}))),
      std::vector<std::string>{"lap-open"});
  EXPECT_EQ(hostnames(Ok(Request("assets", {}, {{"lacking", "auto_updates"}}))),
            std::vector<std::string>{"lap-safe"});
  EXPECT_TRUE(Ok(Request("assets", {}, {{"lacking", "tpm"}})).at("assets").empty());
  EXPECT_NE(Error(Request("assets", {}, {{"lacking", "encryption"}})).find("disk_encryption"),
            std::string::npos);

  std::map<std::string, int> gaps;
  const json report =
      Ok(Request("report"));  // named: a range-for over a temporary's member dangles
  for (const auto& c : report.at("by_security_gap")) gaps[c.at("name")] = c.at("count");
  EXPECT_EQ(gaps, (std::map<std::string, int>{{"auto_updates", 1}, {"disk_encryption", 1}}));
}

TEST_F(AdminCommands, ValueTotalsCostAndBookValueByClassAndDepartment) {
  // Two laptops bought 2024-01-01 for 1200 EUR, one for 10.01 EUR without a
  // date, a server for 999.99 USD, and a disposed laptop that is no longer ours.
  for (const char* dept : {"sales", "ops"}) {
    Ok(Request("register",
               {"cost=1200 EUR", "purchase_date=2024-01-01", std::string("department=") + dept},
               {{"class", "laptop"}}));
  }
  Ok(Request("register", {"cost=10.01 EUR", "department=sales"}, {{"class", "laptop"}}));
  Ok(Request("register", {"cost=999.99 USD", "purchase_date=2020-05-05"}, {{"class", "server"}}));
  Ok(Request("register", {"cost=500 EUR", "purchase_date=2024-01-01"},
             {{"class", "laptop"}, {"state", "disposed"}}));
  Ok(Request("register", {}, {{"class", "printer"}}));

  EXPECT_NE(
      Error(Request("class", {"set", "lapto"}, {{"depreciation", "straight-line"}, {"years", "4"}}))
          .find("did you mean 'laptop'"),
      std::string::npos);
  EXPECT_NE(Error(Request("class", {"set", "laptop"}, {{"depreciation", "straight-line"}}))
                .find("--years"),
            std::string::npos);
  EXPECT_NE(Error(Request("class", {"set", "laptop"}, {{"depreciation", "straigth-line"}}))
                .find("did you mean 'straight-line'"),
            std::string::npos);
  json set =
      Ok(Request("class", {"set", "laptop"}, {{"depreciation", "straight-line"}, {"years", "4"}}));
  EXPECT_EQ(set.at("depreciation"), "straight-line 4");
  bool listed = false;
  const json classes = Ok(Request("class"));
  for (const auto& c : classes.at("classes")) {
    if (c.at("name") == "laptop") listed = c.at("depreciation") == "straight-line 4";
  }
  EXPECT_TRUE(listed);

  auto row = [](const json& rows, const std::string& name, const std::string& currency) {
    for (const auto& r : rows) {
      if (r.at("name") == name && r.at("currency") == currency) return r;
    }
    ADD_FAILURE() << "no row " << name << " " << currency << " in " << rows.dump();
    return json();
  };
  // 2026-01-01: each dated laptop is worth 120000 * 730 / 1461 = 599.59; the
  // undated one stays at cost and is counted.
  json by_class = Ok(Request("value", {}, {{"at", "2026-01-01"}}));
  EXPECT_EQ(by_class.at("at"), "2026-01-01");
  json laptop = row(by_class.at("totals"), "laptop", "EUR");
  EXPECT_EQ(laptop.at("items"), 3);
  EXPECT_EQ(laptop.at("cost"), "2410.01");
  EXPECT_EQ(laptop.at("book_value"), "1209.19");
  EXPECT_EQ(laptop.at("without_purchase_date"), 1);
  json server = row(by_class.at("totals"), "server", "USD");
  EXPECT_EQ(server.at("book_value"), "999.99");  // servers do not depreciate (none)
  json printer = row(by_class.at("totals"), "printer", "");
  EXPECT_EQ(printer.at("without_cost"), 1);
  EXPECT_EQ(printer.at("cost"), "0.00");

  json by_dept = Ok(Request("value", {}, {{"at", "2028-01-01"}, {"by", "department"}}));
  json sales = row(by_dept.at("totals"), "sales", "EUR");
  EXPECT_EQ(sales.at("items"), 2);
  EXPECT_EQ(sales.at("cost"), "1210.01");
  EXPECT_EQ(sales.at("book_value"), "10.01");  // the dated one is written off
  EXPECT_EQ(row(by_dept.at("total"), "", "EUR").at("cost"), "2410.01");
  EXPECT_EQ(row(by_dept.at("total"), "", "USD").at("cost"), "999.99");

  // Filters narrow it; report carries the same totals for today.
  json sales_only = Ok(Request("value", {}, {{"department", "sales"}}));
  EXPECT_EQ(row(sales_only.at("total"), "", "EUR").at("items"), 2);
  json report = Ok(Request("report"));
  EXPECT_EQ(row(report.at("value").at("by_class"), "server", "USD").at("cost"), "999.99");
  EXPECT_FALSE(report.at("value").at("by_owner").empty());

  // An unknown currency is refused naming the field.
  EXPECT_NE(Error(Request("register", {"cost=10 USX"}, {{"class", "laptop"}}))
                .find("cost: 'USX' is not an ISO 4217 currency"),
            std::string::npos);
}

}  // namespace
}  // namespace estate::collector
