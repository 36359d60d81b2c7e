#include "estate/arena_frame.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "estate/framing.h"

namespace estate {
namespace {

std::string FullReportPayload(int packages) {
  v1::Frame frame;
  frame.set_request_id(7);
  auto* facts = frame.mutable_full_report()->mutable_facts();
  for (int i = 0; i < packages; ++i) {
    auto* p = facts->add_software();
    p->set_name("package-with-a-long-name-" + std::to_string(i));
    p->set_version("1.2.3-" + std::to_string(i));
    p->set_publisher("Debian Maintainers <maintainers@lists.example.org>");
  }
  return frame.SerializeAsString();
}

TEST(ArenaFrame, AParsedFrameLivesOnItsArenaAndSurvivesMoves) {
  const std::string payload = FullReportPayload(1500);
  ArenaFrame parsed = ArenaFrame::ForPayload(payload.size());
  ASSERT_TRUE(parsed.on_arena());
  ASSERT_TRUE(DecodeFramePayload(payload, parsed.get()).ok());
  EXPECT_NE(parsed->GetArena(), nullptr);
  const v1::Frame* where = parsed.get();

  ArenaFrame moved = std::move(parsed);
  EXPECT_EQ(moved.get(), where);  // moving hands over the arena, copies nothing
  EXPECT_EQ(parsed.get(), nullptr);
  ArenaFrame assigned;
  assigned = std::move(moved);
  ASSERT_EQ(assigned->full_report().facts().software_size(), 1500);
  EXPECT_EQ(assigned->full_report().facts().software(1499).name(), "package-with-a-long-name-1499");
  EXPECT_EQ(assigned->SerializeAsString(), payload);
}

TEST(ArenaFrame, ABuiltFrameMovesToTheHeap) {
  v1::Frame frame;
  frame.set_request_id(42);
  frame.mutable_delta_report()->set_sequence(9);
  ArenaFrame held(std::move(frame));
  EXPECT_FALSE(held.on_arena());
  EXPECT_EQ(held->GetArena(), nullptr);
  EXPECT_EQ(held->request_id(), 42u);
  EXPECT_EQ(held->delta_report().sequence(), 9u);
  ArenaFrame empty;
  EXPECT_EQ(empty->body_case(), v1::Frame::BODY_NOT_SET);
}

TEST(ArenaFrame, GarbageOnAnArenaIsRefusedLikeAnyFrame) {
  ArenaFrame parsed = ArenaFrame::ForPayload(3);
  EXPECT_FALSE(DecodeFramePayload(std::string("\xff\xff\xff", 3), parsed.get()).ok());
}

}  // namespace
}  // namespace estate
