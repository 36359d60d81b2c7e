#include "agent/spool.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>

#include <fstream>
#include <sstream>

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
  const size_t two_records = Spool::EncodeRecord(Report(1, 100).SerializeAsString()).size() * 2;
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
  std::string file = Spool::EncodeRecord(Report(1).SerializeAsString());
  std::string bad = Spool::EncodeRecord(Report(2).SerializeAsString());
  bad[bad.size() - 1] ^= 0x55;  // payload no longer matches its CRC
  file += bad + Spool::EncodeRecord(Report(3).SerializeAsString());
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
  const size_t record = Spool::EncodeRecord(Report(1, 500).SerializeAsString()).size();
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

}  // namespace
}  // namespace estate::agent
