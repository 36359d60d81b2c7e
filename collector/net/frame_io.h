// Reading and writing length-prefixed frames on an Asio stream (a TCP socket
// or a TLS stream over one), as coroutines. Transport only: what the bytes
// mean is the caller's business.
#ifndef ESTATE_COLLECTOR_NET_FRAME_IO_H_
#define ESTATE_COLLECTOR_NET_FRAME_IO_H_

#include <google/protobuf/message_lite.h>

#include <algorithm>
#include <boost/asio/ssl/error.hpp>
#include <cstring>
#include <string>
#include <string_view>

#include "collector/net/asio.h"
#include "collector/net/byte_budget.h"
#include "estate/framing.h"

namespace estate::collector {

// Why a frame could not be read.
enum class ReadFailure {
  kNone,
  kClosed,
  kBadHeader,
  kTruncated,
  kOverBudget,  // the buffer would exceed the shared ByteBudget
};

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
//
// The buffer grows with the bytes that actually arrive, never with the length
// a header declares: a peer that announces 16 MiB and sends 4 bytes holds one
// read chunk. A frame's buffer at most doubles what has arrived of it, so a
// large frame costs a few reallocations. Until Trust(), the buffer is charged
// to a shared ByteBudget (unauthenticated peers together hold at most that
// much) and read in small chunks.
class FrameReader {
 public:
  struct Frame {
    ReadFailure failure = ReadFailure::kNone;
    std::string_view payload;  // valid until the next Next()
    std::string detail;        // for kBadHeader and kOverBudget: why
  };

  // An untrusted peer: frames up to `max_bytes`, read `read_chunk` bytes at a
  // time, the buffer charged to `budget` unless it is null.
  explicit FrameReader(uint32_t max_bytes, size_t read_chunk = kTrustedReadChunk,
                       ByteBudget* budget = nullptr)
      : max_bytes_(max_bytes), read_chunk_(read_chunk), budget_(budget) {}
  ~FrameReader() { Uncharge(); }
  FrameReader(const FrameReader&) = delete;
  FrameReader& operator=(const FrameReader&) = delete;

  // The peer has authenticated: frames up to `max_bytes`, larger reads, and
  // its buffer no longer counts against the budget.
  void Trust(uint32_t max_bytes) {
    max_bytes_ = max_bytes;
    read_chunk_ = kTrustedReadChunk;
    Uncharge();
    budget_ = nullptr;
  }

  // Bytes the buffer holds now (its size, all of it written to at least once).
  size_t buffer_bytes() const { return buffer_.size(); }

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
        buffer_.resize(read_chunk_);
        buffer_.shrink_to_fit();
        Recharge();
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
      // Unread bytes go to the front (the buffer keeps its size).
      if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, available);
        end_ = available;
        begin_ = 0;
      }
      // Room for at least a chunk (or what the frame still lacks, if less);
      // the growth is bounded by what has arrived, not by `need`.
      const size_t missing = need - available;
      if (buffer_.size() - end_ < std::min(missing, read_chunk_)) {
        const size_t grow = std::max(read_chunk_, std::min(missing, end_));
        if (!Grow(end_ + grow)) {
          out.failure = ReadFailure::kOverBudget;
          out.detail = "too many bytes held for connections that have not authenticated";
          co_return out;
        }
      }
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

  // Reads of an authenticated peer; an untrusted one reads far less at a time.
  static constexpr size_t kTrustedReadChunk = 64 * 1024;

 private:
  static constexpr size_t kKeepBytes = 256 * 1024;

  bool Grow(size_t size) {
    if (budget_ != nullptr && size > charged_) {
      if (!budget_->TryCharge(size - charged_)) return false;
      charged_ = size;
    }
    buffer_.resize(size);
    return true;
  }
  // After a shrink: the budget gets back what the buffer no longer holds.
  void Recharge() {
    if (budget_ != nullptr && charged_ > buffer_.size()) {
      budget_->Release(charged_ - buffer_.size());
      charged_ = buffer_.size();
    }
  }
  void Uncharge() {
    if (budget_ != nullptr) budget_->Release(charged_);
    charged_ = 0;
  }

  uint32_t max_bytes_;
  size_t read_chunk_;
  ByteBudget* budget_;
  size_t charged_ = 0;  // taken from budget_ for buffer_
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
