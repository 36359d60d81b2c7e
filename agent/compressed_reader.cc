#include "agent/compressed_reader.h"

#include <fcntl.h>
#include <lz4frame.h>
#include <lzma.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <vector>

#include "estate/text.h"

namespace estate::agent {

// One decoder per format over a file descriptor it owns.
class CompressedReader::Decoder {
 public:
  static constexpr size_t kInBytes = 64u << 10;
  static constexpr size_t kOutBytes = 256u << 10;

  Decoder(int fd, std::string path) : fd_(fd), path_(std::move(path)), out_(kOutBytes) {}
  virtual ~Decoder() { ::close(fd_); }
  virtual Result<std::string_view> Next() = 0;

 protected:
  // Refills the input buffer when it is used up; false at the end of the file.
  Result<bool> Fill() {
    if (in_pos_ < in_len_) return true;
    if (eof_) return false;
    if (in_.empty()) in_.resize(kInBytes);
    ssize_t n;
    do {
      n = ::read(fd_, in_.data(), in_.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) return Status::FromErrno("read " + path_, errno);
    in_pos_ = 0;
    in_len_ = static_cast<size_t>(n);
    if (n == 0) eof_ = true;
    return n > 0;
  }
  Status Corrupt(std::string_view what) const {
    return Status::Corruption(path_ + ": " + std::string(what));
  }

  int fd_;
  std::string path_;
  std::vector<char> in_, out_;
  size_t in_pos_ = 0, in_len_ = 0;
  bool eof_ = false;
};

namespace {

class PlainDecoder : public CompressedReader::Decoder {
 public:
  using Decoder::Decoder;
  Result<std::string_view> Next() override {
    ssize_t n;
    do {
      n = ::read(fd_, out_.data(), out_.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) return Status::FromErrno("read " + path_, errno);
    return std::string_view(out_.data(), static_cast<size_t>(n));
  }
};

class GzipDecoder : public CompressedReader::Decoder {
 public:
  GzipDecoder(int fd, std::string path) : Decoder(fd, std::move(path)) {
    // 15 + 32: a window of 32 KiB, gzip or zlib header detected.
    ok_ = ::inflateInit2(&zs_, 15 + 32) == Z_OK;
  }
  ~GzipDecoder() override { ::inflateEnd(&zs_); }

  Result<std::string_view> Next() override {
    if (!ok_) return Corrupt("zlib could not start");
    size_t produced = 0;
    while (produced == 0) {
      auto more = Fill();
      if (!more.ok()) return more.status();
      if (!*more && !in_stream_) return std::string_view();
      // At the end of the file one more call flushes what zlib still holds.
      const bool draining = !*more;
      zs_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
      zs_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
      zs_.next_out = reinterpret_cast<Bytef*>(out_.data());
      zs_.avail_out = static_cast<uInt>(out_.size());
      in_stream_ = true;
      const int rc = ::inflate(&zs_, Z_NO_FLUSH);
      in_pos_ = in_len_ - zs_.avail_in;
      produced = out_.size() - zs_.avail_out;
      if (rc == Z_STREAM_END) {
        // gzip allows members back to back.
        ::inflateReset(&zs_);
        in_stream_ = false;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Corrupt(std::string("gzip data does not decode (") + (zs_.msg ? zs_.msg : "?") +
                       ")");
      } else if (draining && produced == 0) {
        return Corrupt("gzip data ends inside a stream");
      }
    }
    return std::string_view(out_.data(), produced);
  }

 private:
  z_stream zs_{};
  bool ok_ = false;
  bool in_stream_ = false;
};

class XzDecoder : public CompressedReader::Decoder {
 public:
  XzDecoder(int fd, std::string path) : Decoder(fd, std::move(path)) {
    ok_ = ::lzma_stream_decoder(&xs_, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK;
  }
  ~XzDecoder() override { ::lzma_end(&xs_); }

  Result<std::string_view> Next() override {
    if (!ok_) return Corrupt("liblzma could not start");
    if (done_) return std::string_view();
    xs_.next_out = reinterpret_cast<uint8_t*>(out_.data());
    xs_.avail_out = out_.size();
    while (xs_.avail_out == out_.size()) {
      auto more = Fill();
      if (!more.ok()) return more.status();
      xs_.next_in = reinterpret_cast<const uint8_t*>(in_.data() + in_pos_);
      xs_.avail_in = in_len_ - in_pos_;
      const lzma_ret rc = ::lzma_code(&xs_, *more ? LZMA_RUN : LZMA_FINISH);
      in_pos_ = in_len_ - xs_.avail_in;
      if (rc == LZMA_STREAM_END) {
        done_ = true;
        break;
      }
      if (rc != LZMA_OK)
        return Corrupt("xz data does not decode (liblzma " + std::to_string(static_cast<int>(rc)) +
                       ")");
      if (!*more && xs_.avail_out == out_.size()) return Corrupt("xz data ends inside a stream");
    }
    return std::string_view(out_.data(), out_.size() - xs_.avail_out);
  }

 private:
  lzma_stream xs_ = LZMA_STREAM_INIT;
  bool ok_ = false;
  bool done_ = false;
};

class Lz4Decoder : public CompressedReader::Decoder {
 public:
  Lz4Decoder(int fd, std::string path) : Decoder(fd, std::move(path)) {
    ok_ = !LZ4F_isError(::LZ4F_createDecompressionContext(&ctx_, LZ4F_VERSION));
  }
  ~Lz4Decoder() override {
    if (ctx_ != nullptr) ::LZ4F_freeDecompressionContext(ctx_);
  }

  Result<std::string_view> Next() override {
    if (!ok_) return Corrupt("liblz4 could not start");
    size_t produced = 0;
    while (produced == 0) {
      auto more = Fill();
      if (!more.ok()) return more.status();
      if (!*more && !in_frame_) return std::string_view();
      // At the end of the file one more call flushes what liblz4 still holds.
      const bool draining = !*more;
      size_t src_size = in_len_ - in_pos_;
      size_t dst_size = out_.size();
      const size_t hint =
          ::LZ4F_decompress(ctx_, out_.data(), &dst_size, in_.data() + in_pos_, &src_size, nullptr);
      if (LZ4F_isError(hint)) {
        return Corrupt(std::string("lz4 data does not decode (") + ::LZ4F_getErrorName(hint) + ")");
      }
      in_pos_ += src_size;
      produced = dst_size;
      in_frame_ = hint != 0;  // 0: a frame ended; another may follow
      if (draining && produced == 0 && in_frame_) return Corrupt("lz4 data ends inside a frame");
    }
    return std::string_view(out_.data(), produced);
  }

 private:
  LZ4F_dctx* ctx_ = nullptr;
  bool ok_ = false;
  bool in_frame_ = false;
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Result<CompressedReader> CompressedReader::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  std::unique_ptr<Decoder> decoder;
  if (EndsWith(path, ".gz")) {
    decoder = std::make_unique<GzipDecoder>(fd, path);
  } else if (EndsWith(path, ".xz")) {
    decoder = std::make_unique<XzDecoder>(fd, path);
  } else if (EndsWith(path, ".lz4")) {
    decoder = std::make_unique<Lz4Decoder>(fd, path);
  } else {
    decoder = std::make_unique<PlainDecoder>(fd, path);
  }
  return CompressedReader(std::move(decoder));
}

CompressedReader::CompressedReader(std::unique_ptr<Decoder> decoder)
    : decoder_(std::move(decoder)) {}
CompressedReader::CompressedReader(CompressedReader&&) noexcept = default;
CompressedReader& CompressedReader::operator=(CompressedReader&&) noexcept = default;
CompressedReader::~CompressedReader() = default;

Result<std::string_view> CompressedReader::Next() { return decoder_->Next(); }

}  // namespace estate::agent
