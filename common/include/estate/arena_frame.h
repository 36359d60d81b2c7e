// ArenaFrame: a v1::Frame that owns its memory. A frame parsed from the wire
// lives on its own protobuf arena, so the ~10,000 strings and messages of a
// full report are allocated by bumping a pointer and freed at once, instead
// of one malloc each on the reading thread and one free each on the thread
// that answers (the cross-thread churn that made glibc malloc the top cost of
// ingest). A frame built in code may live on the heap instead.
//
// Move-only; a moved-from one holds nothing.
#ifndef ESTATE_ARENA_FRAME_H_
#define ESTATE_ARENA_FRAME_H_

#include <google/protobuf/arena.h>

#include <cstddef>
#include <memory>
#include <utility>

#include "estate/v1/frame.pb.h"

namespace estate {

class ArenaFrame {
 public:
  // An empty frame on the heap.
  ArenaFrame();
  // `frame` moved to the heap.
  explicit ArenaFrame(v1::Frame&& frame);
  // An empty frame on a fresh arena whose first block holds a frame parsed
  // from about `wire_bytes` of payload.
  static ArenaFrame ForPayload(size_t wire_bytes);

  ArenaFrame(ArenaFrame&& other) noexcept;
  ArenaFrame& operator=(ArenaFrame&& other) noexcept;
  ~ArenaFrame();

  v1::Frame& operator*() const { return *frame_; }
  v1::Frame* operator->() const { return frame_; }
  v1::Frame* get() const { return frame_; }
  bool on_arena() const { return arena_ != nullptr; }

 private:
  ArenaFrame(std::unique_ptr<google::protobuf::Arena> arena, v1::Frame* frame)
      : arena_(std::move(arena)), frame_(frame) {}
  void Release();

  std::unique_ptr<google::protobuf::Arena> arena_;
  v1::Frame* frame_ = nullptr;  // owned by arena_ when there is one, else by this
};

}  // namespace estate

#endif  // ESTATE_ARENA_FRAME_H_
