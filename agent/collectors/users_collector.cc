#include "agent/collectors/users_collector.h"

#include <cstring>

#include "estate/text.h"

namespace estate::agent {
namespace {

// glibc's struct utmp on Linux (64-bit and 32-bit alike: ut_tv is two int32).
constexpr size_t kUtmpRecord = 384;
constexpr size_t kTypeOffset = 0;
constexpr size_t kLineOffset = 8;
constexpr size_t kUserOffset = 44;
constexpr size_t kHostOffset = 76;
constexpr size_t kTimeOffset = 340;
constexpr int32_t kUserProcess = 7;

int32_t ReadInt32(const char* p) {
  int32_t value;
  std::memcpy(&value, p, sizeof value);  // utmp is in host byte order
  return value;
}

std::string FixedString(const char* p, size_t size) {
  return SanitizeUtf8(std::string_view(p, strnlen(p, size)));
}

class UsersCollector : public Collector {
 public:
  std::string_view Name() const override { return "users"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    if (auto passwd = root.ReadFile("/etc/passwd", 16 << 20); passwd.ok()) {
      for (auto& user : ParsePasswd(*passwd)) *facts->add_users() = std::move(user);
    } else {
      AddWarning(facts, Name(), passwd.status());
    }
    if (auto group = root.ReadFile("/etc/group", 16 << 20); group.ok()) {
      for (auto& g : ParseGroup(*group)) *facts->add_groups() = std::move(g);
    } else {
      AddWarning(facts, Name(), group.status());
    }
    auto utmp = root.ReadFile("/run/utmp", 16 << 20);
    if (!utmp.ok()) utmp = root.ReadFile("/var/run/utmp", 16 << 20);
    if (utmp.ok()) {
      for (auto& session : ParseUtmp(*utmp)) *facts->add_sessions() = std::move(session);
    }
  }
};

}  // namespace

bool IsLoginShell(std::string_view shell) {
  return !(shell.ends_with("/nologin") || shell.ends_with("/false") || shell == "/bin/sync" ||
           shell.ends_with("/shutdown") || shell.ends_with("/halt"));
}

std::vector<v1::UserAccount> ParsePasswd(std::string_view text) {
  std::vector<v1::UserAccount> out;
  for (std::string_view line : Split(text, '\n')) {
    if (line.empty() || line.front() == '#' || line.front() == '+' || line.front() == '-') continue;
    auto f = Split(line, ':');
    if (f.size() < 7) continue;
    auto uid = ParseUint(f[2]);
    auto gid = ParseUint(f[3]);
    if (!uid || !gid) continue;
    v1::UserAccount user;
    user.set_name(std::string(f[0]));
    user.set_uid(static_cast<uint32_t>(*uid));
    user.set_gid(static_cast<uint32_t>(*gid));
    user.set_gecos(SanitizeUtf8(f[4]));
    user.set_home(std::string(f[5]));
    user.set_shell(std::string(f[6]));
    user.set_login_capable(IsLoginShell(f[6]));
    out.push_back(std::move(user));
  }
  return out;
}

std::vector<v1::UserGroup> ParseGroup(std::string_view text) {
  std::vector<v1::UserGroup> out;
  for (std::string_view line : Split(text, '\n')) {
    if (line.empty() || line.front() == '#' || line.front() == '+' || line.front() == '-') continue;
    auto f = Split(line, ':');
    if (f.size() < 4) continue;
    auto gid = ParseUint(f[2]);
    if (!gid) continue;
    v1::UserGroup group;
    group.set_name(std::string(f[0]));
    group.set_gid(static_cast<uint32_t>(*gid));
    if (!Trim(f[3]).empty()) {
      for (std::string_view member : Split(Trim(f[3]), ',')) {
        if (!member.empty()) group.add_members(std::string(member));
      }
    }
    out.push_back(std::move(group));
  }
  return out;
}

std::vector<v1::LoginSession> ParseUtmp(std::string_view bytes) {
  std::vector<v1::LoginSession> out;
  for (size_t offset = 0; offset + kUtmpRecord <= bytes.size(); offset += kUtmpRecord) {
    const char* record = bytes.data() + offset;
    if (ReadInt32(record + kTypeOffset) != kUserProcess) continue;
    v1::LoginSession session;
    session.set_user(FixedString(record + kUserOffset, 32));
    session.set_tty(FixedString(record + kLineOffset, 32));
    session.set_host(FixedString(record + kHostOffset, 256));
    session.set_login_time(ReadInt32(record + kTimeOffset));
    if (!session.user().empty()) out.push_back(std::move(session));
  }
  return out;
}

std::unique_ptr<Collector> MakeUsersCollector() { return std::make_unique<UsersCollector>(); }

}  // namespace estate::agent
