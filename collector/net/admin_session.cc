#include "collector/net/admin_session.h"

#include <grp.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "collector/net/frame_io.h"

namespace estate::collector {
namespace {

// A request carries a `person import`'s file (estatectl reads it): 16 MiB
// is some 200,000 people. Only members of the socket's group can send one.
constexpr uint32_t kMaxAdminFrameBytes = 16u << 20;
// Responses (a large `assets --json`) may be far bigger than requests.
constexpr uint32_t kMaxAdminResponseBytes = 1u << 30;

}  // namespace

AdminSession::AdminSession(unix_socket::socket socket, AdminSessionContext& context)
    : socket_(std::move(socket)), context_(context), watchdog_(socket_.get_executor()) {}

void AdminSession::StartIdleClock() {
  deadline_ = std::chrono::steady_clock::now() + context_.idle_timeout;
  watchdog_.cancel();  // the watchdog may be waiting for no deadline at all
}

void AdminSession::StopIdleClock() { deadline_ = std::chrono::steady_clock::time_point::max(); }

awaitable<void> AdminSession::Watchdog() {
  auto self = shared_from_this();
  while (socket_.is_open()) {
    watchdog_.expires_at(deadline_);
    error_code ec;
    co_await watchdog_.async_wait(asio::redirect_error(use_awaitable, ec));
    if (!socket_.is_open()) break;
    if (deadline_ <= std::chrono::steady_clock::now()) {
      context_.counters.admin_timeouts++;
      context_.logger->info("admin connection closed: idle for {} ms",
                            context_.idle_timeout.count());
      error_code ignored;
      socket_.close(ignored);  // the pending read or write ends with an error
      break;
    }
  }
}

Caller AdminSession::PeerCredentials() {
  Caller caller;
  const int fd = socket_.native_handle();
  struct ucred cred {};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return caller;  // role none: refused everything
  }
  caller.uid = cred.uid;
  caller.gid = cred.gid;
  caller.pid = cred.pid;
  struct passwd pw {};
  struct passwd* found = nullptr;
  char buf[4096];
  const bool known = ::getpwuid_r(cred.uid, &pw, buf, sizeof buf, &found) == 0 && found != nullptr;
  caller.user = known ? found->pw_name : "uid " + std::to_string(cred.uid);
  // SO_PEERGROUPS (Linux 4.13) gives the groups the client really holds, also
  // ones set with setgroups() and groups missing from /etc/group.
  std::vector<gid_t> groups(64);
  socklen_t size = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
  int rc = ::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &size);
  if (rc != 0 && errno == ERANGE) {  // `size` now holds what is needed
    groups.resize(size / sizeof(gid_t));
    rc = ::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &size);
  }
  if (rc == 0) {
    groups.resize(size / sizeof(gid_t));
    caller.groups = std::move(groups);
  } else if (known) {
    // Older kernels: the user's groups in the group database.
    int count = 64;
    caller.groups.resize(count);
    if (::getgrouplist(found->pw_name, cred.gid, caller.groups.data(), &count) < 0) {
      caller.groups.resize(count);
      ::getgrouplist(found->pw_name, cred.gid, caller.groups.data(), &count);
    }
    caller.groups.resize(std::max(count, 0));
  }
  caller.role = context_.roles.RoleFor(caller.uid, caller.gid, caller.groups);
  return caller;
}

awaitable<void> AdminSession::Run() {
  auto self = shared_from_this();
  const Caller caller = PeerCredentials();
  asio::co_spawn(
      socket_.get_executor(), [self] { return self->Watchdog(); }, asio::detached);
  try {
    for (;;) {
      StartIdleClock();
      FrameRead read = co_await ReadFrame(socket_, kMaxAdminFrameBytes);
      if (read.failure != ReadFailure::kNone) break;
      StopIdleClock();
      context_.counters.admin_requests++;
      v1::AdminRequest request;
      v1::AdminResponse response;
      if (!DecodeFramePayload(read.payload, &request).ok()) {
        response.set_error("request is not a valid estate.v1.AdminRequest");
      } else {
        // Run the command off the I/O threads, then come back to write.
        auto executor = co_await asio::this_coro::executor;
        co_await asio::post(context_.pool, use_awaitable);
        AdminContext admin{context_.store, context_.counters, context_.ingestor, caller,
                           context_.started_at};
        response = context_.commands.Execute(request, admin);
        co_await asio::post(executor, use_awaitable);
        if (response.denied()) {
          context_.counters.admin_denied++;
          std::string groups;
          for (gid_t g : caller.groups) groups += (groups.empty() ? "" : ",") + std::to_string(g);
          context_.logger->warn("admin denied: pid {}, gid {}, groups {}: {}", caller.pid,
                                caller.gid, groups.empty() ? "-" : groups, response.error());
        } else if (!response.ok()) {
          context_.logger->info("admin {} ({}): {} failed: {}", caller.user, caller.uid,
                                request.command(), response.error());
        }
      }
      StartIdleClock();  // a client that does not read its response is idle too
      if (!co_await WriteFrame(socket_, response, kMaxAdminResponseBytes)) break;
    }
  } catch (const std::exception& e) {
    context_.logger->warn("admin session ended by an internal error: {}", e.what());
  }
  error_code ignored;
  socket_.close(ignored);
  watchdog_.cancel();
}

}  // namespace estate::collector
