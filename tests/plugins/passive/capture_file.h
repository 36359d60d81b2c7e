// Test helper: every frame of a capture file under tests/fixtures/third_party/.
#ifndef ESTATE_TESTS_PLUGINS_PASSIVE_CAPTURE_FILE_H_
#define ESTATE_TESTS_PLUGINS_PASSIVE_CAPTURE_FILE_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plugins/passive/packet_source.h"

namespace estate::plugins::testing {

struct Frame {
  int link_type;
  int64_t timestamp_us;
  std::vector<uint8_t> bytes;
};

inline std::string FixturePath(const std::string& relative) {
  return std::string(ESTATE_SOURCE_DIR) + "/tests/fixtures/third_party/" + relative;
}

inline std::vector<Frame> ReadFrames(const std::string& relative) {
  std::vector<Frame> frames;
  auto source = OpenCaptureFile(FixturePath(relative));
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok()) return frames;
  while (true) {
    CapturedPacket packet;
    auto got = (*source)->Next(std::chrono::microseconds(0), &packet);
    if (!got.ok() || !*got) break;
    frames.push_back({(*source)->link_type(), packet.timestamp_us,
                      std::vector<uint8_t>(packet.data.begin(), packet.data.end())});
  }
  return frames;
}

}  // namespace estate::plugins::testing

#endif  // ESTATE_TESTS_PLUGINS_PASSIVE_CAPTURE_FILE_H_
