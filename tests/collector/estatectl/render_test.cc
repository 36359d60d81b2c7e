#include "collector/estatectl/render.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace estate::collector {
namespace {

// What a hostile or broken agent can put in a reported string: a window
// title (OSC), colours and a screen clear (CSI), a bell, the 8-bit CSI, a
// right-to-left override and a byte that is not UTF-8.
const std::string kHostile =
    "web\x1b]0;owned\x07-01\x1b[31m\x1b[2J\x07\xc2\x9b"
    "6n\xe2\x80\xae"
    "gnp.exe\xff";

// No byte a terminal would act on: C0 (tab and newline included, they would
// break the table), DEL, C1 as UTF-8, the bidi controls.
void ExpectTerminalSafe(const std::string& out) {
  for (size_t i = 0; i < out.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(out[i]);
    if (c == '\n') continue;  // the renderer's own line ends
    EXPECT_FALSE(c < 0x20 || c == 0x7f) << "control byte " << int(c) << " at " << i << ": " << out;
    if (c == 0xc2 && i + 1 < out.size()) {
      const unsigned char next = static_cast<unsigned char>(out[i + 1]);
      EXPECT_FALSE(next >= 0x80 && next <= 0x9f) << "C1 control at " << i;
    }
    EXPECT_NE(out.substr(i, 3), "\xe2\x80\xae") << "bidi override at " << i;
  }
}

TEST(TerminalSafe, ShowsControlCharactersAsEscapes) {
  EXPECT_EQ(TerminalSafe(kHostile),
            "web\\x1b]0;owned\\x07-01\\x1b[31m\\x1b[2J\\x07\\u009b6n\\u202egnp.exe\xef\xbf\xbd");
  EXPECT_EQ(TerminalSafe("a\tb\nc\rd\x7f"), "a\\tb\\nc\\rd\\x7f");
}

TEST(TerminalSafe, KeepsPrintableTextOfAnyScript) {
  const std::string text = "Müller-PC 東京 ñandú — ok";
  EXPECT_EQ(TerminalSafe(text), text);
  EXPECT_EQ(TerminalSafe(""), "");
}

TEST(RenderForHumans, ShowNeutralisesEveryReportedString) {
  nlohmann::json asset = {
      {"id", "A-1"},
      {"hostname", kHostile},
      {"os", "Debian\x1b]8;;http://evil/\x1b\\link"},
      {"attributes", {{std::string("note\x1b[5m"), kHostile}}},
      {"sources", {{{"kind", "agent"}, {"node_id", kHostile}, {"last_sequence", 3}}}},
      {"facts",
       {{kHostile,
         {{"network",
           {{"interfaces",
             {{{"name", "eth0\x07"},
               {"mac", kHostile},
               {"addresses", nlohmann::json::array()}}}}}}}}}}};
  const std::string out = RenderForHumans("show", asset);
  ExpectTerminalSafe(out);
  EXPECT_NE(out.find("web\\x1b]0;owned\\x07-01"), std::string::npos) << out;
  EXPECT_NE(out.find("eth0\\x07"), std::string::npos) << out;
}

TEST(RenderForHumans, EveryCommandIsNeutralisedNotOnlyShow) {
  const nlohmann::json row = {{"id", kHostile},       {"hostname", kHostile}, {"summary", kHostile},
                              {"kind", kHostile},     {"node_id", kHostile},  {"ip", kHostile},
                              {"asset_id", kHostile}, {"name", kHostile},     {"fact", kHostile}};
  const nlohmann::json list = nlohmann::json::array({row});
  for (const auto& [command, result] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"assets", {{"assets", list}}},
           {"history", {{"events", list}}},
           {"events", {{"events", list}}},
           {"sightings", {{"sightings", list}}},
           {"agents", {{"agents", list}}},
           {"drift", {{"drift", list}}},
           {"shadow", {{"devices", list}, {"software", list}}},
           {"stats", {{"note", kHostile}, {kHostile, 1}}},
           {"report", {{"by_os", {{kHostile, 2}}}}},
           {"anything", nlohmann::json::array({kHostile})}}) {
    SCOPED_TRACE(command);
    ExpectTerminalSafe(RenderForHumans(command, result));
  }
}

TEST(RenderForHumans, ShadowExplainNamesTheDecidingRulePerVersion) {
  const nlohmann::json result = {
      {"order", "package name > asset class > version range or port > publisher/origin"},
      {"explain",
       {{{"name", "netcat-openbsd"},
         {"version", "1.219-1"},
         {"architecture", "amd64"},
         {"origins", {"Debian/bookworm"}},
         {"distribution", true},
         {"asset_class", "server"},
         {"hosts", 740},
         {"verdict", "prohibited"},
         {"decided_by", "rule r2 (netcat* prohibited)"}},
        {{"name", "netcat-openbsd"},
         {"version", "1.219-1+local"},
         {"architecture", "amd64"},
         {"origins", {"local"}},
         {"distribution", false},
         {"asset_class", ""},
         {"hosts", 0},
         {"verdict", "unknown"},
         {"decided_by", "no rule matches"}}}}};
  const std::string out = RenderForHumans("shadow", result);
  EXPECT_NE(out.find("DECIDED BY"), std::string::npos) << out;
  EXPECT_NE(out.find("Debian/bookworm (distribution)"), std::string::npos) << out;
  EXPECT_NE(out.find("rule r2 (netcat* prohibited)"), std::string::npos) << out;
  EXPECT_NE(out.find("1.219-1+local"), std::string::npos) << out;
  EXPECT_NE(out.find("no rule matches"), std::string::npos) << out;
  EXPECT_NE(out.find("Rule order: package name"), std::string::npos) << out;
}

// Every time a human rendering prints is ISO 8601 UTC (2026-12-07T19:40:15Z):
// no "UTC" suffix form, no local time, no epoch seconds.
TEST(RenderForHumans, TimesAreIso8601UtcInEveryRendering) {
  const int64_t t = 1796672415;  // 2026-12-07T19:40:15Z
  const std::string iso = "2026-12-07T19:40:15Z";
  ASSERT_EQ(FormatHumanTime(t), iso);
  EXPECT_EQ(FormatHumanTime(0), "-");
  const nlohmann::json agents = {{"agents",
                                  {{{"node_id", "n1"},
                                    {"enrolled_at", t},
                                    {"last_seen", t},
                                    {"revoked", true},
                                    {"revoked_at", t}}}}};
  const nlohmann::json show = {{"id", "A-1"},
                               {"first_seen", t},
                               {"last_seen", t},
                               {"custody", {{"holder", "dave"}, {"checked_out_at", t}, {"due", t}}},
                               {"sources", {{{"kind", "agent"}, {"last_seen", t}}}}};
  const nlohmann::json row = {{"at", t}, {"last_seen", t}, {"seq", 1}, {"kind", "k"}};
  for (const auto& [command, result] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"agents", agents},
           {"show", show},
           {"set", show},
           {"events", {{"events", nlohmann::json::array({row})}}},
           {"history", {{"events", nlohmann::json::array({row})}}},
           {"sightings", {{"sightings", nlohmann::json::array({row})}}},
           {"stats", {{"started_at", t}, {"last_seen", t}}}}) {
    SCOPED_TRACE(command);
    const std::string out = RenderForHumans(command, result);
    EXPECT_NE(out.find(iso), std::string::npos) << out;
    EXPECT_EQ(out.find("UTC"), std::string::npos) << out;
    EXPECT_EQ(out.find(std::to_string(t)), std::string::npos) << "epoch seconds in\n" << out;
    // Nothing shaped like a time but the ISO form.
    EXPECT_FALSE(std::regex_search(out, std::regex(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})"))) << out;
  }
}

TEST(RenderForHumans, ShowMarksValuesTheSchemaRefuses) {
  const nlohmann::json asset = {
      {"id", "A-9"},
      {"asset_class", "lapto"},
      {"attributes", {{"cost", "abc"}, {"owner", "dave"}}},
      {"invalid", {{"cost", "'abc' is not an amount"}, {"class", "'lapto' is not a known class"}}}};
  const std::string out = RenderForHumans("show", asset);
  EXPECT_NE(out.find("abc  [INVALID: 'abc' is not an amount"), std::string::npos) << out;
  EXPECT_NE(out.find("lapto  [INVALID: 'lapto' is not a known class"), std::string::npos) << out;
  EXPECT_EQ(out.find("dave  [INVALID"), std::string::npos) << out;
}

TEST(RenderForHumans, PersonNamesThePersonAndPeopleIsATable) {
  const nlohmann::json person = {{"person",
                                  {{"name", "dave"},
                                   {"full_name", "Dave Smith"},
                                   {"email", "dave@example.com"},
                                   {"department", "Engineering"}}},
                                 {"holds", 1},
                                 {"owns", 0},
                                 {"overdue", 1},
                                 {"assets", {{{"id", "A-1"}, {"state", "checked_out"}}}}};
  const std::string out = RenderForHumans("person", person);
  EXPECT_EQ(out.rfind("dave (Dave Smith <dave@example.com>, Engineering) holds 1 asset(s) (1 "
                      "overdue) and owns 0\n",
                      0),
            0u)
      << out;
  const std::string people = RenderForHumans(
      "people", {{"people", {{{"name", "dave"}, {"email", "dave@example.com"}, {"owns", 2}}}}});
  EXPECT_NE(people.find("NAME"), std::string::npos) << people;
  EXPECT_NE(people.find("dave@example.com"), std::string::npos) << people;
  EXPECT_NE(people.find("1 person(s)"), std::string::npos) << people;
}

}  // namespace
}  // namespace estate::collector
