#include "estate/arena_frame.h"

#include <algorithm>
#include <utility>

namespace estate {
namespace {

// A full report of 188 KB on the wire takes 470 KB of messages and string
// headers on the arena, plus a cleanup entry per string: four times the wire
// size holds it in one block. A smaller first block costs more, not less: the
// arena's second block is twice the first.
constexpr size_t kParsedBytesPerWireByte = 4;
constexpr size_t kMinBlockBytes = 4096;
constexpr size_t kMaxBlockBytes = 8u << 20;

}  // namespace

ArenaFrame::ArenaFrame() : frame_(new v1::Frame()) {}

ArenaFrame::ArenaFrame(v1::Frame&& frame) : frame_(new v1::Frame(std::move(frame))) {}

ArenaFrame ArenaFrame::ForPayload(size_t wire_bytes) {
  google::protobuf::ArenaOptions options;
  options.start_block_size =
      std::clamp(wire_bytes * kParsedBytesPerWireByte, kMinBlockBytes, kMaxBlockBytes);
  options.max_block_size = kMaxBlockBytes;
  auto arena = std::make_unique<google::protobuf::Arena>(options);
  v1::Frame* frame = google::protobuf::Arena::CreateMessage<v1::Frame>(arena.get());
  return ArenaFrame(std::move(arena), frame);
}

ArenaFrame::ArenaFrame(ArenaFrame&& other) noexcept
    : arena_(std::move(other.arena_)), frame_(std::exchange(other.frame_, nullptr)) {}

ArenaFrame& ArenaFrame::operator=(ArenaFrame&& other) noexcept {
  if (this != &other) {
    Release();
    arena_ = std::move(other.arena_);
    frame_ = std::exchange(other.frame_, nullptr);
  }
  return *this;
}

ArenaFrame::~ArenaFrame() { Release(); }

void ArenaFrame::Release() {
  if (arena_ == nullptr) delete frame_;
  frame_ = nullptr;
  arena_.reset();
}

}  // namespace estate
