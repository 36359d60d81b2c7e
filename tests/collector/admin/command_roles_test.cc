// The role each admin command needs, decided without sockets: the declared
// role of every built-in command and its argument-dependent forms, then the
// registry refusing and allowing callers of each role over a real store.
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <nlohmann/json.hpp>

#include "collector/admin/access.h"
#include "collector/admin/admin_args.h"
#include "collector/admin/command_registry.h"
#include "collector/reconcile/lifecycle.h"
#include "estate/logging.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

v1::AdminRequest Request(const std::string& command, std::vector<std::string> args = {},
                         std::map<std::string, std::string> options = {}) {
  v1::AdminRequest request;
  request.set_command(command);
  for (auto& a : args) request.add_args(a);
  for (auto& [k, v] : options) (*request.mutable_options())[k] = v;
  return request;
}

Role Needed(const CommandRegistry& registry, const v1::AdminRequest& request) {
  AdminCommand* command = registry.Find(request.command());
  EXPECT_NE(command, nullptr) << request.command();
  return command ? command->RequiredRole(request) : Role::kNone;
}

// Every built-in command, in its plainest form. A new command must be added
// here, which makes its author decide who may run it.
const std::map<std::string, Role>& PlainForms() {
  static const auto* roles = new std::map<std::string, Role>{
      {"assets", Role::kViewer},      {"show", Role::kViewer},      {"history", Role::kViewer},
      {"stats", Role::kViewer},       {"sightings", Role::kViewer}, {"shadow", Role::kViewer},
      {"drift", Role::kViewer},       {"events", Role::kViewer},    {"report", Role::kViewer},
      {"policy", Role::kViewer},      {"agents", Role::kViewer},    {"checkout", Role::kTechnician},
      {"checkin", Role::kTechnician}, {"set", Role::kTechnician},   {"state", Role::kTechnician},
      {"approve", Role::kAdmin},      {"ignore", Role::kAdmin},     {"accept", Role::kAdmin},
      {"register", Role::kAdmin},     {"merge", Role::kAdmin},      {"split", Role::kAdmin},
      {"rules", Role::kAdmin},        {"backup", Role::kAdmin},     {"revoke", Role::kAdmin},
      {"class", Role::kViewer},       {"person", Role::kViewer},    {"people", Role::kViewer},
      {"check", Role::kViewer},       {"value", Role::kViewer},     {"licence", Role::kViewer},
      {"compliance", Role::kViewer},  {"contract", Role::kViewer},  {"export", Role::kViewer},
      {"location", Role::kViewer},    {"audit", Role::kViewer},     {"import", Role::kAdmin},
  };
  return *roles;
}

TEST(CommandRoles, EveryBuiltinCommandHasAKnownRole) {
  const CommandRegistry registry = MakeBuiltinCommands();
  for (const auto& [name, command] : registry.commands()) {
    auto expected = PlainForms().find(name);
    ASSERT_NE(expected, PlainForms().end())
        << "command '" << name << "' is not in PlainForms(): decide its role";
    // Arguments that leave the role at its least (set notes=, state in_repair).
    v1::AdminRequest request = Request(name);
    if (name == "set") request = Request(name, {"A-000001", "notes=x"});
    if (name == "state") request = Request(name, {"A-000001", "in_repair"});
    if (name == "person") request = Request(name, {"dave"});
    EXPECT_EQ(command->RequiredRole(request), expected->second) << name;
  }
}

// Issue 30: viewers read audits and the location map, technicians confirm,
// admins start and close audits and change the map.
TEST(CommandRoles, AuditConfirmIsATechniciansStartAndCloseAnAdmins) {
  const CommandRegistry registry = MakeBuiltinCommands();
  EXPECT_EQ(Needed(registry, Request("audit", {"list"})), Role::kViewer);
  EXPECT_EQ(Needed(registry, Request("audit", {"report", "q4"})), Role::kViewer);
  EXPECT_EQ(Needed(registry, Request("audit", {"confirm", "q4", "IT-1"})), Role::kTechnician);
  EXPECT_EQ(Needed(registry, Request("audit", {"start", "q4"})), Role::kAdmin);
  EXPECT_EQ(Needed(registry, Request("audit", {"close", "q4"})), Role::kAdmin);
  EXPECT_EQ(Needed(registry, Request("location", {"list"})), Role::kViewer);
  EXPECT_EQ(Needed(registry, Request("location", {"map", "HQ"})), Role::kAdmin);
  EXPECT_EQ(Needed(registry, Request("location", {"unmap"})), Role::kAdmin);
}

TEST(CommandRoles, PersonIsAViewersPersonImportAnAdmins) {
  const CommandRegistry registry = MakeBuiltinCommands();
  EXPECT_EQ(Needed(registry, Request("person", {"dave"})), Role::kViewer);
  EXPECT_EQ(Needed(registry, Request("person", {"import", "name\ndave\n"})), Role::kAdmin);
}

TEST(CommandRoles, SetOfNotesIsATechniciansAnyOtherKeyAnAdmins) {
  const CommandRegistry registry = MakeBuiltinCommands();
  EXPECT_EQ(Needed(registry, Request("set", {"A-1", "notes=fan replaced"})), Role::kTechnician);
  EXPECT_EQ(Needed(registry, Request("set", {"A-1", "notes="})), Role::kTechnician);
  EXPECT_EQ(Needed(registry, Request("set", {"A-1", "owner=bob"})), Role::kAdmin);
  EXPECT_EQ(Needed(registry, Request("set", {"A-1", "notes=x", "cost=10"})), Role::kAdmin);
  EXPECT_EQ(Needed(registry, Request("set", {"A-1", "class=server"})), Role::kAdmin);
  EXPECT_EQ(Needed(registry, Request("set", {"A-1", "notesx=1"})), Role::kAdmin);
}

TEST(CommandRoles, StateNeedsAnAdminForRetiringWhateverTheOrigin) {
  const CommandRegistry registry = MakeBuiltinCommands();
  EXPECT_EQ(Needed(registry, Request("state", {"A-1", "in_repair"})), Role::kTechnician);
  // From in_repair back into service: decided against the stored state in Run.
  EXPECT_EQ(Needed(registry, Request("state", {"A-1", "deployed"})), Role::kTechnician);
  EXPECT_EQ(Needed(registry, Request("state", {"A-1", "retired"})), Role::kAdmin);
  EXPECT_EQ(Needed(registry, Request("state", {"A-1", "disposed"})), Role::kAdmin);
}

TEST(CommandRoles, PolicyListIsAViewersPolicyRemoveAnAdmins) {
  const CommandRegistry registry = MakeBuiltinCommands();
  EXPECT_EQ(Needed(registry, Request("policy")), Role::kViewer);
  EXPECT_EQ(Needed(registry, Request("policy", {"remove", "123"})), Role::kAdmin);
}

TEST(CommandRoles, LicencesAndContractsAreReadByViewersAndChangedByAdmins) {
  const CommandRegistry registry = MakeBuiltinCommands();
  for (const char* command : {"licence", "contract"}) {
    EXPECT_EQ(Needed(registry, Request(command, {"show", "X"})), Role::kViewer) << command;
    for (const char* form : {"add", "set", "assign", "remove"}) {
      EXPECT_EQ(Needed(registry, Request(command, {form, "X"})), Role::kAdmin)
          << command << " " << form;
    }
  }
  EXPECT_EQ(Needed(registry, Request("class", {"set", "laptop"})), Role::kAdmin);
}

TEST(CommandRoles, ApproveIgnoreAndMergeAreAdminsInEveryForm) {
  const CommandRegistry registry = MakeBuiltinCommands();
  for (const auto& r :
       {Request("approve", {"device", "A-1"}), Request("approve", {"software", "x"}),
        Request("approve", {"service", "sshd"}), Request("ignore", {"device", "A-1"}),
        Request("merge", {"A-1", "A-2"}), Request("split", {"A-1"})}) {
    EXPECT_EQ(Needed(registry, r), Role::kAdmin) << r.command();
  }
}

TEST(StateChangeRole, TechniciansMoveAssetsIntoAndOutOfRepairOnly) {
  using namespace lifecycle;
  const struct {
    std::string_view from, to;
    Role role;
  } cases[] = {
      {kDeployed, kInRepair, Role::kTechnician}, {kInStock, kInRepair, Role::kTechnician},
      {kInRepair, kDeployed, Role::kTechnician}, {kInRepair, kInStock, Role::kTechnician},
      {kInRepair, kRetired, Role::kAdmin},       {kDeployed, kRetired, Role::kAdmin},
      {kDeployed, kInStock, Role::kAdmin},       {kRetired, kDisposed, Role::kAdmin},
      {kOrdered, kInStock, Role::kAdmin},        {"", kInRepair, Role::kAdmin},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RoleForStateChange(c.from, c.to), c.role) << c.from << " -> " << c.to;
  }
}

TEST(CheckRole, TheDenialNamesTheActionTheRoleAndTheUser) {
  Caller viewer{.uid = 1001, .user = "alice", .role = Role::kViewer};
  Status st = CheckRole(viewer, Role::kTechnician, "`checkout A-1`");
  EXPECT_EQ(st.code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(st.message(),
            "permission denied: `checkout A-1` needs the technician role; alice (uid 1001) has "
            "the viewer role");
  Caller nobody{.uid = 4321, .user = "uid 4321"};
  st = CheckRole(nobody, Role::kViewer, "`stats`");
  EXPECT_NE(st.message().find("uid 4321 has no Estate role"), std::string::npos) << st.message();
  EXPECT_TRUE(CheckRole(viewer, Role::kViewer, "`stats`").ok());
}

// The registry over a real store and writer: the decision as a session sees it.
class RegistryAccess : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open({dir_.path() + "/db"});
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    ingestor_ = std::make_unique<Ingestor>(*store_, GetLogger("test.ingest"));
    ASSERT_TRUE(ingestor_->Start().ok());
    auto registered =
        Run(Role::kAdmin,
            Request("register", {}, {{"class", "laptop"}, {"state", "deployed"}, {"tag", "T-1"}}));
    ASSERT_TRUE(registered.ok()) << registered.error();
  }
  void TearDown() override { ingestor_->Stop(); }

  v1::AdminResponse Run(Role role, const v1::AdminRequest& request) {
    AdminContext context{*store_, counters_, *ingestor_,
                         Caller{.uid = 2000 + static_cast<uid_t>(role),
                                .user = std::string("user-") + RoleName(role),
                                .role = role}};
    return registry_.Execute(request, context);
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Ingestor> ingestor_;
  ServerCounters counters_;
  CommandRegistry registry_ = MakeBuiltinCommands();
};

TEST_F(RegistryAccess, ACallerWithoutARoleIsRefusedEverything) {
  for (const auto& r : {Request("stats"), Request("assets"), Request("no-such-command")}) {
    v1::AdminResponse response = Run(Role::kNone, r);
    EXPECT_FALSE(response.ok()) << r.command();
    EXPECT_TRUE(response.denied()) << r.command();
    EXPECT_NE(response.error().find("user-none (uid 2000) has no Estate role"), std::string::npos)
        << response.error();
  }
}

TEST_F(RegistryAccess, AViewerReadsButCannotCheckOut) {
  EXPECT_TRUE(Run(Role::kViewer, Request("show", {"T-1"})).ok());
  v1::AdminResponse out = Run(Role::kViewer, Request("checkout", {"T-1"}, {{"to", "bob"}}));
  EXPECT_TRUE(out.denied());
  EXPECT_NE(out.error().find("needs the technician role"), std::string::npos) << out.error();
}

TEST_F(RegistryAccess, ATechnicianRepairsButDoesNotRetireOrReshuffle) {
  EXPECT_TRUE(
      Run(Role::kTechnician, Request("state", {"T-1", "in_repair"}, {{"reason", "fan"}})).ok());
  EXPECT_TRUE(Run(Role::kTechnician, Request("set", {"T-1", "notes=new fan"})).ok());
  v1::AdminResponse retire =
      Run(Role::kTechnician, Request("state", {"T-1", "retired"}, {{"reason", "old"}}));
  EXPECT_TRUE(retire.denied()) << retire.error();
  EXPECT_TRUE(
      Run(Role::kTechnician, Request("state", {"T-1", "deployed"}, {{"reason", "fixed"}})).ok());
  // deployed -> in_stock touches no repair: refused on the stored state.
  v1::AdminResponse shelve =
      Run(Role::kTechnician, Request("state", {"T-1", "in_stock"}, {{"reason", "spare"}}));
  EXPECT_TRUE(shelve.denied());
  EXPECT_NE(shelve.error().find("`state` deployed -> in_stock needs the admin role"),
            std::string::npos)
      << shelve.error();
  EXPECT_TRUE(Run(Role::kAdmin, Request("state", {"T-1", "in_stock"}, {{"reason", "spare"}})).ok());
}

TEST_F(RegistryAccess, CheckingOutADiscoveredDeviceIsAnAdminsApproval) {
  // An ARP sighting of an unknown MAC: a discovered, unmanaged asset.
  v1::Frame frame;
  auto* report = frame.mutable_observations();
  report->set_sequence(1);
  auto* obs = report->add_observations();
  obs->set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
  obs->set_ip("192.0.2.50");
  obs->set_mac("00:1b:21:00:00:50");
  obs->set_seen_at(UnixNow());
  std::promise<v1::Frame> answer;
  ingestor_->Submit(Peer{"scanner-1", "", "", v1::PEER_KIND_SCANNER}, frame,
                    [&](v1::Frame a) { answer.set_value(std::move(a)); });
  ASSERT_TRUE(answer.get_future().get().has_ack());

  v1::AdminResponse tech =
      Run(Role::kTechnician, Request("checkout", {"00:1b:21:00:00:50"}, {{"to", "bob"}}));
  EXPECT_TRUE(tech.denied()) << tech.error();
  EXPECT_NE(tech.error().find("`checkout` of a discovered device needs the admin role"),
            std::string::npos)
      << tech.error();
  EXPECT_TRUE(Run(Role::kAdmin, Request("checkout", {"00:1b:21:00:00:50"}, {{"to", "bob"}})).ok());
}

TEST_F(RegistryAccess, AFailureThatIsNotARefusalIsNotCountedAsOne) {
  v1::AdminResponse missing = Run(Role::kAdmin, Request("show", {"A-999999"}));
  EXPECT_FALSE(missing.ok());
  EXPECT_FALSE(missing.denied());
  v1::AdminResponse bad_move =
      Run(Role::kTechnician, Request("state", {"T-1", "ordered"}, {{"reason", "x"}}));
  EXPECT_FALSE(bad_move.ok());
  EXPECT_FALSE(bad_move.denied()) << bad_move.error();
}

TEST_F(RegistryAccess, HistoryRecordsTheUserOfEveryChange) {
  ASSERT_TRUE(Run(Role::kTechnician, Request("set", {"T-1", "notes=checked"})).ok());
  v1::AdminResponse history = Run(Role::kViewer, Request("history", {"T-1"}));
  ASSERT_TRUE(history.ok()) << history.error();
  const std::string json = history.json();
  EXPECT_NE(json.find("user:user-admin"), std::string::npos) << json;
  EXPECT_NE(json.find("user:user-technician"), std::string::npos) << json;
}

}  // namespace
}  // namespace estate::collector
