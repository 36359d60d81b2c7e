#include "collector/net/inventory_listener.h"

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "collector/inventory/inventory_credentials.h"
#include "collector/net/tls_server.h"
#include "collector/reconcile/peer_kinds.h"
#include "estate/text.h"

// GCC 12 warns that Asio's recycled coroutine frames (awaitable_frame_base's
// operator new/delete pair) are mismatched where it inlines them into a
// value-returning awaitable: they are not (same allocator on both sides).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace estate::collector {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

constexpr uint32_t kMaxHeaderBytes = 16 * 1024;
constexpr char kRealm[] = "Basic realm=\"Estate inventory\"";

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

class InventoryListener::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(InventoryListener& listener, tcp::socket socket)
      : listener_(listener),
        socket_(std::move(socket)),
        watchdog_(socket_.get_executor()),
        stored_(socket_.get_executor()),
        checked_(socket_.get_executor()) {
    error_code ec;
    auto peer = socket_.remote_endpoint(ec);
    address_ = ec ? "unknown" : peer.address().to_string();
  }

  awaitable<void> Run() {
    ++listener_.active_;
    try {
      Arm();
      asio::co_spawn(socket_.get_executor(), Watchdog(shared_from_this()), asio::detached);
      if (listener_.tls_) {
        tls_.emplace(socket_, *listener_.tls_);
        error_code ec;
        co_await tls_->async_handshake(asio::ssl::stream_base::server,
                                       asio::redirect_error(use_awaitable, ec));
        if (!ec) co_await Serve(*tls_);
      } else {
        co_await Serve(socket_);
      }
    } catch (const std::exception& e) {
      listener_.logger_->warn("{}: inventory connection failed: {}", address_, e.what());
    }
    Close();
    --listener_.active_;
  }

 private:
  void Arm() { deadline_ = std::chrono::steady_clock::now() + listener_.options_.request_timeout; }

  static awaitable<void> Watchdog(std::shared_ptr<Session> self) {
    while (self->socket_.is_open()) {
      self->watchdog_.expires_at(self->deadline_);
      error_code ec;
      co_await self->watchdog_.async_wait(asio::redirect_error(use_awaitable, ec));
      if (std::chrono::steady_clock::now() >= self->deadline_ && self->socket_.is_open()) {
        self->Close();
      }
    }
  }

  void Close() {
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    watchdog_.cancel();
  }

  template <class Stream>
  awaitable<void> Serve(Stream& stream) {
    beast::flat_buffer buffer;
    while (socket_.is_open()) {
      Arm();
      http::request_parser<http::string_body> parser;
      parser.header_limit(kMaxHeaderBytes);
      parser.body_limit(listener_.options_.max_body_bytes);
      error_code ec;
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
      if (ec == http::error::end_of_stream || ec == asio::error::eof ||
          ec == asio::error::operation_aborted || !socket_.is_open()) {
        co_return;
      }
      if (ec) {
        const bool too_big = ec == http::error::body_limit || ec == http::error::header_limit;
        Refused(too_big ? "oversized" : "bad-http", "HTTP request refused: " + ec.message());
        http::response<http::string_body> res{
            too_big ? http::status::payload_too_large : http::status::bad_request, 11};
        res.set(http::field::connection, "close");
        res.body() = ec.message() + "\n";
        res.prepare_payload();
        co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
        co_return;
      }
      auto res = co_await Handle(parser.get());
      res.keep_alive(parser.get().keep_alive());
      res.prepare_payload();
      co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
      if (ec || !res.keep_alive()) co_return;
    }
  }

  http::response<http::string_body> Plain(http::status status, const std::string& text,
                                          unsigned version) {
    http::response<http::string_body> res{status, version};
    res.set(http::field::server, "estated");
    res.set(http::field::content_type, "text/plain");
    res.body() = text + "\n";
    return res;
  }

  awaitable<http::response<http::string_body>> Handle(const http::request<http::string_body>& req) {
    const auto& options = listener_.options_;
    if (req.method() != http::verb::post) {
      Refused("method",
              "inventory request refused: " + std::string(req.method_string()) + " (agents POST)");
      auto res =
          Plain(http::status::method_not_allowed, "agents POST their messages", req.version());
      res.set(http::field::allow, "POST");
      co_return res;
    }
    if (!options.allow_anonymous) {
      auto refused = co_await CheckCredentials(req);
      if (refused) co_return std::move(*refused);
    }
    const std::string user_agent(req[http::field::user_agent]);
    InventoryReply reply = HandleInventoryRequest({req.body(), user_agent}, options.protocol);
    if (reply.status == 200 && reply.report) reply = co_await Store(std::move(reply));
    if (reply.status >= 400) {
      Refused("invalid:" + reply.error.substr(0, 40), "inventory request refused (" +
                                                          std::to_string(reply.status) +
                                                          "): " + SanitizeUtf8(reply.error));
    }
    http::response<http::string_body> res{static_cast<http::status>(reply.status), req.version()};
    res.set(http::field::server, "estated");
    res.set(http::field::content_type, reply.content_type);
    if (reply.status == 503) res.set(http::field::retry_after, "60");
    res.body() = std::move(reply.body);
    co_return res;
  }

  // nullopt when `req` carries the site token or an inventory user's
  // password; else the refusal: 401 with the challenge, or 503 when too many
  // passwords are being checked already.
  awaitable<std::optional<http::response<http::string_body>>> CheckCredentials(
      const http::request<http::string_body>& req) {
    auto challenge = [&] {
      auto res = Plain(http::status::unauthorized, "inventory credentials required", req.version());
      res.set(http::field::www_authenticate, kRealm);
      return res;
    };
    auto header = req.find(http::field::authorization);
    if (header == req.end()) {
      // Agents send credentials only when challenged: the first 401 is the
      // protocol, a wrong password is worth a line.
      listener_.logger_->debug("{}: inventory request challenged for credentials", address_);
      co_return challenge();
    }
    const std::string_view text(header->value().data(), header->value().size());
    if (InventoryCredentialsMatch(text, listener_.options_.token)) co_return std::nullopt;
    auto presented = ParseAuthorization(text);
    if (!presented || presented->bearer || listener_.users_ == nullptr) {
      Refused("credentials", presented && presented->bearer
                                 ? "inventory refused: wrong bearer token"
                                 : "inventory refused: wrong credentials");
      co_return challenge();
    }
    InventoryUsers& users = *listener_.users_;
    const std::string user = SanitizeUtf8(presented->user);
    auto verdict =
        users.Lookup(presented->user, presented->password, std::chrono::steady_clock::now());
    if (verdict == InventoryUsers::Verdict::kUnchecked) {
      if (listener_.checking_.fetch_add(1) >= listener_.options_.max_credential_checks) {
        --listener_.checking_;
        Refused("credential-checks", "inventory request refused: " +
                                         std::to_string(listener_.options_.max_credential_checks) +
                                         " passwords being checked already (user " + user + ")");
        auto res = Plain(http::status::service_unavailable,
                         "busy checking credentials, retry later", req.version());
        res.set(http::field::retry_after, "10");
        co_return res;
      }
      const bool ok =
          co_await VerifyOffThread(std::move(presented->user), std::move(presented->password));
      --listener_.checking_;
      verdict = ok ? InventoryUsers::Verdict::kAccepted : InventoryUsers::Verdict::kRefused;
    }
    if (verdict == InventoryUsers::Verdict::kAccepted) co_return std::nullopt;
    // Keyed by user: each user's failures get their line, a flood on one user one a minute.
    Refused("credentials:" + user.substr(0, 64),
            "inventory refused for user " + user + ": wrong password, or unknown or revoked user");
    co_return challenge();
  }

  // Users::Verify on the listener's hashing thread; the session waits on its strand.
  awaitable<bool> VerifyOffThread(std::string user, std::string password) {
    auto answer = std::make_shared<std::optional<bool>>();
    auto self = shared_from_this();
    auto executor = socket_.get_executor();
    checked_.expires_at(std::chrono::steady_clock::time_point::max());
    asio::post(listener_.checker_,
               [self, executor, answer, user = std::move(user), password = std::move(password)] {
                 const bool ok = self->listener_.users_->Verify(user, password,
                                                                std::chrono::steady_clock::now());
                 asio::post(executor, [self, answer, ok] {
                   *answer = ok;
                   self->checked_.cancel();
                 });
               });
    while (!answer->has_value()) {
      error_code ec;
      co_await checked_.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    co_return **answer;
  }

  // Stores the report like an estate-agent full report; the reply stands
  // once it is durable, else an error in the agent's dialect.
  awaitable<InventoryReply> Store(InventoryReply reply) {
    ForeignReport& report = *reply.report;
    const int64_t now_us = NowMicros();
    if (listener_.nodes_ != nullptr) {
      Status admitted = listener_.nodes_->AdmitForeign(
          report.node_id, report.kind, report.facts.hostname(), address_, now_us / 1000000);
      if (!admitted.ok()) co_return InventoryErrorReply(reply, 403, admitted.message());
    }
    v1::Frame frame;
    auto* full = frame.mutable_full_report();
    // Foreign agents number nothing: the receive time orders their reports.
    full->set_sequence(static_cast<uint64_t>(now_us));
    full->set_collected_at(now_us / 1000000);
    *full->mutable_facts() = std::move(report.facts);
    const size_t packages = static_cast<size_t>(full->facts().software_size());
    const std::string hostname = full->facts().hostname();
    Peer peer{report.node_id, hostname, report.version, report.kind};
    auto answer = std::make_shared<std::optional<v1::Frame>>();
    auto self = shared_from_this();
    auto executor = socket_.get_executor();
    stored_.expires_at(std::chrono::steady_clock::time_point::max());
    listener_.ingestor_.Submit(peer, std::move(frame), [self, executor, answer](v1::Frame a) {
      // On the committer thread: back to the session's strand.
      asio::post(executor, [self, answer, a = std::move(a)]() mutable {
        *answer = std::move(a);
        self->stored_.cancel();
      });
    });
    while (!answer->has_value()) {
      error_code ec;
      co_await stored_.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    const v1::Frame& a = **answer;
    if (a.has_ack()) {
      listener_.logger_->info("{}: inventory from {} {} ({}, {} packages) stored as {}", address_,
                              PeerKindName(peer.kind), SanitizeUtf8(peer.node_id),
                              SanitizeUtf8(hostname), packages, a.ack().asset_id());
      co_return reply;
    }
    const auto code = a.has_error() ? a.error().code() : v1::ERROR_CODE_UNSPECIFIED;
    const std::string why = a.has_error() ? a.error().message() : "not stored";
    if (code == v1::ERROR_CODE_UNAUTHENTICATED && listener_.nodes_ != nullptr) {
      listener_.nodes_->RevokedByWriter(peer.node_id, why, now_us / 1000000);
    }
    const unsigned status = code == v1::ERROR_CODE_UNAUTHENTICATED  ? 403
                            : code == v1::ERROR_CODE_UNAVAILABLE    ? 503
                            : code == v1::ERROR_CODE_INVALID_REPORT ? 400
                                                                    : 500;
    co_return InventoryErrorReply(reply, status, why);
  }

  void Refused(const std::string& reason, const std::string& message) {
    if (listener_.refusals_.ShouldLog("inventory:" + reason, address_)) {
      listener_.logger_->warn("{}: {}", address_, message);
    }
  }

  InventoryListener& listener_;
  tcp::socket socket_;
  std::optional<asio::ssl::stream<tcp::socket&>> tls_;
  asio::steady_timer watchdog_;
  asio::steady_timer stored_;   // cancelled when the ingestor answers
  asio::steady_timer checked_;  // cancelled when a password is checked
  std::chrono::steady_clock::time_point deadline_;
  std::string address_;
};

InventoryListener::InventoryListener(InventoryListenerOptions options, asio::io_context& io,
                                     Ingestor& ingestor, NodeDirectory* nodes,
                                     InventoryUsers* users, std::shared_ptr<spdlog::logger> logger)
    : options_(std::move(options)),
      io_(io),
      ingestor_(ingestor),
      nodes_(nodes),
      users_(users),
      logger_(std::move(logger)),
      acceptor_(io) {}

InventoryListener::~InventoryListener() {
  StopAccepting();
  checker_.join();
}

Status InventoryListener::CheckOptions(const InventoryListenerOptions& options) {
  if (!options.enabled) return Status::Ok();
  // inventory_insecure_plaintext asks for HTTP even when the collector has a certificate.
  const bool tls = !options.tls_cert_file.empty() && !options.tls_key_file.empty() &&
                   !options.insecure_plaintext;
  const bool loopback = IsLoopbackHost(options.listen.host);
  if (!tls) {
    if (!options.insecure_plaintext) {
      return Status::FailedPrecondition(
          "inventory_listen without tls_cert/tls_key: set them (`estatectl pki init DIR`), or "
          "inventory_insecure_plaintext = true on a loopback address");
    }
    if (!loopback) {
      return Status::FailedPrecondition(
          "inventory_insecure_plaintext is allowed only on a loopback inventory_listen, not " +
          options.listen.ToString());
    }
  }
  if (options.allow_anonymous) {
    if (tls || !loopback) {
      return Status::FailedPrecondition(
          "inventory_anonymous is allowed only with loopback plaintext "
          "(inventory_insecure_plaintext)");
    }
  }
  // Without a token only inventory users are accepted: they may be added
  // while estated runs (`estatectl inventory-user add`).
  return Status::Ok();
}

Status InventoryListener::Start() {
  ESTATE_RETURN_IF_ERROR(CheckOptions(options_));
  if (!options_.tls_cert_file.empty() && !options_.insecure_plaintext) {
    auto context = MakeServerTlsContext(options_.tls_cert_file, options_.tls_key_file);
    if (!context.ok()) return context.status();
    tls_ = std::move(*context);
  }
  error_code ec;
  auto address = asio::ip::make_address(options_.listen.host, ec);
  if (ec) {
    return Status::InvalidArgument("inventory_listen address '" + options_.listen.host +
                                   "' is not an IP address");
  }
  tcp::endpoint endpoint(address, options_.listen.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on inventory_listen " + options_.listen.ToString() +
                               ": " + ec.message());
  }
  bound_port_ = acceptor_.local_endpoint().port();
  if (!tls_) {
    logger_->warn("inventory listener on {} in PLAINTEXT (loopback only){}",
                  options_.listen.ToString(),
                  options_.allow_anonymous ? ", WITHOUT credentials" : "");
  }
  logger_->info("inventory listener (FusionInventory, GLPI Agent, OCS) on {}:{} over {}",
                options_.listen.host, bound_port_, tls_ ? "HTTPS" : "HTTP");
  if (!options_.allow_anonymous && options_.token.empty()) {
    logger_->info(
        "no inventory_token_file: only inventory users (estatectl inventory-user) "
        "are accepted");
  }
  asio::co_spawn(io_, Accept(), asio::detached);
  return Status::Ok();
}

awaitable<void> InventoryListener::Accept() {
  while (acceptor_.is_open()) {
    error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(asio::make_strand(io_),
                                                         asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      logger_->warn("inventory accept failed: {}", ec.message());
      asio::steady_timer pause(io_, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
      continue;
    }
    if (active_.load() >= options_.max_connections) {
      auto peer = socket.remote_endpoint(ec);
      const std::string client = ec ? "unknown" : peer.address().to_string();
      if (refusals_.ShouldLog("inventory:connection-cap", client)) {
        logger_->warn("{}: inventory connection refused: {} open (inventory_max_connections)",
                      client, active_.load());
      }
      socket.close(ec);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto strand = socket.get_executor();
    auto session = std::make_shared<Session>(*this, std::move(socket));
    asio::co_spawn(
        strand, [session] { return session->Run(); }, asio::detached);
  }
}

void InventoryListener::StopAccepting() {
  error_code ignored;
  acceptor_.close(ignored);
}

}  // namespace estate::collector
