// UsersCollector: local accounts (/etc/passwd), groups with members
// (/etc/group) and logged-in sessions (the utmp file, /run/utmp).
#ifndef ESTATE_AGENT_COLLECTORS_USERS_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_USERS_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeUsersCollector();

std::vector<v1::UserAccount> ParsePasswd(std::string_view text);
std::vector<v1::UserGroup> ParseGroup(std::string_view text);
// USER_PROCESS records of a glibc utmp file (384-byte records); a trailing
// partial record is ignored.
std::vector<v1::LoginSession> ParseUtmp(std::string_view bytes);
// False for nologin/false shells.
bool IsLoginShell(std::string_view shell);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_USERS_COLLECTOR_H_
