// Reading and writing length-prefixed frames on an Asio stream (a TCP socket
// or a TLS stream over one), as coroutines. Transport only: what the bytes
// mean is the caller's business.
#ifndef ESTATE_COLLECTOR_NET_FRAME_IO_H_
#define ESTATE_COLLECTOR_NET_FRAME_IO_H_

#include <google/protobuf/message_lite.h>

#include <boost/asio/ssl/error.hpp>
#include <string>

#include "collector/net/asio.h"
#include "estate/framing.h"

namespace estate::collector {

// Why a frame could not be read.
enum class ReadFailure { kNone, kClosed, kBadHeader, kTruncated };

struct FrameRead {
  ReadFailure failure = ReadFailure::kNone;
  std::string payload;
  std::string detail;  // for kBadHeader: why the header was refused
};

template <typename Stream>
awaitable<FrameRead> ReadFrame(Stream& stream, uint32_t max_bytes) {
  FrameRead out;
  char header[kFrameHeaderBytes];
  error_code ec;
  co_await asio::async_read(stream, asio::buffer(header), asio::redirect_error(use_awaitable, ec));
  if (ec) {
    // A TLS peer that closes without close_notify is a plain close here: a
    // frame is either whole or refused, so no truncation attack hides in it.
    const bool closed = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
    out.failure = closed ? ReadFailure::kClosed : ReadFailure::kTruncated;
    co_return out;
  }
  auto length = DecodeFrameHeader(std::string_view(header, sizeof header), max_bytes);
  if (!length.ok()) {
    out.failure = ReadFailure::kBadHeader;
    out.detail = length.status().message();
    co_return out;
  }
  out.payload.resize(*length);
  co_await asio::async_read(stream, asio::buffer(out.payload),
                            asio::redirect_error(use_awaitable, ec));
  if (ec) {
    out.failure = ReadFailure::kTruncated;
    out.payload.clear();
  }
  co_return out;
}

// Returns false when the peer is gone.
template <typename Stream>
awaitable<bool> WriteFrame(Stream& stream, const google::protobuf::MessageLite& message,
                           uint32_t max_bytes = kDefaultMaxFrameBytes) {
  auto bytes = EncodeFrame(message, max_bytes);
  if (!bytes.ok()) co_return false;
  error_code ec;
  co_await asio::async_write(stream, asio::buffer(*bytes), asio::redirect_error(use_awaitable, ec));
  co_return !ec;
}

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_FRAME_IO_H_
