// LoadgenConnection: one connection of estate-loadgen to the collector — TCP
// connect and TLS handshake (or loopback plaintext), whole writes, and frames
// read through a buffer (many answers per read). A watchdog closes the socket
// when an armed operation outlives its timeout, which completes it with an
// error (Boost 1.74 has no cancel_after).
//
// One read and one write may be outstanding at once (a relay's receiver and
// sender coroutines); both on the one io thread. Not thread-safe.
#ifndef ESTATE_TESTS_LOADGEN_LOADGEN_CONNECTION_H_
#define ESTATE_TESTS_LOADGEN_LOADGEN_CONNECTION_H_

// <utility> must precede Asio's coroutine headers with Boost 1.74 + GCC 12.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "estate/tls_client.h"
#include "estate/v1/frame.pb.h"

namespace estate::loadgen {

class LoadgenConnection {
 public:
  LoadgenConnection(boost::asio::io_context& io, boost::asio::ssl::context& context,
                    const TlsClientOptions& tls);
  ~LoadgenConnection();
  LoadgenConnection(const LoadgenConnection&) = delete;
  LoadgenConnection& operator=(const LoadgenConnection&) = delete;

  // TCP connect, then the TLS handshake and certificate checks, within `timeout`.
  boost::asio::awaitable<bool> Connect(const boost::asio::ip::tcp::endpoint& endpoint,
                                       const std::string& host, std::chrono::milliseconds timeout);
  // Writes all of `bytes` (one or many frames) in one async_write.
  boost::asio::awaitable<bool> Write(std::string_view bytes);
  // The next frame of the stream; `wire_bytes` its size with the header.
  boost::asio::awaitable<bool> ReadFrame(v1::Frame* frame, size_t* wire_bytes);

  // Closes the socket when `timeout` passes before Disarm(): the pending
  // operation fails and failure() says kTimeout.
  void Arm(std::chrono::milliseconds timeout);
  void Disarm();
  // Closes the socket; pending operations fail. `timed_out` makes failure() kTimeout.
  void Close(bool timed_out = false);

  // Why the last operation failed: kConnectFailed, kTlsFailed, kTransport,
  // kTimeout or kUnexpected (run_stats.h).
  const char* failure() const { return failure_; }

 private:
  // Outlives the connection while a watchdog handler may still run.
  struct Shared;

  bool Fail();
  boost::asio::ip::tcp::socket& socket();

  std::shared_ptr<Shared> shared_;
  const TlsClientOptions& tls_;
  boost::asio::steady_timer timer_;
  std::vector<char> buffer_;  // bytes read, [begin_, end_) not yet parsed
  size_t begin_ = 0, end_ = 0;
  const char* failure_;
};

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_LOADGEN_CONNECTION_H_
