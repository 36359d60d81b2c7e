#include "collector/net/server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include "collector/net/admin_socket_group.h"
#include "collector/net/tls_server.h"

namespace estate::collector {
namespace {

// Sessions at once that tell a peer over max_connections "collector busy".
constexpr int64_t kMaxBusyRefusals = 64;

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Server::Server(ServerOptions options, Ingestor& ingestor, Store& store,
               const CommandRegistry& commands, std::shared_ptr<spdlog::logger> logger)
    : options_(std::move(options)),
      logger_(logger),
      rate_limiter_(options_.report_rate),
      untrusted_bytes_(options_.session.max_unauthenticated_bytes),
      session_context_{ingestor,         store,          counters_,      logger,
                       options_.session, ESTATE_VERSION, nullptr,        nullptr,
                       &rate_limiter_,   &refusals_,     &blocking_pool_},
      admin_context_{commands, store,        counters_,
                     ingestor, admin_pool_,  roles_,
                     logger,   NowSeconds(), options_.admin_idle_timeout} {
  session_context_.untrusted_bytes = &untrusted_bytes_;
}

Server::~Server() { Stop(); }

Status Server::CheckTransport(const ServerOptions& options) {
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
      return Status::InvalidArgument("TLS needs both tls_cert and tls_key");
    }
    return Status::Ok();
  }
  if (!options.insecure_plaintext) {
    return Status::FailedPrecondition(
        "no tls_cert/tls_key: refusing to serve agents in plaintext. Create a CA and a "
        "certificate with `estatectl pki init DIR`, or set insecure_plaintext = true (loopback "
        "listeners only)");
  }
  if (!IsLoopbackHost(options.listen.host)) {
    return Status::FailedPrecondition(
        "insecure_plaintext is allowed only on a loopback listener, "
        "not " +
        options.listen.ToString() + ": set tls_cert and tls_key");
  }
  return Status::Ok();
}

Status Server::SetUpTransport() {
  ESTATE_RETURN_IF_ERROR(CheckTransport(options_));
  if (!options_.tls_cert_file.empty()) {
    auto context = MakeServerTlsContext(options_.tls_cert_file, options_.tls_key_file);
    if (!context.ok()) return context.status();
    tls_ = std::move(*context);
    session_context_.tls = tls_.get();
    return Status::Ok();
  }
  logger_->warn("serving agents in PLAINTEXT on {} (insecure_plaintext): loopback only",
                options_.listen.ToString());
  return Status::Ok();
}

Status Server::Start() {
  std::vector<std::string> notes;
  auto roles = RoleMap::Resolve(options_.roles, SystemGroupLookup(), ::geteuid(), &notes);
  if (!roles.ok()) return roles.status();
  roles_ = std::move(*roles);

  error_code ec;
  auto address = asio::ip::make_address(options_.listen.host, ec);
  if (ec) {
    return Status::InvalidArgument("listen address '" + options_.listen.host +
                                   "' is not an IP address");
  }
  ESTATE_RETURN_IF_ERROR(SetUpTransport());
  tcp::endpoint endpoint(address, options_.listen.port);
  agent_acceptor_.open(endpoint.protocol(), ec);
  if (!ec) agent_acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) agent_acceptor_.bind(endpoint, ec);
  if (!ec) agent_acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + options_.listen.ToString() + ": " +
                               ec.message());
  }
  bound_port_ = agent_acceptor_.local_endpoint().port();

  // A socket file left by a collector that died is removed; a live one is not.
  const std::string& path = options_.admin_socket;
  if (::access(path.c_str(), F_OK) == 0) {
    unix_socket::socket probe(io_);
    probe.connect(unix_socket::endpoint(path), ec);
    if (!ec) return Status::AlreadyExists("another collector is serving " + path);
    ::unlink(path.c_str());
  }
  // Owner only until SetAdminSocketGroup opens it to the group (0660). Not
  // 0117: the umask is the process's, and files RocksDB creates meanwhile
  // must not come out group-readable.
  const mode_t old_mask = ::umask(0077);
  admin_acceptor_.open(unix_socket(), ec);
  if (!ec) admin_acceptor_.bind(unix_socket::endpoint(path), ec);
  if (!ec) admin_acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  ::umask(old_mask);
  if (ec) return Status::Unavailable("cannot listen on admin socket " + path + ": " + ec.message());
  auto group = SetAdminSocketGroup(path, options_.admin_group, SystemGroupLookup(), &notes);
  if (!group.ok()) {
    StopAccepting();
    return group.status();
  }
  for (const auto& note : notes) logger_->warn("{}", note);
  logger_->info("admin socket {}: mode 0660, group {}; roles by group: {}", path, *group,
                roles_.Describe());

  asio::co_spawn(io_, AcceptAgents(), asio::detached);
  asio::co_spawn(io_, AcceptAdmins(), asio::detached);
  return Status::Ok();
}

awaitable<void> Server::AcceptAgents() {
  while (agent_acceptor_.is_open()) {
    error_code ec;
    tcp::socket socket = co_await agent_acceptor_.async_accept(
        asio::make_strand(io_), asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !agent_acceptor_.is_open()) co_return;
      // EMFILE and friends: back off instead of spinning.
      logger_->warn("accept failed: {}", ec.message());
      asio::steady_timer pause(io_, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
      continue;
    }
    counters_.connections_accepted++;
    BusyReason busy = BusyReason::kNone;
    ByteCharge tls_state;
    if (static_cast<size_t>(counters_.connections_active.load()) >= options_.max_connections) {
      busy = BusyReason::kMaxConnections;
    } else if (tls_ != nullptr) {
      // A stranger's TLS state counts against max_unauthenticated_mb from
      // the first byte of its handshake: OpenSSL holds ~14.5 KiB for every
      // live connection, 20,000 of them would hold ~280 MiB.
      tls_state = ByteCharge(&untrusted_bytes_, kTlsHandshakeStateBytes);
      if (!tls_state.held()) {
        busy = BusyReason::kUnauthenticatedBudget;
        counters_.unauthenticated_over_budget++;
      }
    }
    if (busy != BusyReason::kNone && counters_.busy_refusals_active.load() >= kMaxBusyRefusals) {
      // Over a cap a peer is still told why, in a frame it can read (over
      // TLS that takes the handshake): a few at a time, the rest are closed.
      if (busy == BusyReason::kMaxConnections) counters_.connections_refused++;
      auto peer = socket.remote_endpoint(ec);
      const std::string client = ec ? "unknown" : peer.address().to_string();
      if (busy == BusyReason::kMaxConnections) {
        if (refusals_.ShouldLog("connection-cap", client)) {
          logger_->warn("{}: connection refused: {} connections open (max_connections)", client,
                        counters_.connections_active.load());
        }
      } else if (refusals_.ShouldLog("unauthenticated-budget", client)) {
        logger_->warn(
            "{}: connection refused: connections that have not said hello hold "
            "max_unauthenticated_mb",
            client);
      }
      socket.close(ec);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto strand = socket.get_executor();  // accepted onto its own strand
    auto session = std::make_shared<AgentSession>(std::move(socket), session_context_, busy,
                                                  std::move(tls_state));
    // The lambda (and so the session) lives as long as the coroutine.
    asio::co_spawn(
        strand, [session] { return session->Run(); }, asio::detached);
  }
}

awaitable<void> Server::AcceptAdmins() {
  while (admin_acceptor_.is_open()) {
    error_code ec;
    // Each admin connection on its own strand, which its idle timer shares.
    unix_socket::socket socket = co_await admin_acceptor_.async_accept(
        asio::make_strand(io_), asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !admin_acceptor_.is_open()) co_return;
      logger_->warn("admin accept failed: {}", ec.message());
      continue;
    }
    auto strand = socket.get_executor();
    auto session = std::make_shared<AdminSession>(std::move(socket), admin_context_);
    asio::co_spawn(
        strand, [session] { return session->Run(); }, asio::detached);
  }
}

void Server::Run() {
  std::vector<std::thread> threads;
  for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& t : threads) t.join();
}

void Server::StopAccepting() {
  error_code ignored;
  agent_acceptor_.close(ignored);
  if (admin_acceptor_.is_open()) {
    admin_acceptor_.close(ignored);
    ::unlink(options_.admin_socket.c_str());
  }
}

void Server::Stop() {
  StopAccepting();
  io_.stop();
  admin_pool_.join();
  blocking_pool_.join();
}

}  // namespace estate::collector
