// Pure parsers for a display's EDID (VESA E-EDID 1.3/1.4 base block) and for
// hwdata's pnp.ids, used by the monitor collector. Apart from I/O so that real
// EDID blobs test them byte for byte.
#ifndef ESTATE_AGENT_COLLECTORS_EDID_H_
#define ESTATE_AGENT_COLLECTORS_EDID_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate::agent {

struct Edid {
  std::string manufacturer_id;  // three letters, "DEL"
  uint32_t product_code = 0;
  uint32_t numeric_serial = 0;  // 0 or 0x01010101: none
  std::string text_serial;      // descriptor 0xFF
  std::string product_name;     // descriptor 0xFC
  std::string text;             // last non-empty descriptor 0xFE (laptop panels' part number)
  uint32_t week = 0;            // 0: not given; 255 means `year` is a model year
  uint32_t year = 0;
  uint32_t width_mm = 0;  // preferred timing's image size, else the base block's cm
  uint32_t height_mm = 0;
  uint32_t width_px = 0;  // preferred timing
  uint32_t height_px = 0;
  uint8_t version = 0;
  uint8_t revision = 0;

  // The descriptor's text serial when it is a real one, else the numeric
  // serial in decimal (as edid-decode prints it), else empty. Placeholders
  // ("0000000000", 0x01010101) do not identify a monitor: they come out empty.
  std::string Serial() const;
  // The product name, else the panel text.
  std::string Model() const;
};

// Parses the 128-byte base block of `bytes` (extension blocks are ignored).
// InvalidArgument when too short or without the fixed header; Corruption
// when the base block's checksum does not add up.
Result<Edid> ParseEdid(std::string_view bytes);

// Names of the PNP ids in `wanted` from pnp.ids text ("DEL\tDell Inc.").
std::map<std::string, std::string> ParsePnpIds(std::string_view text,
                                               const std::set<std::string>& wanted);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_EDID_H_
