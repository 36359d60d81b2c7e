// `estatectl import` and `export --format csv` over a real store and writer
// (issue 30): creates, updates and idempotent re-imports, matching against
// discovered assets with conflicts reported, all or nothing, bad input
// refused by line with the store untouched, and the export -> import round
// trip into an empty store.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>

#include "collector/admin/admin_args.h"
#include "collector/admin/command_registry.h"
#include "collector/admin/register_import.h"
#include "collector/estatectl/import_source.h"
#include "collector/inventory/body_codec.h"
#include "collector/store/keys.h"
#include "estate/logging.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

using nlohmann::json;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// One store and its writer.
struct Collector {
  explicit Collector(const std::string& path) {
    auto opened = Store::Open({path});
    EXPECT_TRUE(opened.ok());
    store = std::move(*opened);
    ingestor = std::make_unique<Ingestor>(*store, GetLogger("test.ingest"));
    EXPECT_TRUE(ingestor->Start().ok());
  }
  ~Collector() { ingestor->Stop(); }

  v1::AdminResponse Run(const v1::AdminRequest& request) {
    AdminContext context{*store, counters, *ingestor,
                         Caller{.uid = 0, .user = "root", .role = Role::kAdmin}};
    return registry.Execute(request, context);
  }

  std::unique_ptr<Store> store;
  std::unique_ptr<Ingestor> ingestor;
  ServerCounters counters;
  CommandRegistry registry = MakeBuiltinCommands();
  uint64_t sequence = 0;
};

v1::AdminRequest Request(const std::string& command, std::vector<std::string> args = {},
                         std::map<std::string, std::string> options = {}) {
  v1::AdminRequest request;
  request.set_command(command);
  for (auto& a : args) request.add_args(a);
  for (auto& [k, v] : options) (*request.mutable_options())[k] = v;
  return request;
}

// As estatectl sends it: the file compressed in the attachment.
v1::AdminRequest ImportRequest(const std::string& csv,
                               std::map<std::string, std::string> options = {}) {
  v1::AdminRequest request = Request("import", {"register.csv"}, std::move(options));
  request.set_attachment(*EncodeBody(csv, BodyEncoding::kZlib));
  return request;
}

class Import : public ::testing::Test {
 protected:
  json Ok(const v1::AdminRequest& request, Collector* c = nullptr) {
    v1::AdminResponse r = (c ? *c : main_).Run(request);
    EXPECT_TRUE(r.ok()) << request.command() << ": " << r.error();
    return r.ok() ? json::parse(r.json()) : json();
  }
  std::string Error(const v1::AdminRequest& request) {
    v1::AdminResponse r = main_.Run(request);
    EXPECT_FALSE(r.ok()) << request.command() << " succeeded: " << r.json();
    return r.error();
  }

  // Every key and value of the tables an import writes: equal digests, an
  // untouched store.
  std::string Digest() {
    std::string all;
    for (Table t :
         {Table::kAssets, Table::kIdentity, Table::kHistory, Table::kSettings, Table::kEvents}) {
      EXPECT_TRUE(main_.store
                      ->Scan(t, "",
                             [&](std::string_view k, std::string_view v) {
                               all.append(k).append("=").append(v).append("\n");
                               return true;
                             })
                      .ok());
    }
    return all;
  }

  // An agent's full report: host name, DMI serial and one MAC.
  void Reported(const std::string& host, const std::string& serial, const std::string& mac) {
    v1::Frame frame;
    frame.mutable_full_report()->set_sequence(++main_.sequence);
    auto* facts = frame.mutable_full_report()->mutable_facts();
    facts->set_hostname(host);
    facts->set_machine_id(host + "-machine-id-0123456789abcdef");
    facts->mutable_dmi()->set_serial(serial);
    facts->mutable_dmi()->set_system_vendor("Dell Inc.");
    auto* nic = facts->mutable_network()->add_interfaces();
    nic->set_name("eth0");
    nic->set_mac(mac);
    nic->set_kind("physical");
    std::promise<v1::Frame> answer;
    main_.ingestor->Submit(Peer{"node-" + host, "", "", v1::PEER_KIND_AGENT}, frame,
                           [&](v1::Frame a) { answer.set_value(std::move(a)); });
    ASSERT_TRUE(answer.get_future().get().has_ack());
  }

  json Show(const std::string& asset) {
    json shown = Ok(Request("show", {asset}));
    return json{{"asset", shown.contains("asset") ? shown.at("asset") : shown}};
  }
  json LineOf(const json& answer, size_t line) {
    for (const auto& l : answer.at("lines")) {
      if (l.at("line") == line) return l;
    }
    ADD_FAILURE() << "no line " << line << " in " << answer.dump();
    return json();
  }

  TempDir dir_;
  Collector main_{dir_.path() + "/db"};
};

const char kRegister[] =
    "Asset Tag,Serial Number,Hostname,Category,Manufacturer,Model,Location,Department,"
    "Assigned To,Purchase Date,Purchase Cost,Warranty Expires,MAC Address,Notes\r\n"
    "T-0001,SN-A1,pc-01,Laptops,Lenovo,T14,HQ/B2/F3/R301,Finance,Dave Smith,2024-01-15,"
    "\"1,299.00 EUR\",2027-01-15,aa:bb:cc:00:00:01,\"spare charger, in drawer\"\r\n"
    "T-0002,SN-A2,pc-02,Desktop,HP,Z2,hq / b2 / f3 / r301,Finance,erin,2023-06-01,899,,,\r\n"
    "T-0003,SN-A3,,Monitor,Dell,U2723QE,HQ/B2/F3/R302,,,2024-02-01,450.00 EUR,,,\r\n";

TEST_F(Import, CreatesTheRegisterAndASecondImportChangesNothing) {
  Ok(Request("person", {"import", "name,email,full_name\ndave,dave@example.com,Dave Smith\n"}));
  json first = Ok(ImportRequest(kRegister));
  EXPECT_EQ(first.at("created"), 3);
  EXPECT_EQ(first.at("applied"), true);
  // People: "Dave Smith" is dave's full name; erin is new.
  EXPECT_EQ(first.at("people_matched"), 1);
  EXPECT_EQ(first.at("people_created"), json::array({"erin"}));
  // Locations: the second row's spelling joins the first's.
  EXPECT_EQ(first.at("locations_created"), json::array({"HQ/B2/F3/R301", "HQ/B2/F3/R302"}));
  json pc1 = Show("T-0001").at("asset");
  EXPECT_EQ(pc1.at("serial"), "SN-A1");
  EXPECT_EQ(pc1.at("asset_class"), "laptop");
  EXPECT_EQ(pc1.at("state"), "deployed") << "assigned to someone";
  EXPECT_EQ(pc1.at("attributes").at("owner"), "dave");
  EXPECT_EQ(pc1.at("attributes").at("cost"), "1299.00 EUR");
  EXPECT_EQ(Show("T-0002").at("asset").at("attributes").at("location"), "HQ/B2/F3/R301");
  EXPECT_EQ(Show("T-0003").at("asset").at("state"), "in_stock");
  EXPECT_EQ(Ok(Request("person", {"erin"})).at("owns"), 1);

  // The history says where each asset came from.
  json history = Ok(Request("history", {"T-0002"}));
  ASSERT_FALSE(history.at("events").empty());
  EXPECT_EQ(history.at("events")[0].at("kind"), "imported");
  EXPECT_EQ(history.at("events")[0].at("source"), "import:register.csv:3");

  const std::string before = Digest();
  json second = Ok(ImportRequest(kRegister));
  EXPECT_EQ(second.at("created"), 0);
  EXPECT_EQ(second.at("updated"), 0);
  EXPECT_EQ(second.at("unchanged"), 3);
  EXPECT_EQ(second.at("applied"), false);
  EXPECT_EQ(Digest(), before) << "a second import writes nothing, not even an event";

  // One changed cell: one update, with its change in the history.
  std::string changed = kRegister;
  changed.replace(changed.find("Z2,"), 3, "Z4,");
  json third = Ok(ImportRequest(changed));
  EXPECT_EQ(third.at("updated"), 1) << "no discovery source: the register's model is the model";
  EXPECT_EQ(Show("T-0002").at("asset").at("model"), "Z4");
  std::string moved = changed;
  moved.replace(moved.find("r301,Finance,erin"), 17, "R302,Finance,erin");
  json fourth = Ok(ImportRequest(moved));
  EXPECT_EQ(fourth.at("updated"), 1);
  EXPECT_EQ(LineOf(fourth, 3).at("changes")[0].at("field"), "location");
  EXPECT_EQ(Show("T-0002").at("asset").at("attributes").at("location"), "HQ/B2/F3/R302");
}

TEST_F(Import, MatchesDiscoveredAssetsAndReportsConflictsRatherThanGuessing) {
  Reported("alpha", "SER-ALPHA", "aa:bb:cc:00:00:0a");
  Reported("beta", "SER-BETA", "aa:bb:cc:00:00:0b");
  const std::string csv =
      "Asset Tag,Serial,Hostname,MAC Address,Category\n"
      "T-A,ser-alpha,alpha-old,,Laptop\n"          // serial, any case: alpha
      "T-B,,beta,aa:bb:cc:00:00:0b,workstation\n"  // host name and MAC agree: beta
      "T-X,SER-BETA,,aa:bb:cc:00:00:0a,laptop\n"   // serial beta, MAC alpha
      "T-Y,SER-NEW,,,laptop\n";                    // nothing known: created
  const std::string before = Digest();
  const std::string refused = Error(ImportRequest(csv));
  EXPECT_TRUE(Has(refused, "not imported, nothing was changed: 1 of 4 rows refused")) << refused;
  EXPECT_TRUE(Has(refused, "line 4: conflict: the row's identifiers lead to 2 assets")) << refused;
  EXPECT_TRUE(Has(refused, "(serial SER-BETA)")) << refused;
  EXPECT_TRUE(Has(refused, "(mac aa:bb:cc:00:00:0a)")) << refused;
  EXPECT_EQ(Digest(), before) << "all or nothing";

  json dry = Ok(ImportRequest(csv, {{"dry-run", "true"}}));
  EXPECT_EQ(Digest(), before) << "a dry run writes nothing";
  EXPECT_EQ(LineOf(dry, 2).at("action"), "update");
  EXPECT_EQ(LineOf(dry, 3).at("action"), "update");
  EXPECT_EQ(LineOf(dry, 4).at("action"), "conflict");
  EXPECT_EQ(LineOf(dry, 5).at("action"), "create");
  EXPECT_TRUE(Has(LineOf(dry, 2).at("kept")[0].get<std::string>(),
                  "hostname: the register says 'alpha-old'"));

  json applied = Ok(ImportRequest(csv, {{"skip-bad", "true"}}));
  EXPECT_EQ(applied.at("updated"), 2);
  EXPECT_EQ(applied.at("created"), 1);
  EXPECT_EQ(applied.at("skipped"), 1);
  json alpha = Show("alpha").at("asset");
  EXPECT_EQ(alpha.at("attributes").at("asset_tag"), "T-A");
  EXPECT_EQ(alpha.at("hostname"), "alpha") << "discovery's name is kept";
  EXPECT_EQ(alpha.at("managed"), true);
  EXPECT_EQ(Show("beta").at("asset").at("attributes").at("asset_tag"), "T-B");
  EXPECT_EQ(Show("T-Y").at("asset").at("serial"), "SER-NEW");
  EXPECT_FALSE(main_.Run(Request("show", {"T-X"})).ok()) << "the conflicting row was skipped";
}

TEST_F(Import, BadInputIsRefusedByLineAndTheStoreIsUntouched) {
  Ok(ImportRequest("Asset Tag,Model\nT-0,Existing\n", {{"class", "laptop"}}));
  const std::string before = Digest();
  auto refused = [&](const std::string& csv, std::map<std::string, std::string> options = {}) {
    std::string error = Error(ImportRequest(csv, std::move(options)));
    EXPECT_EQ(Digest(), before) << error;
    return error;
  };
  // Duplicate tags, in any case, and a malformed date, each by line.
  std::string e = refused(
      "Asset Tag,Purchase Date,Category\n"
      "T-1,2024-01-01,laptop\n"
      "T-2,01/02/2024,laptop\n"
      "t-1,2024-01-01,laptop\n");
  EXPECT_TRUE(Has(e, "2 of 3 rows refused")) << e;
  EXPECT_TRUE(Has(e, "line 3: error: purchase_date: '01/02/2024' is not an ISO 8601 date")) << e;
  EXPECT_TRUE(Has(e, "line 4: error: asset_tag: 't-1' is on line 2 too")) << e;
  // Unknown columns.
  e = refused("Asset Tag,Colour\nT-1,red\n");
  EXPECT_TRUE(Has(e, "line 1: columns not understood: 'Colour'")) << e;
  // Windows-1252 without --encoding.
  e = refused("Asset Tag,Location,Category\nT-1,Caf\xe9,laptop\n");
  EXPECT_TRUE(Has(e, "line 2: not UTF-8")) << e;
  EXPECT_TRUE(Has(e, "--encoding cp1252")) << e;
  // A broken quote leaves the rest in doubt.
  e = refused("Asset Tag,Notes,Category\nT-1,\"open,laptop\n");
  EXPECT_TRUE(Has(e, "line 2: a quoted field is not closed")) << e;
  // No class and no --class.
  e = refused("Asset Tag\nT-9\n");
  EXPECT_TRUE(Has(e, "line 2: error: class: none given")) << e;
  // An attachment that is not the compressed file estatectl sends.
  v1::AdminRequest garbled = Request("import", {"bad.csv"});
  garbled.set_attachment("\x78\x9c garbage");
  e = Error(garbled);
  EXPECT_TRUE(Has(e, "bad.csv: ")) << e;
  EXPECT_EQ(Digest(), before);

  // Told it is cp1252, it imports, in UTF-8.
  json ok = Ok(
      ImportRequest("Asset Tag,Location,Category\nT-1,Caf\xe9,laptop\n", {{"encoding", "cp1252"}}));
  EXPECT_EQ(ok.at("created"), 1);
  EXPECT_EQ(Show("T-1").at("asset").at("attributes").at("location"), "Caf\xc3\xa9");
}

TEST_F(Import, ExportThenImportIntoAnEmptyStoreGivesTheSameRegister) {
  Reported("alpha", "SER-ALPHA", "aa:bb:cc:00:00:0a");
  Ok(Request("set", {"alpha", "asset_tag=T-A", "owner=dave", "location=HQ/B1", "cost=1299.50 EUR",
                     "purchase_date=2024-03-01", "warranty_end=2027-03-01", "x-cost-center=CC-7",
                     "notes=leased, \"gold\" support"}));
  Ok(ImportRequest(kRegister));
  Ok(Request("register", {"x-cost-center=CC-9"},
             {{"class", "phone"}, {"tag", "T-P"}, {"serial", "PH-1"}, {"state", "ordered"}}));
  json exported = Ok(Request("export", {}, {{"format", "csv"}, {"all", "true"}}));
  EXPECT_EQ(exported.at("count"), 5);
  const std::string csv = exported.at("text");

  TempDir other_dir;
  Collector other(other_dir.path() + "/db");
  json imported = Ok(ImportRequest(csv), &other);
  EXPECT_EQ(imported.at("created"), 5);
  json again = Ok(Request("export", {}, {{"format", "csv"}, {"all", "true"}}), &other);
  EXPECT_EQ(again.at("text"), csv) << "the same register, ids included (allocated in order)";
  // And into the store it came from: nothing to change.
  json same = Ok(ImportRequest(csv));
  EXPECT_EQ(same.at("unchanged"), 5) << same.dump();

  // Named assets only.
  json one = Ok(Request("export", {"T-P"}, {{"format", "csv"}}));
  EXPECT_EQ(one.at("count"), 1);
  EXPECT_TRUE(Has(one.at("text").get<std::string>(), "T-P,PH-1,,phone,ordered"));
}

TEST_F(Import, EstatectlRefusesAFileOverTheLimitFromItsSizeUnread) {
  const std::string path = dir_.path() + "/huge.csv";
  { std::ofstream(path) << "Asset Tag\n"; }
  std::filesystem::resize_file(path, 100u << 20);  // sparse: nothing is written
  auto read = ReadRegisterFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(Has(read.status().message(),
                  "huge.csv: 100 MiB: an import is one all-or-nothing "
                  "write and takes at most 64 MiB"))
      << read.status().message();
}

}  // namespace
}  // namespace estate::collector
