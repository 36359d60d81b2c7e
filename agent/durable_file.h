// Crash-safe whole-file writes for the agent's state directory: write a
// temporary beside the target, fsync it, rename it over the target, fsync the
// directory. Readers see the old or the new content, never a mix.
#ifndef ESTATE_AGENT_DURABLE_FILE_H_
#define ESTATE_AGENT_DURABLE_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate::agent {

Status WriteFileDurably(const std::string& path, std::string_view content);
// Appends and fsyncs; creates the file when missing.
Status AppendFileDurably(const std::string& path, std::string_view content);
// Appends without waiting for the disk (`sync` false): for records whose loss
// in a power cut is harmless, made durable by the next synced append.
Status AppendFile(const std::string& path, std::string_view content, bool sync);
// Cuts the file to its first `size` bytes and fsyncs it.
Status TruncateFileDurably(const std::string& path, uint64_t size);
// CRC-32 (IEEE 802.3, as zlib's crc32); pass the CRC of what came before to
// continue it: Crc32(b, Crc32(a)) == Crc32(a + b).
uint32_t Crc32(std::string_view data, uint32_t previous = 0);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_DURABLE_FILE_H_
