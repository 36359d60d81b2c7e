#include <gtest/gtest.h>

#include "agent/collectors/cpu_collector.h"
#include "agent/collectors/memory_collector.h"

namespace estate::agent {
namespace {

TEST(CpuinfoParser, CountsSocketsCoresAndThreads) {
  std::string text;
  // Two sockets, two cores each, two threads per core.
  for (int i = 0; i < 8; ++i) {
    text += "processor\t: " + std::to_string(i) + "\nvendor_id\t: GenuineIntel\n" +
            "model name\t: Xeon\nphysical id\t: " + std::to_string(i / 4) +
            "\ncore id\t\t: " + std::to_string((i / 2) % 2) + "\ncpu MHz\t\t: 2600.000\n" +
            "flags\t\t: fpu vmx aes avx2 ht\n\n";
  }
  v1::CpuFacts cpu = ParseCpuinfo(text);
  EXPECT_EQ(cpu.sockets(), 2u);
  EXPECT_EQ(cpu.cores(), 4u);
  EXPECT_EQ(cpu.logical(), 8u);
  EXPECT_EQ(cpu.model(), "Xeon");
  EXPECT_EQ(cpu.vendor(), "GenuineIntel");
  EXPECT_DOUBLE_EQ(cpu.mhz(), 2600.0);
  EXPECT_EQ(std::vector<std::string>(cpu.flags().begin(), cpu.flags().end()),
            (std::vector<std::string>{"vmx", "aes", "avx2"}));
}

TEST(CpuinfoParser, FallsBackToProcessorCountWithoutTopology) {
  v1::CpuFacts cpu = ParseCpuinfo("processor : 0\nModel : Raspberry Pi 4\n\nprocessor : 1\n\n");
  EXPECT_EQ(cpu.logical(), 2u);
  EXPECT_EQ(cpu.cores(), 2u);
  EXPECT_EQ(cpu.sockets(), 1u);
  EXPECT_EQ(cpu.model(), "Raspberry Pi 4");
}

TEST(MeminfoParser, ConvertsKibibytesToBytes) {
  auto memory = ParseMeminfo("MemTotal:  2048 kB\nMemAvailable: 1024 kB\nSwapTotal: 0 kB\n");
  ASSERT_TRUE(memory.ok());
  EXPECT_EQ(memory->total_bytes(), 2048u * 1024);
  EXPECT_EQ(memory->available_bytes(), 1024u * 1024);
  EXPECT_EQ(memory->swap_total_bytes(), 0u);
}

TEST(MeminfoParser, RejectsTextWithoutMemTotal) {
  EXPECT_EQ(ParseMeminfo("MemFree: 12 kB\n").status().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace estate::agent
