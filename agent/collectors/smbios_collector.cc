#include "agent/collectors/smbios_collector.h"

#include <cstring>

#include "estate/text.h"

namespace estate::agent {
namespace {

constexpr uint8_t kMemoryDevice = 17;
constexpr uint8_t kEndOfTable = 127;

uint16_t Word(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t Dword(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

// Vendors fill unused string slots with these.
std::string CleanString(std::string_view s) {
  std::string_view t = Trim(s);
  std::string lower = ToLower(t);
  if (lower.empty() || lower == "not specified" || lower == "unknown" || lower == "[empty]" ||
      lower == "no dimm" || lower == "none") {
    return std::string();
  }
  return SanitizeUtf8(t);
}

class SmbiosCollector : public Collector {
 public:
  std::string_view Name() const override { return "smbios"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    constexpr std::string_view kTable = "/sys/firmware/dmi/tables/DMI";
    auto table = context.root.ReadFile(kTable, 1 << 20);
    if (!table.ok()) {
      if (table.status().code() == Status::Code::kPermissionDenied) {
        facts->mutable_dmi()->add_unavailable("memory_modules");
      } else if (!table.status().IsNotFound()) {
        AddWarning(facts, Name(), table.status());
      }
      return;
    }
    SmbiosMemory memory = ParseSmbiosMemoryDevices(*table);
    for (auto& module : memory.modules) *facts->mutable_dmi()->add_memory_modules() = module;
    if (!memory.error.empty()) AddWarning(facts, Name(), memory.error);
  }
};

}  // namespace

SmbiosMemory ParseSmbiosMemoryDevices(std::string_view table) {
  SmbiosMemory out;
  const auto* data = reinterpret_cast<const uint8_t*>(table.data());
  const size_t size = table.size();
  size_t offset = 0;
  while (offset + 4 <= size) {
    const uint8_t type = data[offset];
    const uint8_t length = data[offset + 1];
    if (length < 4) {
      out.error = "SMBIOS structure at offset " + std::to_string(offset) + " has length " +
                  std::to_string(length);
      return out;
    }
    if (offset + length > size) {
      out.error = "SMBIOS table truncated inside structure type " + std::to_string(type) +
                  " at offset " + std::to_string(offset);
      return out;
    }
    // The string set follows the formatted area and ends with two NULs.
    std::vector<std::string_view> strings;
    size_t cursor = offset + length;
    bool terminated = false;
    if (cursor + 1 < size && data[cursor] == 0 && data[cursor + 1] == 0) {
      cursor += 2;
      terminated = true;
    } else {
      while (cursor < size) {
        const char* start = reinterpret_cast<const char*>(data + cursor);
        size_t n = strnlen(start, size - cursor);
        if (cursor + n >= size) break;
        if (n == 0) {
          ++cursor;
          terminated = true;
          break;
        }
        strings.emplace_back(start, n);
        cursor += n + 1;
      }
    }
    if (!terminated) {
      out.error = "SMBIOS table truncated in the strings of structure type " +
                  std::to_string(type) + " at offset " + std::to_string(offset);
      return out;
    }
    const uint8_t* s = data + offset;
    auto str = [&](size_t field) -> std::string {
      if (field >= length) return std::string();
      uint8_t index = s[field];
      if (index == 0 || index > strings.size()) return std::string();
      return CleanString(strings[index - 1]);
    };
    if (type == kMemoryDevice && length >= 0x15) {
      v1::MemoryModule module;
      module.set_locator(str(0x10));
      module.set_bank_locator(str(0x11));
      uint64_t size_bytes = 0;
      const uint16_t raw_size = Word(s + 0x0C);
      if (raw_size == 0x7FFF && length >= 0x20) {
        size_bytes = static_cast<uint64_t>(Dword(s + 0x1C) & 0x7FFFFFFF) << 20;
      } else if (raw_size != 0xFFFF && raw_size != 0) {
        size_bytes = (raw_size & 0x8000) ? static_cast<uint64_t>(raw_size & 0x7FFF) << 10
                                         : static_cast<uint64_t>(raw_size) << 20;
      }
      module.set_size_bytes(size_bytes);
      module.set_form_factor(SmbiosFormFactor(s[0x0E]));
      module.set_type(SmbiosMemoryType(s[0x12]));
      if (length >= 0x17) {
        uint32_t speed = Word(s + 0x15);
        if (speed == 0xFFFF && length >= 0x58) speed = Dword(s + 0x54);
        module.set_speed_mts(speed == 0xFFFF ? 0 : speed);
      }
      if (length >= 0x1B) {
        module.set_manufacturer(str(0x17));
        module.set_serial(str(0x18));
        module.set_part_number(str(0x1A));
      }
      if (size_bytes == 0) {
        // An empty slot has no module to describe.
        module.clear_manufacturer();
        module.clear_serial();
        module.clear_part_number();
        module.clear_speed_mts();
        module.clear_type();
      }
      out.modules.push_back(std::move(module));
    }
    offset = cursor;
    if (type == kEndOfTable) break;
  }
  return out;
}

std::string SmbiosMemoryType(uint8_t type) {
  static const char* const kTypes[] = {
      "",
      "Other",
      "Unknown",
      "DRAM",
      "EDRAM",
      "VRAM",
      "SRAM",
      "RAM",
      "ROM",
      "Flash",
      "EEPROM",
      "FEPROM",
      "EPROM",
      "CDRAM",
      "3DRAM",
      "SDRAM",
      "SGRAM",
      "RDRAM",
      "DDR",
      "DDR2",
      "DDR2 FB-DIMM",
      "",
      "",
      "",
      "DDR3",
      "FBD2",
      "DDR4",
      "LPDDR",
      "LPDDR2",
      "LPDDR3",
      "LPDDR4",
      "Logical non-volatile device",
      "HBM",
      "HBM2",
      "DDR5",
      "LPDDR5",
      "HBM3",
  };
  if (type < sizeof kTypes / sizeof kTypes[0]) return kTypes[type];
  return "Unknown";
}

std::string SmbiosFormFactor(uint8_t form_factor) {
  static const char* const kForms[] = {
      "",        "Other",  "Unknown",
      "SIMM",    "SIP",    "Chip",
      "DIP",     "ZIP",    "Proprietary Card",
      "DIMM",    "TSOP",   "Row Of Chips",
      "RIMM",    "SODIMM", "SRIMM",
      "FB-DIMM", "Die",
  };
  if (form_factor < sizeof kForms / sizeof kForms[0]) return kForms[form_factor];
  return "Unknown";
}

std::unique_ptr<Collector> MakeSmbiosCollector() { return std::make_unique<SmbiosCollector>(); }

}  // namespace estate::agent
