#include "estate/text.h"

#include <gtest/gtest.h>

#include "estate/config_file.h"
#include "estate/endpoint.h"
#include "estate/utf8.h"

namespace estate {
namespace {

TEST(NormalizeMac, AcceptsCommonSpellings) {
  EXPECT_EQ(NormalizeMac("AA:BB:CC:DD:EE:FF"), "aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(NormalizeMac("aa-bb-cc-dd-ee-ff"), "aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(NormalizeMac("aabb.ccdd.eeff"), "aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(NormalizeMac("0:1b:2:3:4:5"), "00:1b:02:03:04:05");
  EXPECT_FALSE(NormalizeMac("not a mac").has_value());
  EXPECT_FALSE(NormalizeMac("aa:bb:cc").has_value());
}

TEST(IsLocallyAdministeredMac, ReadsTheUlBit) {
  EXPECT_TRUE(IsLocallyAdministeredMac("02:42:ac:11:00:02"));
  EXPECT_TRUE(IsLocallyAdministeredMac("da:a1:19:00:00:01"));
  EXPECT_FALSE(IsLocallyAdministeredMac("00:1b:21:3a:4f:10"));
}

TEST(SanitizeUtf8, KeepsValidTextAndReplacesBrokenBytes) {
  EXPECT_EQ(SanitizeUtf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(SanitizeUtf8("a\xff"
                         "b"),
            "a\xef\xbf\xbd"
            "b");
  EXPECT_EQ(SanitizeUtf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");  // overlong '/'
  EXPECT_EQ(SanitizeUtf8("line\nbreak"), "line break");
}

TEST(IsValidUtf8, AcceptsUtf8AndRefusesLatin1AndOverlongForms) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xf0\x9f\x98\x80 tab\there"));
  EXPECT_FALSE(IsValidUtf8("caf\xe9"));       // Latin-1
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));      // truncated
}

// The one decoder every UTF-8 user goes through (validation, repair, the
// terminal-safe rendering): code point and length, or length 0.
TEST(DecodeUtf8, DecodesEachLengthAndRefusesIllFormedSequences) {
  const struct {
    std::string bytes;
    uint32_t code_point;
    size_t length;
  } cases[] = {
      {"A", 'A', 1},
      {"\xc3\xa9", 0xe9, 2},             // é
      {"\xe2\x80\xae", 0x202e, 3},       // RLO
      {"\xf0\x9f\x98\x80", 0x1f600, 4},  // emoji
      {"\xc2\x9b", 0x9b, 2},             // C1 CSI: well-formed, a control
      {"\xc0\xaf", 0, 0},                // overlong "/"
      {"\xed\xa0\x80", 0, 0},            // surrogate
      {"\xf4\x90\x80\x80", 0, 0},        // past U+10FFFF
      {"\xe2\x80", 0, 0},                // cut off
      {"\x80", 0, 0},                    // stray continuation
      {"\xff", 0, 0},
  };
  for (const auto& c : cases) {
    const Utf8Char decoded = DecodeUtf8(c.bytes, 0);
    EXPECT_EQ(decoded.length, c.length) << testing::PrintToString(c.bytes);
    if (c.length) {
      EXPECT_EQ(decoded.code_point, c.code_point) << testing::PrintToString(c.bytes);
    }
  }
  EXPECT_EQ(DecodeUtf8("ab\xc3\xa9", 2).code_point, 0xe9u);  // from an offset
}

TEST(ReplaceInvalidUtf8, KeepsControlCharactersUnlikeSanitize) {
  EXPECT_EQ(ReplaceInvalidUtf8("a\nb\xe9"), "a\nb\xef\xbf\xbd");
  EXPECT_EQ(ReplaceInvalidUtf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_TRUE(IsValidUtf8(ReplaceInvalidUtf8("\xff\xfe\xc0\xaf\xed\xa0\x80")));
}

TEST(ParseEndpoint, ReadsHostPortAndBracketedIpv6) {
  auto v4 = ParseEndpoint("127.0.0.1:4790");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 4790);
  auto v6 = ParseEndpoint("[::1]:80");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(ParseEndpoint("collector", 4790)->port, 4790);
  EXPECT_FALSE(ParseEndpoint("collector").ok());
  EXPECT_FALSE(ParseEndpoint("host:99999").ok());
  EXPECT_FALSE(ParseEndpoint(":80").ok());
}

TEST(ConfigFile, ReadsSectionsCommentsAndQuotes) {
  auto config = ConfigFile::Parse("# comment\nlisten = 127.0.0.1:1\n[store]\npath = \"/x y\"\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->Get("listen"), "127.0.0.1:1");
  EXPECT_EQ(config->Get("store.path"), "/x y");
  EXPECT_FALSE(config->Get("missing").has_value());
}

TEST(ConfigFile, AnUnknownKeyIsRefusedWithItsLineAndTheNearestKnownOne) {
  auto config = ConfigFile::Parse(
      "# c\nio_threads = 2\n\nmissing_after_day = 5\n[drift_groups]\nlaptop = os\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->LineOf("missing_after_day"), 4);
  Status st = config->CheckKeys({"io_threads", "missing_after_days"}, {"drift_groups."});
  EXPECT_EQ(st.message(),
            "line 4: unknown key 'missing_after_day' (did you mean 'missing_after_days'?)");
  EXPECT_TRUE(config->CheckKeys({"io_threads", "missing_after_day"}, {"drift_groups."}).ok());
  EXPECT_FALSE(config->CheckKeys({"io_threads", "missing_after_day"}).ok());
}

TEST(ConfigFile, NamesTheBadLine) {
  auto config = ConfigFile::Parse("a = 1\nthis is not a setting\n");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("line 2"), std::string::npos);
}

}  // namespace
}  // namespace estate
