// Reading and writing length-prefixed frames on an Asio stream (a TCP socket
// or a TLS stream over one), as coroutines. Transport only: what the bytes
// mean is the caller's business.
#ifndef ESTATE_COLLECTOR_NET_FRAME_IO_H_
#define ESTATE_COLLECTOR_NET_FRAME_IO_H_

#include <google/protobuf/message_lite.h>

#include <algorithm>
#include <boost/asio/ssl/error.hpp>
#include <string>
#include <string_view>

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

// Reads frames from a stream through one buffer: as many bytes as the stream
// has at each read, so a peer that pipelines small reports costs one read per
// batch of them rather than two per frame. Not thread-safe (one session).
class FrameReader {
 public:
  struct Frame {
    ReadFailure failure = ReadFailure::kNone;
    std::string_view payload;  // valid until the next Next()
    std::string detail;        // for kBadHeader: why the header was refused
  };

  explicit FrameReader(uint32_t max_bytes) : max_bytes_(max_bytes) {}

  // True when a whole frame is already buffered: Next() will not wait.
  bool HasFrame() const {
    if (end_ - begin_ < kFrameHeaderBytes) return false;
    auto length =
        DecodeFrameHeader(std::string_view(buffer_).substr(begin_, kFrameHeaderBytes), max_bytes_);
    return !length.ok() || end_ - begin_ >= kFrameHeaderBytes + *length;
  }

  template <typename Stream>
  awaitable<Frame> Next(Stream& stream) {
    Frame out;
    begin_ += consumed_;
    consumed_ = 0;
    if (begin_ == end_) {
      begin_ = end_ = 0;
      // A large frame's buffer is given back once it has been handled.
      if (buffer_.size() > kKeepBytes) {
        buffer_.resize(kReadChunk);
        buffer_.shrink_to_fit();
      }
    }
    for (;;) {
      const size_t available = end_ - begin_;
      size_t need = kFrameHeaderBytes;
      if (available >= kFrameHeaderBytes) {
        auto length = DecodeFrameHeader(std::string_view(buffer_).substr(begin_, kFrameHeaderBytes),
                                        max_bytes_);
        if (!length.ok()) {
          out.failure = ReadFailure::kBadHeader;
          out.detail = length.status().message();
          co_return out;
        }
        need = kFrameHeaderBytes + *length;
        if (available >= need) {
          out.payload = std::string_view(buffer_).substr(begin_ + kFrameHeaderBytes, *length);
          consumed_ = need;
          co_return out;
        }
      }
      // Make room for the rest of this frame (and more, when the stream has it).
      if (begin_ > 0) {
        buffer_.erase(0, begin_);
        end_ -= begin_;
        begin_ = 0;
      }
      buffer_.resize(std::max(buffer_.size(), std::max(need, end_ + kReadChunk)));
      error_code ec;
      const size_t n = co_await stream.async_read_some(
          asio::buffer(buffer_.data() + end_, buffer_.size() - end_),
          asio::redirect_error(use_awaitable, ec));
      end_ += n;
      if (ec) {
        // A TLS peer that closes without close_notify between frames is a
        // plain close: a frame is either whole or refused.
        const bool closed =
            (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) && end_ == begin_;
        out.failure = closed ? ReadFailure::kClosed : ReadFailure::kTruncated;
        co_return out;
      }
    }
  }

 private:
  static constexpr size_t kReadChunk = 64 * 1024;
  static constexpr size_t kKeepBytes = 256 * 1024;
  const uint32_t max_bytes_;
  std::string buffer_;
  size_t begin_ = 0, end_ = 0;  // unread bytes are buffer_[begin_, end_)
  size_t consumed_ = 0;         // the frame handed out last, dropped at the next call
};

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
