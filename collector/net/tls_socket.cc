#include "collector/net/tls_socket.h"

#include <openssl/err.h>

#include <boost/asio/ssl/error.hpp>

namespace estate::collector {

TlsSocket::TlsSocket(tcp::socket& socket, SSL_CTX* context)
    : socket_(socket), ssl_(SSL_new(context)) {
  error_code ignored;
  socket_.non_blocking(true, ignored);
  if (ssl_ != nullptr) {
    SSL_set_fd(ssl_, socket_.native_handle());
    // Writes may finish over several calls, from a buffer that moved.
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_set_accept_state(ssl_);
  }
}

TlsSocket::~TlsSocket() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

awaitable<error_code> TlsSocket::WaitOrFail(int result, bool* retry) {
  *retry = false;
  const int reason = SSL_get_error(ssl_, result);
  error_code ec;
  switch (reason) {
    case SSL_ERROR_WANT_READ:
      co_await socket_.async_wait(tcp::socket::wait_read, asio::redirect_error(use_awaitable, ec));
      *retry = !ec && socket_.is_open();
      co_return ec ? ec : error_code(asio::error::operation_aborted);
    case SSL_ERROR_WANT_WRITE:
      co_await socket_.async_wait(tcp::socket::wait_write, asio::redirect_error(use_awaitable, ec));
      *retry = !ec && socket_.is_open();
      co_return ec ? ec : error_code(asio::error::operation_aborted);
    case SSL_ERROR_ZERO_RETURN:
      co_return asio::error::eof;
    case SSL_ERROR_SYSCALL:
      if (ERR_peek_error() == 0) {
        // The peer went away without close_notify (or the socket failed).
        const int saved = errno;
        ERR_clear_error();
        if (saved != 0) co_return error_code(saved, asio::error::get_system_category());
        co_return asio::ssl::error::stream_truncated;
      }
      [[fallthrough]];
    default: {
      const unsigned long code = ERR_get_error();
      ERR_clear_error();
      co_return error_code(static_cast<int>(code), asio::error::get_ssl_category());
    }
  }
}

awaitable<error_code> TlsSocket::Handshake() {
  if (ssl_ == nullptr) co_return asio::error::no_memory;
  for (;;) {
    if (!socket_.is_open()) co_return asio::error::operation_aborted;
    ERR_clear_error();
    const int result = SSL_do_handshake(ssl_);
    if (result == 1) co_return error_code();
    bool retry = false;
    error_code ec = co_await WaitOrFail(result, &retry);
    if (!retry) co_return ec;
  }
}

awaitable<size_t> TlsSocket::async_read_some(
    asio::mutable_buffer buffer, asio::redirect_error_t<asio::use_awaitable_t<>> token) {
  token.ec_ = error_code();
  for (;;) {
    if (!socket_.is_open()) {
      token.ec_ = asio::error::operation_aborted;
      co_return 0;
    }
    ERR_clear_error();
    size_t n = 0;
    const int result = SSL_read_ex(ssl_, buffer.data(), buffer.size(), &n);
    if (result == 1) co_return n;
    bool retry = false;
    error_code ec = co_await WaitOrFail(result, &retry);
    if (!retry) {
      token.ec_ = ec;
      co_return 0;
    }
  }
}

awaitable<error_code> TlsSocket::WriteAll(const std::vector<asio::const_buffer>& buffers) {
  for (const auto& buffer : buffers) {
    const char* data = static_cast<const char*>(buffer.data());
    size_t left = buffer.size();
    while (left > 0) {
      if (!socket_.is_open()) co_return asio::error::operation_aborted;
      ERR_clear_error();
      size_t n = 0;
      const int result = SSL_write_ex(ssl_, data, left, &n);
      if (result == 1) {
        data += n;
        left -= n;
        continue;
      }
      bool retry = false;
      error_code ec = co_await WaitOrFail(result, &retry);
      if (!retry) co_return ec;
    }
  }
  co_return error_code();
}

}  // namespace estate::collector
