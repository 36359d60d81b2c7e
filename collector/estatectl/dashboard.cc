#include "collector/estatectl/dashboard.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <utility>

#include "collector/estatectl/html_report.h"
#include "collector/estatectl/html_report_source.h"
#include "estate/endpoint.h"

namespace estate::collector {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Requests are a line and a few headers: anything bigger is not a browser's GET.
constexpr size_t kMaxRequestBytes = 16 * 1024;
constexpr int kReadTimeoutSeconds = 10;

http::response<http::string_body> Plain(http::status status, std::string text) {
  http::response<http::string_body> response{status, 11};
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.body() = std::move(text) + "\n";
  return response;
}

// The report page with a reload every `refresh` seconds (a meta tag: the page
// carries no script).
std::string LivePage(const DashboardOptions& options, Status* failed) {
  auto data = GatherHtmlReport(options.socket_path, options.report);
  if (!data.ok()) {
    *failed = data.status();
    return "";
  }
  std::string page = RenderHtmlReport(*data);
  const std::string refresh =
      "<meta http-equiv=\"refresh\" content=\"" + std::to_string(options.refresh_seconds) + "\">";
  if (const size_t head = page.find("<head>"); head != std::string::npos) {
    page.insert(head + 6, refresh);
  }
  return page;
}

http::response<http::string_body> Answer(const DashboardOptions& options,
                                         const http::request<http::string_body>& request) {
  if (request.method() != http::verb::get) {
    auto response = Plain(http::status::method_not_allowed, "read-only: GET only");
    response.set(http::field::allow, "GET");
    return response;
  }
  const std::string_view target(request.target().data(), request.target().size());
  if (target != "/" && target != "/index.html") {
    return Plain(http::status::not_found, "not found: the dashboard is at /");
  }
  Status failed;
  std::string page = LivePage(options, &failed);
  if (!failed.ok()) {
    std::fprintf(stderr, "estatectl dashboard: %s\n", failed.message().c_str());
    return Plain(http::status::service_unavailable,
                 "the collector did not answer: " + failed.message());
  }
  http::response<http::string_body> response{http::status::ok, 11};
  response.set(http::field::content_type, "text/html; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = std::move(page);
  return response;
}

}  // namespace

Status CheckDashboardAddress(const std::string& listen) {
  auto endpoint = ParseEndpoint(listen);
  if (!endpoint.ok()) return endpoint.status();
  if (endpoint->port == 0) return Status::InvalidArgument("--listen: " + listen + " has no port");
  if (!IsLoopbackHost(endpoint->host)) {
    return Status::InvalidArgument(
        "--listen: " + listen +
        " is not a loopback address; whoever reaches the port reads what you may read, and "
        "the dashboard has no TLS or password yet (reach it through ssh -L instead)");
  }
  return Status::Ok();
}

Status RunDashboard(const DashboardOptions& options) {
  ESTATE_RETURN_IF_ERROR(CheckDashboardAddress(options.listen));
  auto endpoint = ParseEndpoint(options.listen);
  asio::io_context io;
  boost::system::error_code ec;
  const auto address =
      asio::ip::make_address(endpoint->host == "localhost" ? "127.0.0.1" : endpoint->host, ec);
  if (ec) return Status::InvalidArgument("--listen: " + options.listen + ": " + ec.message());
  tcp::acceptor acceptor(io);
  const tcp::endpoint local(address, endpoint->port);
  acceptor.open(local.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(local, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable("--listen: " + options.listen + ": " + ec.message());
  std::fprintf(stderr, "estatectl: dashboard on http://%s/ (read-only; Ctrl-C stops it)\n",
               options.listen.c_str());
  // One browser at a time: each page is drawn from the collector anyway.
  for (;;) {
    tcp::socket socket(io);
    acceptor.accept(socket, ec);
    if (ec) continue;
    // A client that connects and says nothing must not hold the page from others.
    const timeval timeout{kReadTimeoutSeconds, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    beast::flat_buffer buffer(kMaxRequestBytes);
    http::request_parser<http::string_body> parser;
    parser.header_limit(kMaxRequestBytes);
    parser.body_limit(kMaxRequestBytes);
    http::read(socket, buffer, parser, ec);
    if (ec) {
      auto response = Plain(http::status::bad_request, "bad request: " + ec.message());
      response.prepare_payload();
      http::write(socket, response, ec);
      continue;
    }
    auto response = Answer(options, parser.get());
    response.keep_alive(false);
    response.prepare_payload();
    http::write(socket, response, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}

}  // namespace estate::collector
