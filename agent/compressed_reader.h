// CompressedReader: a file read front to back in chunks, decompressed on the
// fly by its name's suffix (.gz zlib, .xz liblzma, .lz4 liblz4 frame, else
// plain). For apt's package lists, tens of MB once decompressed: the agent
// scans them through a fixed buffer instead of holding a whole list.
//
// Memory: a 64 KiB input and a 256 KiB output buffer, plus the decoder's own
// state (zlib 32 KiB window; lz4 up to 4 MiB blocks, apt writes 64 KiB ones;
// xz its stream's dictionary, 8 MiB at xz -6). Movable, not copyable; not
// thread-safe.
#ifndef ESTATE_AGENT_COMPRESSED_READER_H_
#define ESTATE_AGENT_COMPRESSED_READER_H_

#include <memory>
#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate::agent {

class CompressedReader {
 public:
  // The decoder `path`'s suffix names; NotFound etc. as Status::FromErrno.
  static Result<CompressedReader> Open(const std::string& path);

  CompressedReader(CompressedReader&&) noexcept;
  CompressedReader& operator=(CompressedReader&&) noexcept;
  ~CompressedReader();

  // The next decompressed bytes, valid until the next call; empty at the end.
  // Corruption when the data does not decode (or ends inside a frame).
  Result<std::string_view> Next();

  class Decoder;

 private:
  explicit CompressedReader(std::unique_ptr<Decoder> decoder);
  std::unique_ptr<Decoder> decoder_;
};

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COMPRESSED_READER_H_
