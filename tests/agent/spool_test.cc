#include "agent/spool.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/stat.h>

#include <fstream>
#include <random>
#include <sstream>

#include "agent/spool_record.h"
#include "estate/host_root.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::TempDir;

std::shared_ptr<spdlog::logger> NullLogger() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

v1::Frame Report(uint64_t sequence, size_t padding = 0) {
  v1::Frame frame;
  frame.mutable_full_report()->set_sequence(sequence);
  frame.mutable_full_report()->mutable_facts()->set_hostname(std::string(padding, 'h'));
  return frame;
}

std::string Encoded(const v1::Frame& frame) {
  return EncodeSpoolRecord(SpoolRecordKind::kReport, frame.SerializeAsString());
}

std::string ReadAll(const std::string& path) { return *HostRoot("/").ReadFile(path, 1 << 30); }

void WriteAll(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

ino_t Inode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::vector<uint64_t> Sequences(Spool& spool) {
  std::vector<uint64_t> out;
  while (!spool.empty()) {
    out.push_back(ReportSequence(spool.Front()));
    EXPECT_TRUE(spool.PopFront().ok());
  }
  return out;
}

TEST(Spool, KeepsReportsInOrderAcrossReopen) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  {
    auto spool = Spool::Open(path, 1 << 20, NullLogger());
    ASSERT_TRUE(spool.ok());
    for (uint64_t seq : {5, 6, 7}) ASSERT_TRUE(spool->Append(Report(seq)).ok());
  }
  auto reopened = Spool::Open(path, 1 << 20, NullLogger());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->size(), 3u);
  ASSERT_TRUE(reopened->PopFront().ok());
  auto again = Spool::Open(path, 1 << 20, NullLogger());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Sequences(*again), (std::vector<uint64_t>{6, 7}));
  EXPECT_FALSE(HostRoot("/").Exists(path));  // an empty spool leaves no file
}

TEST(Spool, ReplaceLeavesOnlyTheNewRecordOnDisk) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  {
    auto spool = Spool::Open(path, 1 << 20, NullLogger());
    ASSERT_TRUE(spool.ok());
    for (uint64_t seq : {5, 6, 7}) ASSERT_TRUE(spool->Append(Report(seq)).ok());
    ASSERT_TRUE(spool->Replace(Report(9)).ok());
    EXPECT_EQ(spool->size(), 1u);
  }
  auto reopened = Spool::Open(path, 1 << 20, NullLogger());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Sequences(*reopened), (std::vector<uint64_t>{9}));
}

TEST(Spool, SkipsATornLastRecord) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  {
    auto spool = Spool::Open(path, 1 << 20, NullLogger());
    ASSERT_TRUE(spool.ok());
    for (uint64_t seq : {1, 2, 3}) ASSERT_TRUE(spool->Append(Report(seq, 100)).ok());
  }
  const std::string whole = *HostRoot("/").ReadFile(path);
  // Every cut inside the third record, as a crash during its append leaves it.
  const size_t two_records = Encoded(Report(1, 100)).size() * 2;
  for (size_t cut = two_records + 1; cut < whole.size(); cut += 7) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << whole.substr(0, cut);
    bool dropped = false;
    auto spool = Spool::Open(path, 1 << 20, NullLogger(), &dropped);
    ASSERT_TRUE(spool.ok());
    EXPECT_TRUE(dropped) << "cut at " << cut;
    EXPECT_EQ(spool->size(), 2u) << "cut at " << cut;
    EXPECT_EQ(HostRoot("/").ReadFile(path)->size(), two_records);  // the tail is cut off
    ASSERT_TRUE(spool->Append(Report(4)).ok());
    EXPECT_EQ(Sequences(*spool), (std::vector<uint64_t>{1, 2, 4}));
  }
}

TEST(Spool, StopsAtACorruptRecord) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  std::string file = Encoded(Report(1));
  std::string bad = Encoded(Report(2));
  bad[bad.size() - 1] ^= 0x55;  // payload no longer matches its CRC
  file += bad + Encoded(Report(3));
  std::ofstream(path, std::ios::binary) << file;
  bool dropped = false;
  auto spool = Spool::Open(path, 1 << 20, NullLogger(), &dropped);
  ASSERT_TRUE(spool.ok());
  EXPECT_TRUE(dropped);
  EXPECT_EQ(Sequences(*spool), (std::vector<uint64_t>{1}));
}

TEST(Spool, EvictsOldestReportsWhenFullAndLogsThem) {
  TempDir dir;
  std::ostringstream log;
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  const size_t record = Encoded(Report(1, 500)).size();
  auto spool = Spool::Open(dir.path() + "/spool", record * 3, logger);
  ASSERT_TRUE(spool.ok());
  for (uint64_t seq = 1; seq <= 5; ++seq) ASSERT_TRUE(spool->Append(Report(seq, 500)).ok());
  EXPECT_LE(spool->bytes(), record * 3);
  logger->flush();
  EXPECT_NE(log.str().find("evicting the oldest report, sequence 1"), std::string::npos);
  EXPECT_NE(log.str().find("sequence 2"), std::string::npos);
  auto reopened = Spool::Open(dir.path() + "/spool", record * 3, NullLogger());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Sequences(*reopened), (std::vector<uint64_t>{3, 4, 5}));
}

TEST(Spool, RefusesAReportLargerThanTheWholeSpool) {
  TempDir dir;
  auto spool = Spool::Open(dir.path() + "/spool", 64, NullLogger());
  ASSERT_TRUE(spool.ok());
  EXPECT_EQ(spool->Append(Report(1, 100)).code(), Status::Code::kResourceExhausted);
}

// 80 zero bytes once passed as 10 empty records (length 0, CRC 0), each sent
// to the collector as an empty frame ahead of the real reports.
TEST(Spool, DropsAZeroTail) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  {
    auto spool = Spool::Open(path, 1 << 20, NullLogger());
    ASSERT_TRUE(spool.ok());
    for (uint64_t seq : {1, 2}) ASSERT_TRUE(spool->Append(Report(seq, 50)).ok());
  }
  const std::string whole = ReadAll(path);
  WriteAll(path, whole + std::string(80, '\0'));
  bool dropped = false;
  auto spool = Spool::Open(path, 1 << 20, NullLogger(), &dropped);
  ASSERT_TRUE(spool.ok());
  EXPECT_TRUE(dropped);
  EXPECT_EQ(ReadAll(path), whole);
  EXPECT_EQ(Sequences(*spool), (std::vector<uint64_t>{1, 2}));
}

TEST(Spool, DropsARandomGarbageTail) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  {
    auto spool = Spool::Open(path, 1 << 20, NullLogger());
    ASSERT_TRUE(spool.ok());
    for (uint64_t seq : {1, 2, 3}) ASSERT_TRUE(spool->Append(Report(seq, 50)).ok());
    ASSERT_TRUE(spool->PopFront().ok());  // a consumed record in the file too
  }
  const std::string whole = ReadAll(path);
  std::mt19937 random(24);
  for (int round = 0; round < 60; ++round) {
    std::string garbage(1 + random() % 300, '\0');
    for (char& c : garbage) c = static_cast<char>(random());
    if (round % 2 == 0) garbage.replace(0, 4, "ESPL");  // even with the magic in front
    WriteAll(path, whole + garbage);
    bool dropped = false;
    auto spool = Spool::Open(path, 1 << 20, NullLogger(), &dropped);
    ASSERT_TRUE(spool.ok());
    EXPECT_TRUE(dropped) << "round " << round;
    ASSERT_EQ(spool->size(), 2u) << "round " << round;
    EXPECT_EQ(ReportSequence(spool->Front()), 2u);
    EXPECT_EQ(ReportSequence(spool->Back()), 3u);
  }
}

TEST(Spool, RefusesARecordThatNamesTheWrongReport) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  const std::string first = Encoded(Report(1));
  // Consumed records must remove the oldest report, at offset 0.
  WriteAll(path, first + Encoded(Report(2)) + EncodeConsumedRecord(first.size()));
  bool dropped = false;
  auto spool = Spool::Open(path, 1 << 20, NullLogger(), &dropped);
  ASSERT_TRUE(spool.ok());
  EXPECT_TRUE(dropped);
  EXPECT_EQ(Sequences(*spool), (std::vector<uint64_t>{1, 2}));
}

TEST(Spool, ReadsTheFormerFormatAndRewritesItInTheCurrentOne) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  std::string old;
  for (uint64_t seq : {7, 8, 9})
    old += EncodeLegacySpoolRecord(Report(seq, 30).SerializeAsString());
  WriteAll(path, old + std::string(80, '\0'));  // with the zero tail the old check let through
  {
    auto spool = Spool::Open(path, 1 << 20, NullLogger());
    ASSERT_TRUE(spool.ok());
    EXPECT_EQ(spool->size(), 3u);
    EXPECT_EQ(ReadAll(path).substr(0, 4), "ESPL");
    ASSERT_TRUE(spool->PopFront().ok());
  }
  auto reopened = Spool::Open(path, 1 << 20, NullLogger());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Sequences(*reopened), (std::vector<uint64_t>{8, 9}));
}

// Older agents spooled reports with the host's raw bytes; protobuf refuses to
// parse such a report, which used to cut the spool off there.
TEST(Spool, RepairsASpooledReportWithInvalidUtf8) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  v1::Frame latin1 = Report(2);
  latin1.mutable_full_report()->mutable_facts()->set_hostname("b\xfcro");
  std::string old = EncodeLegacySpoolRecord(Report(1).SerializeAsString()) +
                    EncodeLegacySpoolRecord(latin1.SerializePartialAsString()) +
                    EncodeLegacySpoolRecord(Report(3).SerializeAsString());
  WriteAll(path, old);
  std::ostringstream log;
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  auto spool = Spool::Open(path, 1 << 20, logger);
  ASSERT_TRUE(spool.ok());
  ASSERT_EQ(spool->size(), 3u);
  ASSERT_TRUE(spool->PopFront().ok());
  EXPECT_EQ(spool->Front().full_report().facts().hostname(), "b\xef\xbf\xbdro");
  logger->flush();
  EXPECT_NE(log.str().find("report 2 had invalid UTF-8 in 1 text field"), std::string::npos)
      << log.str();
  EXPECT_EQ(Sequences(*spool), (std::vector<uint64_t>{2, 3}));
}

TEST(Spool, AcknowledgingDoesNotRewriteTheReportsBehind) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  auto spool = Spool::Open(path, 1 << 20, NullLogger());
  ASSERT_TRUE(spool.ok());
  for (uint64_t seq = 1; seq <= 40; ++seq) ASSERT_TRUE(spool->Append(Report(seq, 200)).ok());
  const ino_t inode = Inode(path);
  for (int i = 0; i < 39; ++i) {
    const uint64_t before = spool->bytes_written();
    ASSERT_TRUE(spool->PopFront().ok());
    EXPECT_LE(spool->bytes_written() - before, 32u) << "one consumed record per ack";
    EXPECT_EQ(Inode(path), inode) << "the file was replaced by a rewrite";
  }
  ASSERT_TRUE(spool->PopFront().ok());
  EXPECT_FALSE(HostRoot("/").Exists(path));
}

// A crash in the middle of an acknowledgement leaves a torn consumed record:
// the report comes back (to be resent and recognised by its sequence), and
// nothing else is lost or duplicated.
TEST(Spool, ACrashDuringAnAcknowledgementKeepsThatReport) {
  TempDir dir;
  const std::string path = dir.path() + "/spool";
  {
    auto spool = Spool::Open(path, 1 << 20, NullLogger());
    ASSERT_TRUE(spool.ok());
    for (uint64_t seq : {1, 2, 3, 4}) ASSERT_TRUE(spool->Append(Report(seq, 40)).ok());
    ASSERT_TRUE(spool->PopFront().ok());
    ASSERT_TRUE(spool->PopFront().ok());
  }
  const std::string whole = ReadAll(path);
  const size_t consumed = EncodeConsumedRecord(0).size();
  for (size_t cut = 1; cut <= consumed; ++cut) {
    WriteAll(path, whole.substr(0, whole.size() - cut));
    auto spool = Spool::Open(path, 1 << 20, NullLogger());
    ASSERT_TRUE(spool.ok());
    EXPECT_EQ(Sequences(*spool), (std::vector<uint64_t>{2, 3, 4})) << "cut " << cut;
  }
}

// Draining n reports writes O(n) bytes: one consumed record per report, plus
// compactions that together rewrite at most what was spooled. (The quadratic
// rewrite of the remainder after every ack wrote about n/2 spools' worth.)
TEST(Spool, BytesWrittenWhileDrainingAreLinear) {
  for (uint64_t n : {25u, 100u}) {
    TempDir dir;
    auto spool = Spool::Open(dir.path() + "/spool", 64 << 20, NullLogger());
    ASSERT_TRUE(spool.ok());
    for (uint64_t seq = 1; seq <= n; ++seq) ASSERT_TRUE(spool->Append(Report(seq, 24000)).ok());
    const uint64_t spooled = spool->bytes();
    const uint64_t before = spool->bytes_written();
    uint64_t largest_file = 0;
    std::vector<uint64_t> order;
    while (!spool->empty()) {
      order.push_back(ReportSequence(spool->Front()));
      ASSERT_TRUE(spool->PopFront().ok());
      largest_file = std::max(largest_file, spool->file_bytes());
    }
    const uint64_t drained = spool->bytes_written() - before;
    EXPECT_LE(drained, spooled + n * EncodeConsumedRecord(0).size()) << n << " reports";
    EXPECT_LE(largest_file, spooled + n * EncodeConsumedRecord(0).size());
    ASSERT_EQ(order.size(), n);
    for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(order[i], i + 1);
  }
}

}  // namespace
}  // namespace estate::agent
