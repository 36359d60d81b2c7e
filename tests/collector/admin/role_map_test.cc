// Unix groups to roles, without /etc/group: names resolve through a table.
#include "collector/admin/role_map.h"

#include <gtest/gtest.h>

#include <map>

namespace estate::collector {
namespace {

GroupLookup Table() {
  static const std::map<std::string, gid_t> groups = {
      {"estate-viewers", 901}, {"estate-technicians", 902}, {"estate-admins", 903}, {"ops", 910}};
  return [](const std::string& name) -> std::optional<gid_t> {
    auto it = groups.find(name);
    if (it == groups.end()) return std::nullopt;
    return it->second;
  };
}

constexpr uid_t kDaemon = 500;

RoleMap Resolve(const RoleGroups& groups) {
  auto map = RoleMap::Resolve(groups, Table(), kDaemon, nullptr);
  EXPECT_TRUE(map.ok()) << map.status().ToString();
  return map.ok() ? *map : RoleMap();
}

TEST(RoleMap, DefaultGroupsGrantTheirRoles) {
  RoleMap map = Resolve(RoleGroups{});
  EXPECT_EQ(map.RoleFor(1000, 1000, {901}), Role::kViewer);
  EXPECT_EQ(map.RoleFor(1000, 1000, {902}), Role::kTechnician);
  EXPECT_EQ(map.RoleFor(1000, 1000, {903}), Role::kAdmin);
  EXPECT_EQ(map.Describe(),
            "viewer: estate-viewers (gid 901); technician: estate-technicians (gid 902); "
            "admin: estate-admins (gid 903)");
}

TEST(RoleMap, AnUnmappedUserHasNoRole) {
  RoleMap map = Resolve(RoleGroups{});
  EXPECT_EQ(map.RoleFor(1000, 1000, {}), Role::kNone);
  EXPECT_EQ(map.RoleFor(1000, 1000, {910, 27}), Role::kNone);
}

TEST(RoleMap, TheHighestRoleOfAllGroupsWins) {
  RoleMap map = Resolve(RoleGroups{});
  EXPECT_EQ(map.RoleFor(1000, 1000, {901, 903, 902}), Role::kAdmin);
  EXPECT_EQ(map.RoleFor(1000, 1000, {901, 902}), Role::kTechnician);
}

TEST(RoleMap, ThePrimaryGroupCountsToo) {
  RoleMap map = Resolve(RoleGroups{});
  EXPECT_EQ(map.RoleFor(1000, 902, {}), Role::kTechnician);
}

TEST(RoleMap, RootAndTheCollectorsOwnUserAreAdmins) {
  RoleMap map = Resolve(RoleGroups{});
  EXPECT_EQ(map.RoleFor(0, 0, {}), Role::kAdmin);
  EXPECT_EQ(map.RoleFor(kDaemon, 12345, {}), Role::kAdmin);
}

TEST(RoleMap, ListsTakeNamesAndNumericGids) {
  RoleGroups groups;
  groups.lists[Role::kViewer] = "ops, 4242";
  groups.configured[Role::kViewer] = true;
  RoleMap map = Resolve(groups);
  EXPECT_EQ(map.RoleFor(1000, 1000, {910}), Role::kViewer);
  EXPECT_EQ(map.RoleFor(1000, 1000, {4242}), Role::kViewer);
  EXPECT_EQ(map.RoleFor(1000, 1000, {901}), Role::kNone);  // replaced, not added
  EXPECT_NE(map.Describe().find("viewer: ops (gid 910), gid 4242;"), std::string::npos)
      << map.Describe();
}

TEST(RoleMap, AGroupUnderTwoRolesGrantsTheHigher) {
  RoleGroups groups;
  groups.lists[Role::kViewer] = "ops";
  groups.lists[Role::kAdmin] = "ops";
  EXPECT_EQ(Resolve(groups).RoleFor(1000, 1000, {910}), Role::kAdmin);
}

TEST(RoleMap, AConfiguredGroupThatDoesNotExistIsAnError) {
  RoleGroups groups;
  groups.lists[Role::kTechnician] = "estate-techs";
  groups.configured[Role::kTechnician] = true;
  auto map = RoleMap::Resolve(groups, Table(), kDaemon, nullptr);
  ASSERT_FALSE(map.ok());
  EXPECT_NE(map.status().message().find("role.technician: no group named 'estate-techs'"),
            std::string::npos);
}

TEST(RoleMap, AMissingDefaultGroupIsOnlyANote) {
  auto none = [](const std::string&) -> std::optional<gid_t> { return std::nullopt; };
  std::vector<std::string> notes;
  auto map = RoleMap::Resolve(RoleGroups{}, none, kDaemon, &notes);
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(notes.size(), 3u);
  EXPECT_EQ(map->RoleFor(1000, 1000, {901}), Role::kNone);
  EXPECT_EQ(map->RoleFor(0, 0, {}), Role::kAdmin);
}

TEST(RoleMap, AnEmptyListGrantsTheRoleToNobody) {
  RoleGroups groups;
  groups.lists[Role::kAdmin] = "";
  groups.configured[Role::kAdmin] = true;
  RoleMap map = Resolve(groups);
  EXPECT_EQ(map.RoleFor(1000, 1000, {903}), Role::kNone);
  EXPECT_NE(map.Describe().find("admin: no group"), std::string::npos);
}

}  // namespace
}  // namespace estate::collector
