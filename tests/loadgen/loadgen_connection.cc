#include "tests/loadgen/loadgen_connection.h"

#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "estate/framing.h"
#include "tests/loadgen/run_stats.h"

namespace estate::loadgen {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using error_code = boost::system::error_code;

// Answers are small; a full report frame of a few hundred KB grows it once.
constexpr size_t kReadBufferBytes = 64 * 1024;

}  // namespace

struct LoadgenConnection::Shared {
  Shared(asio::io_context& io, ssl::context& context) : stream(io, context) {}
  ssl::stream<tcp::socket> stream;
  uint64_t generation = 0;
  bool armed = false;
  bool timed_out = false;
};

LoadgenConnection::LoadgenConnection(asio::io_context& io, ssl::context& context,
                                     const TlsClientOptions& tls)
    : shared_(std::make_shared<Shared>(io, context)),
      tls_(tls),
      timer_(io),
      buffer_(kReadBufferBytes),
      failure_(kTransport) {}

LoadgenConnection::~LoadgenConnection() { Close(); }

tcp::socket& LoadgenConnection::socket() { return shared_->stream.next_layer(); }

void LoadgenConnection::Arm(std::chrono::milliseconds timeout) {
  auto shared = shared_;
  const uint64_t generation = ++shared->generation;
  shared->armed = true;
  timer_.expires_after(timeout);
  timer_.async_wait([shared, generation](const error_code& ec) {
    if (ec || !shared->armed || shared->generation != generation) return;
    shared->timed_out = true;
    error_code ignored;
    shared->stream.next_layer().close(ignored);
  });
}

void LoadgenConnection::Disarm() {
  shared_->armed = false;
  timer_.cancel();
}

void LoadgenConnection::Close(bool timed_out) {
  if (timed_out) shared_->timed_out = true;
  error_code ignored;
  if (socket().is_open()) {
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
  }
  Disarm();
}

bool LoadgenConnection::Fail() {
  failure_ = shared_->timed_out ? kTimeout : kTransport;
  return false;
}

awaitable<bool> LoadgenConnection::Connect(const tcp::endpoint& endpoint, const std::string& host,
                                           std::chrono::milliseconds timeout) {
  Arm(timeout);
  error_code ec;
  co_await socket().async_connect(endpoint, asio::redirect_error(use_awaitable, ec));
  if (ec) {
    Disarm();
    failure_ = shared_->timed_out ? kTimeout : kConnectFailed;
    co_return false;
  }
  socket().set_option(tcp::no_delay(true), ec);
  if (tls_.tls()) {
    if (!ConfigureClientConnection(shared_->stream.native_handle(), tls_, host).ok()) {
      Disarm();
      failure_ = kTlsFailed;
      co_return false;
    }
    co_await shared_->stream.async_handshake(ssl::stream_base::client,
                                             asio::redirect_error(use_awaitable, ec));
    if (ec || !CheckPeerPin(shared_->stream.native_handle(), tls_).ok()) {
      Disarm();
      failure_ = shared_->timed_out ? kTimeout : kTlsFailed;
      co_return false;
    }
  }
  Disarm();
  co_return true;
}

awaitable<bool> LoadgenConnection::Write(std::string_view bytes) {
  error_code ec;
  if (tls_.tls()) {
    co_await asio::async_write(shared_->stream, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(use_awaitable, ec));
  } else {
    co_await asio::async_write(socket(), asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(use_awaitable, ec));
  }
  if (ec) co_return Fail();
  co_return true;
}

awaitable<bool> LoadgenConnection::ReadFrame(v1::Frame* frame, size_t* wire_bytes) {
  for (;;) {
    const size_t buffered = end_ - begin_;
    size_t need = kFrameHeaderBytes;
    if (buffered >= kFrameHeaderBytes) {
      auto length = DecodeFrameHeader(std::string_view(buffer_.data() + begin_, kFrameHeaderBytes));
      if (!length.ok()) {
        failure_ = kUnexpected;
        co_return false;
      }
      need = kFrameHeaderBytes + *length;
      if (buffered >= need) {
        const std::string_view payload(buffer_.data() + begin_ + kFrameHeaderBytes, *length);
        begin_ += need;
        *wire_bytes = need;
        if (!frame->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
          failure_ = kUnexpected;
          co_return false;
        }
        co_return true;
      }
    }
    // Room for the rest of this frame, and then some: move what is left to the front.
    if (buffered == 0) begin_ = end_ = 0;
    if (begin_ > 0 && buffer_.size() - begin_ < need + kReadBufferBytes / 2) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, buffered);
      begin_ = 0;
      end_ = buffered;
    }
    if (buffer_.size() - begin_ < need) buffer_.resize(begin_ + need);
    error_code ec;
    size_t n = 0;
    const auto space = asio::buffer(buffer_.data() + end_, buffer_.size() - end_);
    if (tls_.tls()) {
      n = co_await shared_->stream.async_read_some(space, asio::redirect_error(use_awaitable, ec));
    } else {
      n = co_await socket().async_read_some(space, asio::redirect_error(use_awaitable, ec));
    }
    if (ec) co_return Fail();
    end_ += n;
  }
}

}  // namespace estate::loadgen
