// Crash-safe whole-file writes for the agent's state directory: write a
// temporary beside the target, fsync it, rename it over the target, fsync the
// directory. Readers see the old or the new content, never a mix.
#ifndef ESTATE_AGENT_DURABLE_FILE_H_
#define ESTATE_AGENT_DURABLE_FILE_H_

#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate::agent {

Status WriteFileDurably(const std::string& path, std::string_view content);
// Appends and fsyncs; creates the file when missing.
Status AppendFileDurably(const std::string& path, std::string_view content);
// CRC-32 (IEEE 802.3, as zlib's crc32).
uint32_t Crc32(std::string_view data);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_DURABLE_FILE_H_
