#include "plugins/snmp/walk_parser.h"

#include <charconv>
#include <optional>

#include "estate/text.h"

namespace estate::plugins::snmp {

const char* ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kInteger:
      return "INTEGER";
    case ValueType::kOctetString:
      return "OCTET STRING";
    case ValueType::kNull:
      return "NULL";
    case ValueType::kObjectId:
      return "OBJECT IDENTIFIER";
    case ValueType::kIpAddress:
      return "IpAddress";
    case ValueType::kCounter32:
      return "Counter32";
    case ValueType::kGauge32:
      return "Gauge32";
    case ValueType::kTimeTicks:
      return "TimeTicks";
    case ValueType::kOpaque:
      return "Opaque";
    case ValueType::kCounter64:
      return "Counter64";
    case ValueType::kNoSuchObject:
      return "noSuchObject";
    case ValueType::kNoSuchInstance:
      return "noSuchInstance";
    case ValueType::kEndOfMibView:
      return "endOfMibView";
  }
  return "?";
}

namespace {

std::optional<int64_t> ParseInt(std::string_view s) {
  s = Trim(s);
  int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    uint64_t u = 0;  // Counter64 above INT64_MAX keeps its bits
    auto [p2, ec2] = std::from_chars(s.data(), s.data() + s.size(), u);
    if (ec2 != std::errc() || p2 != s.data() + s.size()) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  return v;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "00 1A 2b", "001a2b" or "0:1a:2b" -> bytes; nullopt if not hex.
std::optional<std::string> ParseHex(std::string_view s) {
  std::string out;
  int pending = -1;
  for (char c : s) {
    if (c == ' ' || c == ':' || c == '\n' || c == '\r' || c == '\t') {
      if (pending >= 0) {
        out.push_back(static_cast<char>(pending));
        pending = -1;
      }
      continue;
    }
    int d = HexDigit(c);
    if (d < 0) return std::nullopt;
    if (pending < 0) {
      pending = d;
    } else {
      out.push_back(static_cast<char>(pending * 16 + d));
      pending = -1;
    }
  }
  if (pending >= 0) out.push_back(static_cast<char>(pending));
  return out;
}

std::optional<std::string> ParseDottedIp(std::string_view s) {
  auto parts = Split(Trim(s), '.');
  if (parts.size() != 4) return std::nullopt;
  std::string out;
  for (auto part : parts) {
    auto v = ParseUint(part);
    if (!v || *v > 255) return std::nullopt;
    out.push_back(static_cast<char>(*v));
  }
  return out;
}

// "up(1)" -> 1; "5" -> 5.
std::optional<int64_t> ParseEnumInt(std::string_view s) {
  s = Trim(s);
  if (auto open = s.rfind('('); open != std::string_view::npos && s.ends_with(')')) {
    return ParseInt(s.substr(open + 1, s.size() - open - 2));
  }
  // "1 seconds" style units
  if (auto sp = s.find(' '); sp != std::string_view::npos) s = s.substr(0, sp);
  return ParseInt(s);
}

// Unquotes a snmpwalk string: "a \"b\"" -> a "b". Returns false when the
// closing quote is missing (the value continues on the next line).
bool Unquote(std::string_view s, std::string* out) {
  out->clear();
  if (s.empty() || s.front() != '"') {
    out->assign(s);
    return true;
  }
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      out->push_back(s[++i]);
    } else if (c == '"') {
      return true;
    } else {
      out->push_back(c);
    }
  }
  return false;
}

// True when the quoted value starting at s[0]=='"' is closed on this text.
bool QuoteClosed(std::string_view s) {
  std::string ignored;
  return Unquote(s, &ignored);
}

std::optional<VarBind> ParseWalkValue(Oid oid, std::string_view value, std::string* error) {
  VarBind vb;
  vb.oid = std::move(oid);
  value = Trim(value);
  if (value == "\"\"" || value.empty()) {
    vb.type = ValueType::kOctetString;
    return vb;
  }
  if (value.starts_with("No Such Object")) {
    vb.type = ValueType::kNoSuchObject;
    return vb;
  }
  if (value.starts_with("No Such Instance")) {
    vb.type = ValueType::kNoSuchInstance;
    return vb;
  }
  if (value.starts_with("No more variables")) {
    vb.type = ValueType::kEndOfMibView;
    return vb;
  }
  if (value == "NULL") {
    vb.type = ValueType::kNull;
    return vb;
  }
  if (value.front() == '"') {  // bare quoted string (-Oq style)
    vb.type = ValueType::kOctetString;
    Unquote(value, &vb.bytes);
    return vb;
  }
  if (auto bare = ParseInt(value)) {  // untyped number (snmpwalk -Oqv style or -Ot ticks)
    vb.type = ValueType::kInteger;
    vb.number = *bare;
    return vb;
  }
  auto colon = value.find(": ");
  std::string_view tag = colon == std::string_view::npos ? value : value.substr(0, colon);
  std::string_view rest = colon == std::string_view::npos ? "" : value.substr(colon + 2);
  if (colon == std::string_view::npos && value.ends_with(':')) {
    tag = value.substr(0, value.size() - 1);
  }
  if (tag == "STRING") {
    vb.type = ValueType::kOctetString;
    Unquote(rest, &vb.bytes);
    return vb;
  }
  if (tag == "Hex-STRING" || tag == "BITS" || tag == "Opaque" || tag == "Network Address") {
    vb.type = tag == "Opaque" ? ValueType::kOpaque : ValueType::kOctetString;
    std::string_view hex = rest;
    if (tag == "BITS") hex = hex.substr(0, hex.find_first_not_of("0123456789abcdefABCDEF "));
    auto bytes = ParseHex(hex);
    if (!bytes && tag == "Opaque") {  // "Opaque: Float: 0.05": keep the text
      vb.bytes = std::string(Trim(rest));
      return vb;
    }
    if (!bytes) {
      *error = "bad hex string";
      return std::nullopt;
    }
    vb.bytes = std::move(*bytes);
    if (tag == "Network Address") vb.type = ValueType::kIpAddress;
    return vb;
  }
  if (tag == "OID") {
    vb.type = ValueType::kObjectId;
    auto o = Oid::Parse(Trim(rest));
    if (!o) {
      *error = "bad OID value";
      return std::nullopt;
    }
    vb.oid_value = std::move(*o);
    return vb;
  }
  if (tag == "IpAddress") {
    vb.type = ValueType::kIpAddress;
    auto ip = ParseDottedIp(rest);
    if (!ip) {
      *error = "bad IpAddress";
      return std::nullopt;
    }
    vb.bytes = std::move(*ip);
    return vb;
  }
  if (tag == "Timeticks") {
    vb.type = ValueType::kTimeTicks;
    auto open = rest.find('(');
    auto close = rest.find(')');
    auto n = open != std::string_view::npos && close != std::string_view::npos
                 ? ParseInt(rest.substr(open + 1, close - open - 1))
                 : ParseInt(rest);
    if (!n) {
      *error = "bad Timeticks";
      return std::nullopt;
    }
    vb.number = *n;
    return vb;
  }
  static constexpr std::pair<std::string_view, ValueType> kNumeric[] = {
      {"INTEGER", ValueType::kInteger},    {"Counter32", ValueType::kCounter32},
      {"Gauge32", ValueType::kGauge32},    {"Counter64", ValueType::kCounter64},
      {"UInteger32", ValueType::kGauge32}, {"Unsigned32", ValueType::kGauge32},
  };
  for (const auto& [name, type] : kNumeric) {
    if (tag == name) {
      vb.type = type;
      auto n = ParseEnumInt(rest);
      if (!n) {
        *error = "bad " + std::string(name) + " value";
        return std::nullopt;
      }
      vb.number = *n;
      return vb;
    }
  }
  *error = "unknown value type '" + std::string(tag) + "'";
  return std::nullopt;
}

std::string LineWarning(size_t line, std::string_view what) {
  return "line " + std::to_string(line) + ": " + std::string(what);
}

}  // namespace

ParsedWalk ParseSnmpWalk(std::string_view text) {
  ParsedWalk out;
  auto lines = Split(text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty()) continue;
    const size_t line_no = i + 1;
    auto eq = line.find(" = ");
    std::string_view oid_text = Trim(eq == std::string_view::npos ? line : line.substr(0, eq));
    auto oid = Oid::Parse(oid_text);
    if (!oid) {
      if (eq == std::string_view::npos && line.find(" =") != std::string_view::npos) {
        oid = Oid::Parse(Trim(line.substr(0, line.find(" ="))));
        if (oid) {  // "OID =" with nothing after: an empty string
          VarBind vb;
          vb.oid = std::move(*oid);
          vb.type = ValueType::kOctetString;
          out.varbinds.push_back(std::move(vb));
          continue;
        }
      }
      out.warnings.push_back(LineWarning(line_no, "not an 'OID = value' line, skipped"));
      continue;
    }
    if (eq == std::string_view::npos) {
      out.warnings.push_back(LineWarning(line_no, "no value, skipped"));
      continue;
    }
    std::string value(line.substr(eq + 3));
    // A quoted string may continue over the following lines.
    auto quote = value.find('"');
    if (quote != std::string::npos && !QuoteClosed(std::string_view(value).substr(quote))) {
      while (i + 1 < lines.size()) {
        ++i;
        std::string_view more = lines[i];
        if (!more.empty() && more.back() == '\r') more.remove_suffix(1);
        value += '\n';
        value += more;
        if (QuoteClosed(std::string_view(value).substr(quote))) break;
      }
    }
    std::string error;
    auto vb = ParseWalkValue(std::move(*oid), value, &error);
    if (!vb) {
      out.warnings.push_back(LineWarning(line_no, error + ", skipped"));
      continue;
    }
    out.varbinds.push_back(std::move(*vb));
  }
  return out;
}

ParsedWalk ParseSnmprec(std::string_view text) {
  ParsedWalk out;
  auto lines = Split(text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty() || line.front() == '#') continue;
    const size_t line_no = i + 1;
    auto bar1 = line.find('|');
    auto bar2 = bar1 == std::string_view::npos ? bar1 : line.find('|', bar1 + 1);
    if (bar2 == std::string_view::npos) {
      out.warnings.push_back(LineWarning(line_no, "not an 'OID|TAG|value' line, skipped"));
      continue;
    }
    auto oid = Oid::Parse(line.substr(0, bar1));
    std::string_view tag_text = line.substr(bar1 + 1, bar2 - bar1 - 1);
    std::string_view value = line.substr(bar2 + 1);
    if (!oid) {
      out.warnings.push_back(LineWarning(line_no, "bad OID, skipped"));
      continue;
    }
    bool hex = false;
    if (tag_text.ends_with('x')) {
      hex = true;
      tag_text.remove_suffix(1);
    }
    auto tag = ParseUint(tag_text);
    if (!tag) {
      out.warnings.push_back(
          LineWarning(line_no, "unsupported tag '" + std::string(tag_text) + "', skipped"));
      continue;
    }
    std::string raw(value);
    if (hex) {
      auto bytes = ParseHex(value);
      if (!bytes) {
        out.warnings.push_back(LineWarning(line_no, "bad hex value, skipped"));
        continue;
      }
      raw = std::move(*bytes);
    }
    VarBind vb;
    vb.oid = std::move(*oid);
    bool ok = true;
    switch (*tag) {
      case 2:
      case 65:
      case 66:
      case 67:
      case 70: {
        vb.type = *tag == 2    ? ValueType::kInteger
                  : *tag == 65 ? ValueType::kCounter32
                  : *tag == 66 ? ValueType::kGauge32
                  : *tag == 67 ? ValueType::kTimeTicks
                               : ValueType::kCounter64;
        auto n = ParseInt(raw);
        ok = n.has_value();
        vb.number = n.value_or(0);
        break;
      }
      case 4:
        vb.type = ValueType::kOctetString;
        vb.bytes = std::move(raw);
        break;
      case 5:
        vb.type = ValueType::kNull;
        break;
      case 6: {
        vb.type = ValueType::kObjectId;
        auto o = Oid::Parse(raw);
        ok = o.has_value();
        if (o) vb.oid_value = std::move(*o);
        break;
      }
      case 64: {
        vb.type = ValueType::kIpAddress;
        if (hex) {
          vb.bytes = std::move(raw);
          ok = vb.bytes.size() == 4;
        } else {
          auto ip = ParseDottedIp(raw);
          ok = ip.has_value();
          if (ip) vb.bytes = std::move(*ip);
        }
        break;
      }
      case 68:
        vb.type = ValueType::kOpaque;
        vb.bytes = std::move(raw);
        break;
      case 128:
        vb.type = ValueType::kNoSuchObject;
        break;
      case 129:
        vb.type = ValueType::kNoSuchInstance;
        break;
      case 130:
        vb.type = ValueType::kEndOfMibView;
        break;
      default:
        ok = false;
    }
    if (!ok) {
      out.warnings.push_back(
          LineWarning(line_no, "bad value for tag " + std::to_string(*tag) + ", skipped"));
      continue;
    }
    out.varbinds.push_back(std::move(vb));
  }
  return out;
}

}  // namespace estate::plugins::snmp
