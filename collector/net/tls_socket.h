// TlsSocket: the server side of TLS over a connected TCP socket, with OpenSSL
// reading and writing the socket itself (SSL_set_fd) and Asio only waiting
// until the socket is readable or writable.
//
// Why not asio::ssl::stream: it keeps two 17 KiB record buffers per stream,
// zero-filled at construction, and OpenSSL a 2 x 17 KiB BIO pair behind them:
// about 70 KiB for every connection, even one that never sends a byte after
// its handshake. Here an idle connection holds only OpenSSL's session state
// (the context sets SSL_MODE_RELEASE_BUFFERS).
//
// Owned by one session and used on its strand only; one read and one write
// may be in progress at once (a reader and a writer coroutine). Never calls
// OpenSSL once the socket is closed.
#ifndef ESTATE_COLLECTOR_NET_TLS_SOCKET_H_
#define ESTATE_COLLECTOR_NET_TLS_SOCKET_H_

#include <openssl/ssl.h>

#include <utility>  // before Asio (Boost 1.74 + GCC 12)
#include <vector>

#include "collector/net/asio.h"

namespace estate::collector {

// What OpenSSL 3.0 holds for one server connection, measured with its memory
// hooks (docs/architecture.md, "Memory before authentication"). While the
// handshake waits for the client's Finished: the SSL object, the handshake
// messages, the key exchange and transcript, ~45 KiB. After it, with the
// record buffers released: ~14.5 KiB — the SSL object itself (7.4 KiB, most
// of it per-pipeline record arrays), two AEAD contexts (1.9 KiB), the session
// (0.9 KiB), the certificate and key-share state, and allocator rounding.
// Charged to the budget of unauthenticated connections: OpenSSL has no
// smaller form of a live connection, so what bounds strangers' TLS memory
// is how many of them are admitted at once.
inline constexpr size_t kTlsHandshakeStateBytes = 48 * 1024;
inline constexpr size_t kTlsSessionStateBytes = 16 * 1024;

class TlsSocket {
 public:
  // `socket` (connected) outlives this object; `context` is the listener's.
  TlsSocket(tcp::socket& socket, SSL_CTX* context);
  ~TlsSocket();
  TlsSocket(const TlsSocket&) = delete;
  TlsSocket& operator=(const TlsSocket&) = delete;

  // The server handshake; errors in asio's ssl category (as asio::ssl::stream).
  awaitable<error_code> Handshake();

  // Reads what is there (at least one byte): the call FrameReader makes.
  // A clean close_notify is asio::error::eof, a close without it
  // asio::ssl::error::stream_truncated.
  awaitable<size_t> async_read_some(asio::mutable_buffer buffer,
                                    asio::redirect_error_t<asio::use_awaitable_t<>> token);

  // Writes all of `buffers`.
  awaitable<error_code> WriteAll(const std::vector<asio::const_buffer>& buffers);

 private:
  // What to do after an SSL call returned `result`: wait for the socket and
  // retry (an empty code), or the error that ends the operation.
  awaitable<error_code> WaitOrFail(int result, bool* retry);

  tcp::socket& socket_;
  SSL* ssl_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_TLS_SOCKET_H_
