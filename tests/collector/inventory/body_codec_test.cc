#include "collector/inventory/body_codec.h"

#include <gtest/gtest.h>

namespace estate::collector {
namespace {

TEST(BodyCodec, RoundTripsZlibAndGzip) {
  const std::string text = "<?xml version=\"1.0\"?><REQUEST><QUERY>PROLOG</QUERY></REQUEST>";
  for (auto encoding : {BodyEncoding::kZlib, BodyEncoding::kGzip}) {
    auto packed = EncodeBody(text, encoding);
    ASSERT_TRUE(packed.ok());
    EXPECT_EQ(DetectBodyEncoding(*packed), encoding);
    BodyEncoding seen = BodyEncoding::kPlain;
    auto back = DecodeBody(*packed, 1 << 20, &seen);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, text);
    EXPECT_EQ(seen, encoding);
  }
}

TEST(BodyCodec, PassesPlainBodiesThrough) {
  BodyEncoding seen = BodyEncoding::kGzip;
  auto body = DecodeBody("{\"action\":\"contact\"}", 1024, &seen);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, "{\"action\":\"contact\"}");
  EXPECT_EQ(seen, BodyEncoding::kPlain);
}

TEST(BodyCodec, RefusesABombPastTheLimit) {
  const std::string zeros(8 << 20, '\0');
  auto packed = EncodeBody(zeros, BodyEncoding::kZlib);
  ASSERT_TRUE(packed.ok());
  EXPECT_LT(packed->size(), 64u << 10);  // it compresses more than 100:1
  auto body = DecodeBody(*packed, 1 << 20);
  ASSERT_FALSE(body.ok());
  EXPECT_NE(body.status().message().find("inflates to more than"), std::string::npos);
}

TEST(BodyCodec, RefusesTruncatedAndCorruptStreams) {
  auto packed = EncodeBody(std::string(5000, 'x') + "tail", BodyEncoding::kZlib);
  ASSERT_TRUE(packed.ok());
  EXPECT_FALSE(DecodeBody(packed->substr(0, packed->size() / 2), 1 << 20).ok());
  std::string corrupt = *packed;
  corrupt[corrupt.size() / 2] ^= 0x5a;
  corrupt[corrupt.size() / 2 + 1] ^= 0x5a;
  EXPECT_FALSE(DecodeBody(corrupt, 1 << 20).ok());
}

}  // namespace
}  // namespace estate::collector
