// The stored form of a node's packages and the catalogue it refers to.
#include "collector/store/software_set.h"

#include <gtest/gtest.h>

#include <random>

#include "collector/reconcile/facts_sections.h"
#include "collector/reconcile/software_catalogue.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

HostSoftware RandomSet(std::mt19937& rng, size_t n) {
  HostSoftware s;
  uint32_t title = 0;
  // Install times cluster as apt transactions do.
  const int64_t transactions[] = {1'690'000'000, 1'695'000'000, 1'700'000'000};
  for (size_t i = 0; i < n; ++i) {
    title += 1 + rng() % 3;
    s.entries.push_back({title, static_cast<uint32_t>(rng() % 4),
                         transactions[rng() % 3] + static_cast<int64_t>(rng() % 30)});
  }
  for (size_t i = 0; i < n; i += 97) {
    s.exceptions.push_back({s.entries[i].title, static_cast<uint32_t>(rng() % 5),
                            1'700'000'000 + static_cast<int64_t>(i)});
  }
  s.baseline_at = 1'690'000'000;
  s.baseline_by = "node-1";
  return s;
}

void ExpectSame(const HostSoftware& a, const HostSoftware& b) {
  ASSERT_EQ(a.entries, b.entries);
  ASSERT_EQ(a.exceptions, b.exceptions);
  EXPECT_EQ(a.baseline_at, b.baseline_at);
  EXPECT_EQ(a.baseline_by, b.baseline_by);
}

TEST(SoftwareSet, RoundTripsAndTakesAFewBytesAPackage) {
  std::mt19937 rng(3);
  const HostSoftware set = RandomSet(rng, 1500);
  const std::string bytes = EncodeSoftwareSet(set);
  HostSoftware decoded;
  ASSERT_TRUE(DecodeSoftwareSet(bytes, &decoded));
  ExpectSame(set, decoded);
  // Gaps, ranks and time references are one byte each; times are stored once.
  EXPECT_LT(bytes.size(), 1500u * 4);
  EXPECT_NE(decoded.Find(set.entries[700].title), nullptr);
  EXPECT_EQ(decoded.Find(set.entries[700].title + 100000), nullptr);
}

TEST(SoftwareSet, AnyNumberOfDistinctInstallTimesFits) {
  HostSoftware set;
  for (uint32_t i = 1; i <= 5000; ++i) set.entries.push_back({i, 0, 1'600'000'000 + i * 7});
  HostSoftware decoded;
  ASSERT_TRUE(DecodeSoftwareSet(EncodeSoftwareSet(set), &decoded));
  EXPECT_EQ(decoded.entries, set.entries);
}

TEST(SoftwareSet, RefusesBytesThatAreNotASet) {
  HostSoftware out;
  EXPECT_FALSE(DecodeSoftwareSet("", &out));
  EXPECT_FALSE(DecodeSoftwareSet("\xff\xff\xff", &out));
  // Two entries, one install time, columns of 2 bytes each: gaps 1 1, ranks
  // 0 0, references 0 3 (past the times).
  const std::string bad_ref("S\x02\x01\x02\x02\x02\x0a\x01\x01\x00\x00\x00\x03\x00\x00\x00", 16);
  EXPECT_FALSE(DecodeSoftwareSet(bad_ref, &out));
  std::string good = bad_ref;
  good[12] = '\x00';
  EXPECT_TRUE(DecodeSoftwareSet(good, &out));
  EXPECT_EQ(out.entries.size(), 2u);
  EXPECT_FALSE(DecodeSoftwareSet(good.substr(0, 11), &out)) << "truncated";
  EXPECT_FALSE(DecodeSoftwareSet(good + "x", &out)) << "trailing bytes";
  // A count the bytes cannot hold is refused before anything is allocated.
  EXPECT_FALSE(DecodeSoftwareSet(std::string("S\xff\xff\xff\xff\x0f\x00", 7), &out));
  EXPECT_FALSE(IsSoftwareSet(EncodeSoftwareOps(v1::SoftwareSetOps())));
  v1::SoftwareSetOps ops;
  EXPECT_FALSE(DecodeSoftwareOps(good, &ops));
}

TEST(SoftwareSet, PartsFoldAsTheMergeOperatorFoldsThem) {
  std::mt19937 rng(9);
  const HostSoftware base = RandomSet(rng, 300);
  std::vector<std::string> operands;
  std::string merged = EncodeSoftwareSet(base);
  for (int i = 0; i < 5; ++i) {
    v1::SoftwareSetOps ops;
    auto* u = ops.add_upserts();
    u->set_title(1 + rng() % 900);
    u->set_version_rank(1);
    u->set_install_time(1'720'000'000 + i);
    operands.push_back(EncodeSoftwareOps(ops));
    std::string_view existing = merged;
    std::string next;
    ASSERT_TRUE(MergeSoftwareSet(&existing, operands.back(), &next));
    merged = next;
  }
  HostSoftware folded, expected;
  ASSERT_TRUE(FoldSoftwareParts(EncodeSoftwareSet(base), operands, &folded));
  ASSERT_TRUE(DecodeSoftwareSet(merged, &expected));
  ExpectSame(expected, folded);
  // Operands alone (the set was deleted, or never written) fold over nothing.
  ASSERT_TRUE(FoldSoftwareParts(std::nullopt, operands, &folded));
  EXPECT_LE(folded.entries.size(), 5u);
}

TEST(SoftwareSet, OperandsFoldInOrderAsTheMergeOperatorDoes) {
  std::mt19937 rng(5);
  HostSoftware model = RandomSet(rng, 200);
  std::string stored = EncodeSoftwareSet(model);
  for (int round = 0; round < 50; ++round) {
    v1::SoftwareSetOps ops;
    for (int k = 0; k < 3; ++k) {
      auto* u = ops.add_upserts();
      u->set_title(1 + rng() % 700);
      u->set_version_rank(rng() % 6);
      u->set_install_time(1'710'000'000 + round);
    }
    if (round % 3 == 0) ops.add_removed_titles(model.entries[rng() % model.entries.size()].title);
    v1::BaselineException x;
    x.set_title(1 + rng() % 700);
    x.set_since(round);
    *ops.add_exceptions_set() = x;
    if (!model.exceptions.empty() && round % 2) {
      ops.add_exceptions_cleared(model.exceptions.front().title);
    }
    ApplySoftwareOps(ops, &model);
    std::string_view base = stored;
    std::string merged;
    ASSERT_TRUE(MergeSoftwareSet(&base, EncodeSoftwareOps(ops), &merged));
    stored = merged;
  }
  HostSoftware decoded;
  ASSERT_TRUE(DecodeSoftwareSet(stored, &decoded));
  ExpectSame(model, decoded);
  for (size_t i = 1; i < decoded.entries.size(); ++i) {
    ASSERT_LT(decoded.entries[i - 1].title, decoded.entries[i].title) << "sorted, one per title";
  }
  std::string merged;
  EXPECT_FALSE(MergeSoftwareSet(nullptr, "\xff\xff\xff", &merged));
}

// What a peek says of the titles `asked` is what the full fold says.
void ExpectPeekAgrees(const SoftwarePeek& peek, const HostSoftware& full,
                      const std::vector<uint32_t>& asked, const std::string& where) {
  EXPECT_EQ(peek.count, full.entries.size()) << where;
  EXPECT_EQ(peek.exceptions, full.exceptions) << where;
  EXPECT_EQ(peek.baseline_at, full.baseline_at) << where;
  EXPECT_EQ(peek.baseline_by, full.baseline_by) << where;
  for (uint32_t t : asked) {
    const SoftwareEntry* want = full.Find(t);
    const SoftwareEntry* got = peek.Find(t);
    ASSERT_EQ(want == nullptr, got == nullptr) << "title " << t << ", " << where;
    if (want) {
      EXPECT_EQ(*want, *got) << where;
    }
  }
}

// A report that touches a few titles reads only them; what it sees must be
// what the full decode and fold would have given.
TEST(SoftwareSet, APeekAgreesWithTheFullFold) {
  std::mt19937 rng(11);
  for (int round = 0; round < 40; ++round) {
    const HostSoftware base = RandomSet(rng, 50 + rng() % 400);
    std::vector<std::string> operands;
    for (int i = 0; i < static_cast<int>(rng() % 4); ++i) {
      v1::SoftwareSetOps ops;
      auto* u = ops.add_upserts();
      u->set_title(1 + rng() % 1200);
      u->set_version_rank(rng() % 5);
      u->set_install_time(1'720'000'000 + i);
      ops.add_removed_titles(base.entries[rng() % base.entries.size()].title);
      v1::BaselineException x;
      x.set_title(1 + rng() % 1200);
      x.set_since(i);
      *ops.add_exceptions_set() = x;
      operands.push_back(EncodeSoftwareOps(ops));
    }
    const std::optional<std::string> stored =
        round % 7 == 3 ? std::nullopt : std::optional<std::string>(EncodeSoftwareSet(base));
    HostSoftware full;
    ASSERT_TRUE(FoldSoftwareParts(stored, operands, &full));
    std::vector<uint32_t> asked;
    for (int i = 0; i < 6; ++i) asked.push_back(1 + rng() % 1300);
    asked.push_back(base.entries.front().title);
    asked.push_back(base.entries.back().title);
    SoftwarePeek peek;
    ASSERT_TRUE(LookupSoftware(stored, operands, asked, &peek));
    EXPECT_EQ(peek.exists, stored.has_value() || !operands.empty());
    ExpectPeekAgrees(peek, full, asked, "round " + std::to_string(round));
  }
  SoftwarePeek nothing;
  ASSERT_TRUE(LookupSoftware(std::nullopt, {}, {1, 2}, &nothing));
  EXPECT_FALSE(nothing.exists);
  EXPECT_EQ(nothing.count, 0u);
  EXPECT_FALSE(LookupSoftware(std::string("S\xff", 2), {}, {1}, &nothing));
  EXPECT_FALSE(LookupSoftware(std::nullopt, {"\xff\xff"}, {1}, &nothing));
}

// A set prepared once and then followed through deltas (Append) answers as
// LookupSoftware over the same parts, and as the full fold.
TEST(SoftwareSet, APreparedSetFollowingItsDeltasAgreesWithTheFullFold) {
  std::mt19937 rng(23);
  for (int round = 0; round < 30; ++round) {
    const HostSoftware base = RandomSet(rng, 50 + rng() % 400);
    const std::optional<std::string> stored =
        round % 7 == 3 ? std::nullopt : std::optional<std::string>(EncodeSoftwareSet(base));
    auto random_ops = [&](int i) {
      v1::SoftwareSetOps ops;
      auto* u = ops.add_upserts();
      u->set_title(1 + rng() % 1200);
      u->set_version_rank(rng() % 5);
      u->set_install_time(1'720'000'000 + i);
      ops.add_removed_titles(base.entries[rng() % base.entries.size()].title);
      if (rng() % 2) ops.add_removed_titles(1 + rng() % 1200);
      v1::BaselineException x;
      x.set_title(1 + rng() % 1200);
      x.set_since(i);
      *ops.add_exceptions_set() = x;
      if (rng() % 3 == 0) ops.add_exceptions_cleared(1 + rng() % 1200);
      return ops;
    };
    std::vector<std::string> operands;
    for (int i = 0; i < static_cast<int>(rng() % 4); ++i) {
      operands.push_back(EncodeSoftwareOps(random_ops(i)));
    }
    PreparedSoftwareSet prepared;
    ASSERT_TRUE(prepared.Prepare(stored, operands));
    for (int delta = 0; delta < 12; ++delta) {
      HostSoftware full;
      ASSERT_TRUE(FoldSoftwareParts(stored, operands, &full));
      std::vector<uint32_t> asked;
      for (int i = 0; i < 6; ++i) asked.push_back(1 + rng() % 1300);
      asked.push_back(base.entries.front().title);
      asked.push_back(base.entries.back().title);
      SoftwarePeek got, want;
      ASSERT_TRUE(prepared.Lookup(asked, &got));
      ASSERT_TRUE(LookupSoftware(stored, operands, asked, &want));
      EXPECT_EQ(got.exists, want.exists);
      ExpectPeekAgrees(got, full, asked,
                       "round " + std::to_string(round) + " delta " + std::to_string(delta));
      // The next delta, as the writer follows it.
      const v1::SoftwareSetOps ops = random_ops(100 + delta);
      operands.push_back(EncodeSoftwareOps(ops));
      HostSoftware after;
      ASSERT_TRUE(FoldSoftwareParts(stored, operands, &after));
      prepared.Append(ops, after.entries.size(), after.exceptions);
      EXPECT_EQ(prepared.operand_count(), operands.size());
      HostSoftware folded;
      ASSERT_TRUE(prepared.Fold(&folded));
      EXPECT_EQ(folded.entries, after.entries) << "round " << round << " delta " << delta;
      EXPECT_EQ(folded.exceptions, after.exceptions);
      EXPECT_EQ(folded.baseline_at, after.baseline_at);
      EXPECT_EQ(folded.baseline_by, after.baseline_by);
    }
  }
  PreparedSoftwareSet broken;
  EXPECT_FALSE(broken.Prepare(std::string("S\xff", 2), {}));
  EXPECT_FALSE(broken.Prepare(std::nullopt, {"\xff\xff"}));
  PreparedSoftwareSet nothing;
  ASSERT_TRUE(nothing.Prepare(std::nullopt, {}));
  SoftwarePeek peek;
  ASSERT_TRUE(nothing.Lookup({1, 2}, &peek));
  EXPECT_FALSE(peek.exists);
  EXPECT_EQ(peek.count, 0u);
}

// Lookups jump between the marks written every 64 entries: every title on
// either side of a mark, and titles in the gaps between entries, must be
// found (or not) exactly as a full decode says.
TEST(SoftwareSet, APeekFindsEveryTitleAroundTheMarks) {
  std::mt19937 rng(21);
  const HostSoftware set = RandomSet(rng, 1500);
  const std::string bytes = EncodeSoftwareSet(set);
  std::vector<uint32_t> asked;
  for (size_t i = 0; i < set.entries.size(); ++i) {
    if (i % 64 < 2 || i % 64 > 61) asked.push_back(set.entries[i].title);
  }
  for (uint32_t t = 1; t < set.entries.back().title + 5; t += 17) asked.push_back(t);
  for (size_t step : {size_t{1}, size_t{7}, asked.size()}) {
    for (size_t from = 0; from < asked.size(); from += step) {
      std::vector<uint32_t> some(
          asked.begin() + static_cast<std::ptrdiff_t>(from),
          asked.begin() + static_cast<std::ptrdiff_t>(std::min(asked.size(), from + step)));
      SoftwarePeek peek;
      ASSERT_TRUE(LookupSoftware(bytes, {}, some, &peek));
      EXPECT_EQ(peek.count, set.entries.size());
      for (uint32_t t : some) {
        const SoftwareEntry* want = set.Find(t);
        const SoftwareEntry* got = peek.Find(t);
        ASSERT_EQ(want == nullptr, got == nullptr) << "title " << t;
        if (want) {
          EXPECT_EQ(*want, *got);
        }
      }
    }
  }
  // Marks cost a few bytes per 64 entries.
  EXPECT_LT(bytes.size(), 1500u * 4);
}

// Sets stored before marks existed ('S', no mark fields) still read.
TEST(SoftwareSet, ASetWithoutMarksStillReads) {
  // Two entries (titles 1 and 2), one install time (5), gaps 1 1, ranks 0 3,
  // references 0 0; no exceptions, baseline at 0 by "".
  const std::string legacy("S\x02\x01\x02\x02\x02\x0a\x01\x01\x00\x03\x00\x00\x00\x00\x00", 16);
  HostSoftware full;
  ASSERT_TRUE(DecodeSoftwareSet(legacy, &full));
  ASSERT_EQ(full.entries.size(), 2u);
  EXPECT_EQ(full.entries[1], (SoftwareEntry{2, 3, 5}));
  SoftwarePeek peek;
  ASSERT_TRUE(LookupSoftware(legacy, {}, {2, 3}, &peek));
  ASSERT_NE(peek.Find(2), nullptr);
  EXPECT_EQ(*peek.Find(2), (SoftwareEntry{2, 3, 5}));
  EXPECT_EQ(peek.Find(3), nullptr);
  // What is written now carries marks, and reads the same.
  HostSoftware again;
  ASSERT_TRUE(DecodeSoftwareSet(EncodeSoftwareSet(full), &again));
  ExpectSame(full, again);
}

// A mark pointing past its column is refused, not followed.
TEST(SoftwareSet, AMarkPastItsColumnIsRefused) {
  HostSoftware set;
  for (uint32_t i = 1; i <= 100; ++i) set.entries.push_back({i, 0, 1'600'000'000});
  std::string bytes = EncodeSoftwareSet(set);
  // 'T' 100 1 |gaps|=100 |ranks|=100 |refs|=100 |marks|=4, then the one mark:
  // title before 64, gaps 64, ranks 64, refs 64.
  ASSERT_EQ(bytes.substr(0, 11), std::string("T\x64\x01\x64\x64\x64\x04\x40\x40\x40\x40", 11));
  bytes[8] = '\x7f';  // the gaps offset, now past the 100-byte column
  SoftwarePeek peek;
  EXPECT_FALSE(LookupSoftware(bytes, {}, {70}, &peek));
}

TEST(SoftwareCounter, AddsSignedDeltas) {
  std::string merged;
  ASSERT_TRUE(MergeCounter(nullptr, EncodeCounter(3), &merged));
  std::string_view base = merged;
  std::string next;
  ASSERT_TRUE(MergeCounter(&base, EncodeCounter(-5), &next));
  EXPECT_EQ(DecodeCounter(next), -2);
  std::string_view bad = "xyz";
  EXPECT_FALSE(MergeCounter(&bad, EncodeCounter(1), &merged));
}

v1::Package Pkg(const std::string& name, const std::string& version,
                const std::string& arch = "amd64") {
  v1::Package p;
  p.set_name(name);
  p.set_version(version);
  p.set_architecture(arch);
  p.set_source("deb");
  p.set_publisher("Debian");
  return p;
}

TEST(SoftwareCatalogue, InternsOnceRanksVersionsAndSurvivesAReload) {
  TempDir dir;
  auto store = Store::Open({dir.path() + "/db"});
  ASSERT_TRUE(store.ok());
  auto catalogue = SoftwareCatalogue::Load(**store);
  ASSERT_TRUE(catalogue.ok());
  auto batch = (*store)->NewBatch();
  const auto a = (*catalogue)->Intern(*batch, Pkg("openssl", "3.0.11-1~deb12u1"));
  const auto b = (*catalogue)->Intern(*batch, Pkg("openssl", "3.0.11-1~deb12u2"));
  const auto c = (*catalogue)->Intern(*batch, Pkg("openssl", "3.0.11-1~deb12u1", "i386"));
  const auto again = (*catalogue)->Intern(*batch, Pkg("openssl", "3.0.11-1~deb12u1"));
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.rank, 0u);
  EXPECT_EQ(b.rank, 1u);
  EXPECT_NE(c.title, a.title) << "another architecture is another title";
  EXPECT_EQ(again.version, a.version);
  (*catalogue)->Commit();
  ASSERT_TRUE((*store)->Write(*batch).ok());

  auto reloaded = SoftwareCatalogue::Load(**store);
  ASSERT_TRUE(reloaded.ok());
  v1::Package p;
  ASSERT_TRUE((*reloaded)->Describe(b.title, b.rank, 42, &p));
  EXPECT_EQ(p.name(), "openssl");
  EXPECT_EQ(p.version(), "3.0.11-1~deb12u2");
  EXPECT_EQ(p.install_time(), 42);
  EXPECT_EQ((*reloaded)->TitlesNamed("openssl").size(), 2u);
  EXPECT_EQ((*reloaded)->FindTitle("openssl", "i386", "deb"), c.title);
}

TEST(SoftwareCatalogue, ARolledBackReportLeavesNothingBehind) {
  TempDir dir;
  auto store = Store::Open({dir.path() + "/db"});
  ASSERT_TRUE(store.ok());
  auto catalogue = SoftwareCatalogue::Load(**store);
  ASSERT_TRUE(catalogue.ok());
  auto batch = (*store)->NewBatch();
  (*catalogue)->Intern(*batch, Pkg("curl", "7.88.1-10"));
  (*catalogue)->Commit();
  (*catalogue)->Intern(*batch, Pkg("curl", "7.88.1-10+deb12u5"));
  (*catalogue)->Intern(*batch, Pkg("nmap", "7.93"));
  (*catalogue)->Rollback();
  EXPECT_EQ((*catalogue)->title_count(), 1u);
  EXPECT_EQ((*catalogue)->version_count(), 1u);
  EXPECT_FALSE((*catalogue)->FindTitle("nmap", "amd64", "deb").has_value());
  EXPECT_TRUE((*catalogue)->TitlesNamed("nmap").empty());
  // The same ids are handed out again.
  const auto redo = (*catalogue)->Intern(*batch, Pkg("nmap", "7.93"));
  EXPECT_EQ(redo.title, 2u);
  EXPECT_EQ(redo.version, 2u);
}

TEST(FactsSections, ConcatenatedSectionsParseBackIntoTheWholeFacts) {
  v1::HostFacts facts;
  facts.set_hostname("ws-1");
  facts.set_fqdn("ws-1.corp.example");
  facts.set_machine_id("0123456789abcdef0123456789abcdef");
  facts.set_kernel("6.1.0-18-amd64");
  facts.mutable_system()->set_uptime_seconds(3600);
  facts.mutable_dmi()->set_serial("PF3ABCD1");
  facts.mutable_dmi()->add_memory_modules()->set_size_bytes(16ull << 30);
  facts.mutable_cpu()->set_logical(8);
  facts.mutable_memory()->set_total_bytes(32ull << 30);
  facts.mutable_storage()->add_disks()->set_serial("S4EVNF0M");
  facts.mutable_network()->add_interfaces()->set_mac("8c:16:45:aa:bb:cc");
  facts.mutable_os()->set_name("Debian GNU/Linux");
  facts.add_users()->set_name("root");
  facts.add_users()->set_name("alice");
  facts.add_groups()->set_name("sudo");
  facts.add_sessions()->set_user("alice");
  facts.add_services()->set_name("ssh.service");
  facts.add_listening()->set_port(22);
  facts.add_pci_devices()->set_slot("0000:00:02.0");
  facts.add_usb_devices()->set_bus_path("1-1");
  facts.add_warnings("rpm database unreadable");
  facts.add_monitors()->set_serial("KYJ231716UHE");
  facts.add_batteries()->set_serial("44853");
  facts.mutable_security()->set_root_encrypted(true);
  facts.add_printers()->set_queue("Aviatar");
  facts.add_guests()->add_macs("52:54:00:36:bd:3b");
  std::string wire;
  for (int field : SectionFields()) wire += SectionBytes(facts, field);
  v1::HostFacts back;
  ASSERT_TRUE(back.ParseFromString(wire));
  EXPECT_EQ(back.SerializeAsString(), facts.SerializeAsString());
  // An unset field has no section.
  EXPECT_TRUE(SectionBytes(v1::HostFacts(), v1::HostFacts::kDmiFieldNumber).empty());
  EXPECT_FALSE(IsSectionField(v1::HostFacts::kSoftwareFieldNumber));
}

// A HostFacts field left out of the sections would be dropped by the collector
// without a word; one numbered 64 or more would not fit NodeState's bit mask.
TEST(FactsSections, CoverEveryHostFactsFieldButSoftware) {
  const auto* descriptor = v1::HostFacts::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const int number = descriptor->field(i)->number();
    EXPECT_LT(number, 64) << descriptor->field(i)->name();
    if (number == v1::HostFacts::kSoftwareFieldNumber) continue;
    EXPECT_TRUE(IsSectionField(number)) << descriptor->field(i)->name();
  }
}

}  // namespace
}  // namespace estate::collector
