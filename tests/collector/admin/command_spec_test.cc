// estatectl's strict command line, from the commands' declared option tables:
// the mistakes of issue 27 are refused with the nearest valid spelling, random
// option strings are never silently dropped, and --help and the man page name
// the same options as the tables.
#include "collector/admin/command_spec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "collector/admin/command_registry.h"
#include "collector/estatectl/command_line.h"
#include "estate/suggest.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

Result<ParsedCommandLine> Parse(const std::vector<std::string>& argv) {
  static const auto* specs = new std::vector<CommandSpec>(AllCommandSpecs());
  return ParseCommandLine(*specs, argv);
}

std::string Error(const std::vector<std::string>& argv) {
  auto parsed = Parse(argv);
  EXPECT_FALSE(parsed.ok()) << "accepted: " << testing::PrintToString(argv);
  return parsed.ok() ? "" : parsed.status().message();
}

TEST(CommandLine, UnknownOptionsAreRefusedWithTheNearestValidOne) {
  EXPECT_EQ(Error({"assets", "--stat", "retired"}),
            "unknown option --stat for `assets` (did you mean '--state'?); estatectl assets "
            "--help lists them");
  EXPECT_NE(Error({"assets", "--at", "2026-01-01"}).find("unknown option --at for `assets`"),
            std::string::npos);
  EXPECT_NE(Error({"assets", "--bogus-filter", "x"}).find("unknown option --bogus-filter"),
            std::string::npos);
  EXPECT_NE(Error({"--jsn", "stats"}).find("did you mean '--json'?"), std::string::npos);
  EXPECT_NE(Error({"asets"}).find("unknown command 'asets' (did you mean 'assets'?)"),
            std::string::npos);
}

TEST(CommandLine, BadEnumValuesAreRefusedWithTheNearestValidOne) {
  EXPECT_EQ(Error({"drift", "--min-severity", "bogus"}),
            "--min-severity: 'bogus' is not one of info, low, medium, high, critical");
  EXPECT_NE(Error({"assets", "--state", "retird"}).find("(did you mean 'retired'?)"),
            std::string::npos);
  // Nothing near: the list alone.
  EXPECT_EQ(Error({"checkin", "A-1", "--condition", "brokn"}),
            "--condition: 'brokn' is not one of good, damaged");
  EXPECT_NE(Error({"approve", "software", "x", "--verdict", "aproved"})
                .find("(did you mean 'approved'?)"),
            std::string::npos);
}

TEST(CommandLine, MissingAndMalformedValuesAreRefused) {
  EXPECT_EQ(Error({"checkout", "A-1", "--to"}), "--to needs a value (PERSON)");
  EXPECT_EQ(Error({"checkout", "A-1", "--to", "--due", "2027-01-01"}),
            "--to needs a value (PERSON)");
  EXPECT_NE(Error({"checkout", "A-1", "--to", "bob", "--due", "2027-02-30"}).find("--due"),
            std::string::npos);
  EXPECT_NE(Error({"assets", "--limit", "ten"}).find("'ten' is not a number"), std::string::npos);
  EXPECT_NE(Error({"assets", "--seen-within", "week"}).find("is not a duration"),
            std::string::npos);
  EXPECT_EQ(Error({"assets", "--managed=yes"}), "--managed takes no value");
  EXPECT_EQ(Error({"assets", "--os", "linux", "--os", "bsd"}), "--os is given twice");
  EXPECT_NE(Error({"assets", "--owner="}).find("--owner needs a value"), std::string::npos);
}

TEST(CommandLine, ArgumentsAndFormsAreChecked) {
  EXPECT_NE(Error({"show"}).find("missing argument for `show`; usage: show ASSET"),
            std::string::npos);
  EXPECT_NE(Error({"history", "a", "b"}).find("too many arguments"), std::string::npos);
  EXPECT_NE(Error({"approve", "devce", "A-1"}).find("(did you mean 'device'?)"), std::string::npos);
  EXPECT_NE(Error({"approve", "device", "A-1", "--port", "22"})
                .find("--port is not an option of `approve device`"),
            std::string::npos);
  EXPECT_NE(Error({"policy", "remve", "1"}).find("did you mean 'remove'"), std::string::npos);
}

TEST(CommandLine, ValidCommandLinesKeepEveryOptionAndArgument) {
  auto parsed = Parse({"--socket", "/x.sock", "assets", "--state", "retired", "--owner=dave",
                       "--managed", "--json"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->command, "assets");
  EXPECT_EQ(parsed->globals.at("socket"), "/x.sock");
  EXPECT_EQ(parsed->globals.at("json"), "true");
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(parsed->options, (Pairs{{"state", "retired"}, {"owner", "dave"}, {"managed", "true"}}));
  // The switch that used to "need a value".
  auto hosts = Parse({"shadow", "--software", "--hosts"});
  ASSERT_TRUE(hosts.ok()) << hosts.status().ToString();
  EXPECT_EQ(hosts->options, (Pairs{{"software", "true"}, {"hosts", "true"}}));
  auto pki = Parse({"pki", "init", "/tmp/p", "--host", "a", "--host", "b"});
  ASSERT_TRUE(pki.ok()) << pki.status().ToString();
  EXPECT_EQ(pki->options, (Pairs{{"host", "a"}, {"host", "b"}}));
  EXPECT_TRUE(Parse({"assets", "--help"})->help);
}

TEST(CommandLine, TheCollectorRefusesWhatTheTableDoesNotDeclare) {
  const CommandRegistry registry = MakeBuiltinCommands();
  v1::AdminRequest request;
  request.set_command("assets");
  (*request.mutable_options())["stat"] = "retired";
  Status st = CheckRequest(registry.Find("assets")->Spec(), request);
  EXPECT_EQ(st.message(), "unknown option --stat for `assets` (did you mean '--state'?)");
  request.mutable_options()->clear();
  (*request.mutable_options())["state"] = "retird";
  EXPECT_FALSE(CheckRequest(registry.Find("assets")->Spec(), request).ok());
  (*request.mutable_options())["state"] = "retired";
  EXPECT_TRUE(CheckRequest(registry.Find("assets")->Spec(), request).ok());
}

// Property: whatever option string is typed, parsing either refuses it or
// keeps every option it was given, each declared by the command's table, so
// no filter is ever dropped and the answer never silently unfiltered.
TEST(CommandLine, RandomOptionStringsAreRefusedOrKeptWhole) {
  const std::vector<CommandSpec> specs = AllCommandSpecs();
  std::mt19937 random(27);
  const std::vector<std::string> values = {"retired", "7d", "2026-01-01", "x",
                                           "10",      "",   "--managed",  "dave",
                                           "bogus",   "-1", "=",          "10.0.0.0/8"};
  auto mutate = [&](std::string name) {
    switch (random() % 5) {
      case 0:
        name.erase(random() % name.size(), 1);
        break;
      case 1:
        name.insert(random() % (name.size() + 1), 1, static_cast<char>('a' + random() % 26));
        break;
      case 2:
        name = "x" + name;
        break;
      default:
        break;  // a valid name
    }
    return name;
  };
  int accepted = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    const CommandSpec& spec = specs[random() % specs.size()];
    const std::vector<OptionSpec> options = spec.AllOptions();
    std::vector<std::string> argv = {spec.name};
    if (!spec.forms[0].selector.empty()) argv.push_back(spec.forms[0].selector);
    for (int i = 0; i < spec.forms[0].min_args - (spec.forms[0].selector.empty() ? 0 : 1); ++i) {
      argv.push_back("A-1");
    }
    std::multiset<std::string> given;
    const int count = 1 + static_cast<int>(random() % 4);
    for (int i = 0; i < count && !options.empty(); ++i) {
      const std::string name = mutate(options[random() % options.size()].name);
      given.insert(name);
      argv.push_back("--" + name);
      if (random() % 3) {
        const std::string& value = values[random() % values.size()];
        argv.push_back(value);
        // After a switch, "--managed" is no value but the next option.
        for (const auto& o : options) {
          if (o.name == name && o.kind == ValueKind::kSwitch && value.rfind("--", 0) == 0) {
            given.insert(value.substr(2));
          }
        }
      }
    }
    auto parsed = ParseCommandLine(specs, argv);
    if (!parsed.ok()) {
      ++refused;
      continue;
    }
    ++accepted;
    std::multiset<std::string> kept;
    for (const auto& [name, value] : parsed->options) {
      kept.insert(name);
      bool declared = false;
      for (const auto& o : options) declared |= o.name == name;
      EXPECT_TRUE(declared) << name << " in " << testing::PrintToString(argv);
    }
    for (const auto& [name, value] : parsed->globals) kept.insert(name);
    if (parsed->help) kept.insert("help");
    EXPECT_EQ(kept, given) << testing::PrintToString(argv);
  }
  EXPECT_GT(accepted, 100);
  EXPECT_GT(refused, 100);
}

// The options a man page entry names: `\-\-name` in its text.
std::map<std::string, std::set<std::string>> ManPageOptions() {
  std::ifstream in(std::string(ESTATE_SOURCE_DIR) + "/man/estatectl.8");
  std::map<std::string, std::set<std::string>> out;
  std::string line, command;
  bool in_commands = false, heading = false;
  int depth = 0;
  const std::regex option(R"(\\-\\-([a-z](?:[a-z]|\\-)*))");
  while (std::getline(in, line)) {
    if (line.rfind(".SH", 0) == 0) {
      in_commands = line == ".SH COMMANDS";
      command.clear();
      continue;
    }
    if (!in_commands) continue;
    if (line == ".RS") ++depth;
    if (line == ".RE") --depth;
    if (line == ".TP" && depth == 0) {
      heading = true;
      continue;
    }
    if (heading) {
      // `.BI "approve device" " ASSET"`: the command is the first word.
      std::string words = line.substr(line.find(' ') + 1);
      words.erase(std::remove(words.begin(), words.end(), '"'), words.end());
      command = words.substr(0, words.find(' '));
      out[command];
      heading = false;
    }
    // An option's own entry: `.BI \-\-seen\-within " AGE"` inside the command's .RS list.
    if (command.empty() || depth == 0 || line.rfind(".B", 0) != 0) continue;
    std::smatch m;
    if (std::regex_search(line, m, option) && m.position(0) <= 4) {
      out[command].insert(std::regex_replace(m[1].str(), std::regex(R"(\\-)"), "-"));
    }
  }
  return out;
}

TEST(CommandLine, HelpAndManPageNameTheOptionsOfTheTable) {
  const auto man = ManPageOptions();
  ASSERT_FALSE(man.empty()) << "no COMMANDS section in man/estatectl.8";
  std::set<std::string> commands;
  for (const CommandSpec& spec : AllCommandSpecs()) {
    commands.insert(spec.name);
    std::set<std::string> declared;
    for (const auto& o : spec.AllOptions()) declared.insert(o.name);
    const std::string help = FormatCommandHelp(spec);
    for (const auto& name : declared) {
      EXPECT_NE(help.find("--" + name), std::string::npos)
          << "estatectl " << spec.name << " --help does not list --" << name;
    }
    auto entry = man.find(spec.name);
    ASSERT_NE(entry, man.end()) << "man/estatectl.8 has no entry for " << spec.name;
    std::set<std::string> documented = entry->second;
    // --csv and --columns are documented once, under OPTIONS, for every list command.
    if (spec.list) documented.insert({"csv", "columns"});
    EXPECT_EQ(documented, declared) << "man/estatectl.8 and the table of " << spec.name;
  }
  for (const auto& [name, unused] : man) {
    EXPECT_TRUE(commands.count(name)) << "man/estatectl.8 documents unknown command " << name;
  }
}

TEST(CommandLine, TheBashCompletionOffersEachCommandsOptionsAndChoices) {
  const std::string script = FormatBashCompletion(AllCommandSpecs());
  EXPECT_NE(script.find("complete -F _estatectl estatectl"), std::string::npos);
  EXPECT_NE(script.find("    assets) words=\"--class --state"), std::string::npos) << script;
  EXPECT_NE(
      script.find("--min-severity) COMPREPLY=($(compgen -W \"info low medium high critical\""),
      std::string::npos);
}

TEST(ClosestMatch, SuggestsTyposButNotOtherWords) {
  const std::vector<std::string> states = {"ordered", "in_stock", "deployed", "retired"};
  EXPECT_EQ(ClosestMatch("retird", states), "retired");
  EXPECT_EQ(ClosestMatch("RETIRED", states), "retired");
  EXPECT_EQ(ClosestMatch("deplyoed", states), "deployed");
  EXPECT_EQ(ClosestMatch("instock", states), "in_stock");
  EXPECT_EQ(ClosestMatch("sales", states), "");
  EXPECT_EQ(ClosestMatch("", states), "");
}

}  // namespace
}  // namespace estate::collector
