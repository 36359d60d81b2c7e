// ByteReader: bounds-checked big-endian reads over a byte span, the only way
// the decoders in this directory touch packet bytes. Each read returns false
// (and consumes nothing) when fewer bytes remain than it needs.
#ifndef ESTATE_PLUGINS_PASSIVE_BYTE_READER_H_
#define ESTATE_PLUGINS_PASSIVE_BYTE_READER_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace estate::plugins {

using Bytes = std::span<const uint8_t>;

class ByteReader {
 public:
  explicit ByteReader(Bytes data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  Bytes rest() const { return data_.subspan(pos_); }

  bool U8(uint8_t* v) {
    if (remaining() < 1) return false;
    *v = data_[pos_++];
    return true;
  }
  bool U16(uint16_t* v) {
    if (remaining() < 2) return false;
    *v = static_cast<uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool U32(uint32_t* v) {
    if (remaining() < 4) return false;
    *v = static_cast<uint32_t>(data_[pos_]) << 24 | static_cast<uint32_t>(data_[pos_ + 1]) << 16 |
         static_cast<uint32_t>(data_[pos_ + 2]) << 8 | data_[pos_ + 3];
    pos_ += 4;
    return true;
  }
  bool Take(size_t n, Bytes* out) {
    if (remaining() < n) return false;
    *out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool Skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }

 private:
  Bytes data_;
  size_t pos_ = 0;
};

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_BYTE_READER_H_
