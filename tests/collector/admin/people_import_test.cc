// The parsers of `person import`: RFC 4180 CSV with a header, and `getent
// passwd` lines, table-driven from inline text.
#include "collector/admin/people_import.h"

#include <gtest/gtest.h>

#include "collector/admin/people.h"

namespace estate::collector {
namespace {

TEST(ParseCsvRecords, QuotesCommasLineBreaksAndDoubledQuotesPerRfc4180) {
  auto records = ParseCsvRecords(
      "\xef\xbb\xbfname,notes\r\n"
      "\"O'Brien, Pat\",\"two\r\nlines \"\"quoted\"\"\"\r\n"
      "\n"
      "plain,\r\n"
      "last,no newline");
  ASSERT_TRUE(records.ok()) << records.status().message();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[0].fields, (std::vector<std::string>{"name", "notes"}));
  EXPECT_EQ((*records)[1].fields,
            (std::vector<std::string>{"O'Brien, Pat", "two\r\nlines \"quoted\""}));
  EXPECT_EQ((*records)[1].line, 2u);
  EXPECT_EQ((*records)[2].fields, (std::vector<std::string>{"plain", ""}));
  EXPECT_EQ((*records)[2].line, 5u);  // after the quoted line break and the blank line
  EXPECT_EQ((*records)[3].fields, (std::vector<std::string>{"last", "no newline"}));
}

TEST(ParseCsvRecords, RefusesStrayAndUnclosedQuotesNamingTheLine) {
  EXPECT_NE(ParseCsvRecords("a,b\nx\"y,z\n").status().message().find("line 2: a quote inside"),
            std::string::npos);
  EXPECT_NE(ParseCsvRecords("a\n\"open\n").status().message().find("line 2: a quoted field"),
            std::string::npos);
  EXPECT_NE(ParseCsvRecords("\"a\"b,c\n").status().message().find("text after a closing quote"),
            std::string::npos);
}

TEST(ParsePeopleCsv, ReadsTheColumnsInAnyOrderAndCase) {
  auto file = ParsePeopleCsv(
      "Email,NAME,department\n"
      "dave@example.com,dave,Engineering\n"
      ",erin,\n");
  ASSERT_TRUE(file.ok()) << file.status().message();
  ASSERT_EQ(file->people.size(), 2u);
  EXPECT_EQ(file->people[0].name(), "dave");
  EXPECT_EQ(file->people[0].email(), "dave@example.com");
  EXPECT_EQ(file->people[0].department(), "Engineering");
  EXPECT_EQ(file->people[0].source(), "csv import");
  EXPECT_EQ(file->people[1].name(), "erin");
  EXPECT_TRUE(file->people[1].email().empty());
}

TEST(ParsePeopleCsv, EveryRefusalNamesTheLineAndTheField) {
  const struct {
    const char* text;
    const char* says;
  } cases[] = {
      {"name,emial\n", "line 1: unknown column 'emial' (did you mean 'email'?)"},
      {"email,department\n", "no 'name' column"},
      {"name,email\ndave,dave@@example\n", "line 2: email: 'dave@@example' is not an email"},
      {"name,email\ndave,dave example.com\n", "line 2: email:"},
      {"name,email\ndave,d@example.com\n,x@example.com\n", "line 3: name: the name is empty"},
      {"name,email\ndave,d@example.com\nDave,e@example.com\n",
       "line 3: name: 'Dave' is given twice"},
      {"name,email\ndave\n", "line 2: 1 fields where the header has 2"},
      {"", "the file is empty"},
  };
  for (const auto& c : cases) {
    auto file = ParsePeopleCsv(c.text);
    ASSERT_FALSE(file.ok()) << c.text;
    EXPECT_NE(file.status().message().find(c.says), std::string::npos)
        << c.text << " -> " << file.status().message();
  }
}

TEST(ParsePasswd, KeepsLoginsWithAShellAndSkipsSystemAccounts) {
  const char* passwd =
      "root:x:0:0:root:/root:/bin/bash\n"
      "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
      "dave:x:1000:1000:Dave Smith,Room 4,,,dave@example.com:/home/dave:/bin/bash\n"
      "svc:x:1001:1001:Service:/srv:/usr/sbin/nologin\n"
      "old:x:1002:1002::/home/old:/bin/false\n"
      "nobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n"
      "erin:x:1003:1003:Erin Ünal:/home/erin:/usr/bin/zsh\r\n"
      "dave:x:5000:5000:Dave from LDAP:/home/dave:/bin/bash\n";
  auto file = ParsePasswd(passwd, 1000);
  ASSERT_TRUE(file.ok()) << file.status().message();
  ASSERT_EQ(file->people.size(), 2u);
  EXPECT_EQ(file->people[0].name(), "dave");
  EXPECT_EQ(file->people[0].full_name(), "Dave Smith");
  EXPECT_EQ(file->people[0].email(), "dave@example.com");
  EXPECT_EQ(file->people[0].source(), "getent import");
  EXPECT_EQ(file->people[1].name(), "erin");
  EXPECT_EQ(file->people[1].full_name(), "Erin Ünal");
  EXPECT_TRUE(file->people[1].email().empty());
  ASSERT_EQ(file->skipped.size(), 6u);
  EXPECT_EQ(file->skipped[0], "line 1: root: system account (uid 0)");
  EXPECT_EQ(file->skipped[3], "line 5: old: no login shell (/bin/false)");
  EXPECT_EQ(file->skipped[4], "line 6: nobody: the overflow account (uid 65534)");
  EXPECT_EQ(file->skipped[5], "line 8: dave: listed before");
  // The threshold is the caller's: a site whose people start at 500.
  EXPECT_EQ(ParsePasswd("ann:x:500:500:Ann:/home/ann:/bin/bash\n", 500)->people.size(), 1u);
  EXPECT_TRUE(ParsePasswd("ann:x:500:500:Ann:/home/ann:/bin/bash\n", 1000)->people.empty());
}

TEST(ParsePasswd, RefusesLinesThatAreNotPasswdNamingThem) {
  EXPECT_NE(ParsePasswd("dave:x:1000\n", 1000).status().message().find("line 1: 3 fields"),
            std::string::npos);
  EXPECT_NE(ParsePasswd("ok:x:1000:1000::/h:/bin/sh\nbad:x:uid:1:::/bin/sh\n", 1000)
                .status()
                .message()
                .find("line 2: uid 'uid'"),
            std::string::npos);
}

TEST(CheckEmail, AcceptsAddressesAndRefusesTheRest) {
  for (const char* ok : {"dave@example.com", "first.last+tag@mail.example.co.uk", "a_b@x-y.org"}) {
    EXPECT_TRUE(CheckEmail(ok).ok()) << ok;
  }
  for (const char* bad :
       {"dave", "dave@", "@example.com", "dave@example", "da ve@example.com", ".dave@example.com",
        "dave.@example.com", "a..b@example.com", "dave@-example.com", "dave@example.c0m"}) {
    EXPECT_FALSE(CheckEmail(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace estate::collector
