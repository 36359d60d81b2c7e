// How the agents wrap their request bodies: FusionInventory, GLPI and OCS
// agents send zlib (Compress::Zlib::compress), GLPI Agent may send gzip or
// nothing. Replies go back wrapped the same way. Pure functions.
#ifndef ESTATE_COLLECTOR_INVENTORY_BODY_CODEC_H_
#define ESTATE_COLLECTOR_INVENTORY_BODY_CODEC_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate::collector {

enum class BodyEncoding { kPlain, kZlib, kGzip };

// What a body is, from its first bytes (a zlib or gzip header, else plain).
BodyEncoding DetectBodyEncoding(std::string_view body);

// The body as the agent wrote it: inflated when compressed. More than
// `max_bytes` inflated (a zip bomb) or a corrupt stream is InvalidArgument.
Result<std::string> DecodeBody(std::string_view body, size_t max_bytes,
                               BodyEncoding* encoding = nullptr);

// `text` wrapped as `encoding` says.
Result<std::string> EncodeBody(std::string_view text, BodyEncoding encoding);

// The Content-Type a reply wrapped as `encoding` carries, for `plain_type`.
std::string_view ContentTypeFor(BodyEncoding encoding, std::string_view plain_type);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INVENTORY_BODY_CODEC_H_
