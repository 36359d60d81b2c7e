#include "plugins/snmp/definitions.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <set>

#include "estate/text.h"
#include "plugins/snmp/replay_session.h"
#include "plugins/snmp/vendor_plugin.h"

#ifndef ESTATE_SNMP_DATADIR
#define ESTATE_SNMP_DATADIR "/usr/share/estate/snmp"
#endif

namespace estate::plugins::snmp {

const char* const DefinitionSet::kShippedDir = ESTATE_SNMP_DATADIR;
const char* const DefinitionSet::kUserDir = "/etc/estate/snmp.d";

namespace {

namespace pb = google::protobuf;

#define DEF_CAT2(a, b) a##b
#define DEF_CAT(a, b) DEF_CAT2(a, b)
// lhs = value of a Result-returning expr, or return its Status.
#define ESTATE_ASSIGN_OR_RETURN(lhs, expr) \
  ESTATE_ASSIGN_OR_RETURN_IMPL(DEF_CAT(_estate_r, __LINE__), lhs, expr)
#define ESTATE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(*tmp)

const char* const kTypes[] = {"switch",
                              "router",
                              "firewall",
                              "wireless_controller",
                              "access_point",
                              "server",
                              "storage",
                              "printer",
                              "ups",
                              "pdu",
                              "bmc",
                              "hypervisor",
                              "phone",
                              "camera",
                              "load_balancer",
                              "appliance",
                              "environment",
                              "power",
                              "network",
                              "workstation",
                              "security",
                              "video",
                              "media_converter",
                              "timing",
                              "management",
                              "sensor",
                              "encoder"};

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cur = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

// Collects the parser's first error as "path:line:column: message".
class FirstError : public pb::io::ErrorCollector {
 public:
  explicit FirstError(const std::string& path) : path_(path) {}
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (message_.empty()) {
      message_ = path_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " +
                 message;
    }
  }
  void AddWarning(int, pb::io::ColumnNumber, const std::string&) override {}
  const std::string& message() const { return message_; }

 private:
  std::string path_;
  std::string message_;
};

// "path:line: " for a field (index -1 for singular fields) of a parsed message.
std::string Where(const std::string& path, const pb::TextFormat::ParseInfoTree* tree,
                  const pb::Message& message, const char* field, int index = -1) {
  int line = 0;
  if (tree) {
    const pb::FieldDescriptor* fd = message.GetDescriptor()->FindFieldByName(field);
    if (fd) line = tree->GetLocation(fd, index).line;
  }
  return path + ":" + std::to_string(line + 1) + ": ";
}

Result<std::regex> CompileRegex(const std::string& pattern, const std::string& where) {
  try {
    return std::regex(pattern, std::regex::ECMAScript | std::regex::icase);
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument(where + "bad regex \"" + pattern + "\": " + e.what());
  }
}

Result<Oid> ParseOidField(const std::string& text, const std::string& where) {
  std::string_view t = Trim(text);
  if (!t.empty() && t.front() == '.') t.remove_prefix(1);
  auto oid = Oid::Parse(t);
  if (!oid || oid->size() < 2) {
    return Status::InvalidArgument(where + "\"" + text +
                                   "\" is not a numeric OID (write 1.3.6.1.4.1.9.1.1, with the "
                                   "object's name in a comment)");
  }
  return *oid;
}

Status CompileSources(const std::string& path, const pb::TextFormat::ParseInfoTree* tree,
                      const v1::SnmpDefinition& def, const char* field,
                      const pb::RepeatedPtrField<v1::SnmpFieldSource>& in,
                      std::vector<CompiledSource>* out) {
  const pb::FieldDescriptor* fd = def.GetDescriptor()->FindFieldByName(field);
  for (int i = 0; i < in.size(); ++i) {
    const v1::SnmpFieldSource& s = in[i];
    const pb::TextFormat::ParseInfoTree* sub = tree ? tree->GetTreeForNested(fd, i) : nullptr;
    int line = tree ? tree->GetLocation(fd, i).line : 0;
    const std::string where = path + ":" + std::to_string(line + 1) + ": " + field + ": ";
    (void)sub;
    CompiledSource c;
    const int kinds = !s.get().empty() + !s.first().empty() + s.sys_descr();
    if (kinds != 1) {
      return Status::InvalidArgument(where + "name exactly one of get, first, sys_descr");
    }
    if (!s.get().empty()) {
      c.kind = CompiledSource::Kind::kGet;
      ESTATE_ASSIGN_OR_RETURN(c.oid, ParseOidField(s.get(), where));
    } else if (!s.first().empty()) {
      c.kind = CompiledSource::Kind::kFirst;
      ESTATE_ASSIGN_OR_RETURN(c.oid, ParseOidField(s.first(), where));
    }
    if (!s.regex().empty()) {
      c.has_regex = true;
      ESTATE_ASSIGN_OR_RETURN(c.regex, CompileRegex(s.regex(), where));
    } else if (s.sys_descr()) {
      return Status::InvalidArgument(where + "sys_descr needs a regex saying which part to take");
    }
    if (!s.template_().empty() && !c.has_regex) {
      return Status::InvalidArgument(where + "template needs a regex");
    }
    c.format = s.template_();
    for (const auto& [k, v] : s.enum_()) c.enums[k] = v;
    for (const auto& [k, v] : s.text_map()) c.text_map[k] = v;
    out->push_back(std::move(c));
  }
  return Status::Ok();
}

std::string CleanValue(std::string_view v) {
  std::string s = SanitizeUtf8(v);
  while (!s.empty() && (s.back() == '\0' || std::isspace(static_cast<unsigned char>(s.back())))) {
    s.pop_back();
  }
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  s.erase(0, start);
  // Quotes some agents put around their strings.
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

std::string ValueText(const VarBind& vb, const CompiledSource& source) {
  switch (vb.type) {
    case ValueType::kOctetString:
      return CleanValue(OctetsToText(vb.bytes));
    case ValueType::kObjectId:
      return vb.oid_value.ToString();
    default:
      if (vb.IsNumeric()) {
        auto it = source.enums.find(vb.number);
        if (it != source.enums.end()) return it->second;
        return std::to_string(vb.number);
      }
      return "";
  }
}

std::string ApplyRegex(const CompiledSource& source, const std::string& text) {
  if (!source.has_regex) return text;
  std::smatch m;
  if (!std::regex_search(text, m, source.regex)) return "";
  if (!source.format.empty()) return CleanValue(m.format(source.format));
  for (size_t i = 1; i < m.size(); ++i) {
    if (m[i].matched) return CleanValue(m[i].str());
  }
  return m.size() > 1 ? "" : CleanValue(m[0].str());
}

}  // namespace

bool IsPlaceholder(std::string_view value) {
  const std::string v = ToLower(Trim(value));
  if (v.empty()) return true;
  static const std::set<std::string, std::less<>> kWords = {"0",
                                                            "n/a",
                                                            "na",
                                                            "none",
                                                            "null",
                                                            "unknown",
                                                            "not available",
                                                            "not specified",
                                                            "to be filled by o.e.m.",
                                                            "default string",
                                                            "system serial number",
                                                            "system product name",
                                                            "123456789",
                                                            "-",
                                                            "--",
                                                            ".",
                                                            "?",
                                                            "not set",
                                                            "unavailable",
                                                            "serial number",
                                                            "xxxxxxxxxx",
                                                            "0123456789",
                                                            "undefined",
                                                            "(null)",
                                                            "empty",
                                                            "no such object",
                                                            "serialnumber",
                                                            "modelnumber",
                                                            "<private>",
                                                            "0123456789abcdef",
                                                            "abcdef0123456789"};
  if (kWords.count(v)) return true;
  // All zeros, all 'f', all the same filler character.
  if (v.find_first_not_of("0 .:-") == std::string::npos) return true;
  if (v.size() > 3 && v.find_first_not_of(v[0]) == std::string::npos) return true;
  return false;
}

std::string ResolveSource(const CompiledSource& source, const MibView& view,
                          std::string_view sys_descr) {
  std::string value;
  switch (source.kind) {
    case CompiledSource::Kind::kSysDescr:
      value = ApplyRegex(source, std::string(sys_descr));
      break;
    case CompiledSource::Kind::kGet:
      if (const VarBind* vb = view.Get(source.oid))
        value = ApplyRegex(source, ValueText(*vb, source));
      break;
    case CompiledSource::Kind::kFirst:
      for (const VarBind* vb : view.Subtree(source.oid)) {
        value = ApplyRegex(source, ValueText(*vb, source));
        if (!IsPlaceholder(value)) break;
      }
      break;
  }
  if (IsPlaceholder(value)) return "";
  // A mapped source yields only what it knows: an unmapped build number is
  // worse than the next source's text.
  if (!source.text_map.empty()) {
    auto it = source.text_map.find(value);
    return it == source.text_map.end() ? "" : it->second;
  }
  return value;
}

// ---- BrandTable ----

Result<BrandTable> BrandTable::Parse(std::string_view text, const std::string& path) {
  v1::SnmpBrandTable table;
  pb::TextFormat::Parser parser;
  FirstError errors(path);
  parser.RecordErrorsTo(&errors);
  pb::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  if (!parser.Parse(&input, &table)) return Status::InvalidArgument(errors.message());
  BrandTable out;
  for (const auto& b : table.brand()) {
    if (b.name().empty()) return Status::InvalidArgument(path + ": a brand without a name");
    for (uint32_t n : b.enterprise()) {
      if (!out.by_enterprise_.emplace(n, b.name()).second) {
        return Status::InvalidArgument(path + ": enterprise " + std::to_string(n) +
                                       " given two brands (" + out.by_enterprise_[n] + ", " +
                                       b.name() + ")");
      }
    }
    out.by_name_[ToLower(b.name())] = b.name();
    for (const auto& a : b.alias()) out.by_name_[ToLower(a)] = b.name();
  }
  return out;
}

void BrandTable::Merge(const BrandTable& other) {
  for (const auto& [n, name] : other.by_enterprise_) by_enterprise_[n] = name;
  for (const auto& [alias, name] : other.by_name_) by_name_[alias] = name;
}

std::string_view BrandTable::ForEnterprise(uint32_t number) const {
  auto it = by_enterprise_.find(number);
  return it == by_enterprise_.end() ? std::string_view() : std::string_view(it->second);
}

std::string BrandTable::Normalize(std::string_view vendor) const {
  auto it = by_name_.find(ToLower(Trim(vendor)));
  if (it != by_name_.end()) return it->second;
  // An IANA registrant the table does not know: drop the company form
  // ("Foo Networks, Inc." -> "Foo Networks") and shouting capitals.
  std::string name(Trim(vendor));
  static const char* const kSuffixes[] = {
      ", Inc.",       ", Inc",      " Inc.",     " Inc",       ", LLC",          " LLC",
      " Corporation", " Corp.",     " Corp",     " Co., Ltd.", " Co.,Ltd.",      " Co.,LTD.",
      " CO.,LTD.",    " Co., LTD.", " Co. Ltd.", " Co.,Ltd",   ", Ltd.",         " Ltd.",
      " Ltd",         " LTD.",      " LTD",      " Limited",   " GmbH & Co. KG", " GmbH & Co.KG",
      " GmbH",        " AG",        " S.A.",     " s.r.o.",    " a.s.",          " B.V.",
      " BV",          " AB",        " A/S",      " S.p.A.",    " Pty",           " sro",
      " Oy",          " SAS",       " LTD",      ",",          " Co.",           " CO.",
      " Co",          " CO"};
  for (bool again = true; again;) {
    again = false;
    for (const char* suffix : kSuffixes) {
      if (name.size() > std::strlen(suffix) + 2 && name.ends_with(suffix)) {
        name.resize(name.size() - std::strlen(suffix));
        again = true;
      }
    }
  }
  const bool shouting = name.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos &&
                        name.find(' ') != std::string::npos;
  if (shouting) {
    bool start = true;
    for (char& c : name) {
      const bool alpha = std::isalpha(static_cast<unsigned char>(c));
      if (alpha && !start) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      start = !alpha;
    }
  }
  return name;
}

// ---- DefinitionSet ----

Result<CompiledDefinition> DefinitionSet::ParseDefinition(std::string_view text,
                                                          const std::string& path) {
  v1::SnmpDefinition def;
  pb::TextFormat::Parser parser;
  pb::TextFormat::ParseInfoTree tree;
  FirstError errors(path);
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  pb::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  if (!parser.Parse(&input, &def)) return Status::InvalidArgument(errors.message());

  CompiledDefinition c;
  c.path = path;
  c.name = std::filesystem::path(path).stem().string();
  c.brand = def.brand();
  c.type = def.type();
  c.priority = def.priority();
  if (!c.type.empty() &&
      std::find(std::begin(kTypes), std::end(kTypes), c.type) == std::end(kTypes)) {
    std::string best;
    size_t best_d = SIZE_MAX;
    for (const char* t : kTypes) {
      if (size_t d = EditDistance(c.type, t); d < best_d) best_d = d, best = t;
    }
    return Status::InvalidArgument(Where(path, &tree, def, "type") + "unknown type \"" + c.type +
                                   "\" (did you mean \"" + best + "\"?)");
  }
  if (def.sys_object_id().empty() && def.sys_descr().empty()) {
    return Status::InvalidArgument(path +
                                   ":1: a definition needs a sys_object_id or sys_descr matcher");
  }
  for (int i = 0; i < def.sys_object_id_size(); ++i) {
    ESTATE_ASSIGN_OR_RETURN(
        Oid oid, ParseOidField(def.sys_object_id(i),
                               Where(path, &tree, def, "sys_object_id", i) + "sys_object_id: "));
    c.prefixes.push_back(std::move(oid));
  }
  for (int i = 0; i < def.sys_descr_size(); ++i) {
    ESTATE_ASSIGN_OR_RETURN(
        auto re, CompileRegex(def.sys_descr(i), Where(path, &tree, def, "sys_descr", i)));
    c.descr.push_back(std::move(re));
  }
  for (int i = 0; i < def.sys_descr_not_size(); ++i) {
    ESTATE_ASSIGN_OR_RETURN(
        auto re, CompileRegex(def.sys_descr_not(i), Where(path, &tree, def, "sys_descr_not", i)));
    c.descr_not.push_back(std::move(re));
  }
  for (int i = 0; i < def.has_oid_size(); ++i) {
    ESTATE_ASSIGN_OR_RETURN(
        Oid oid,
        ParseOidField(def.has_oid(i), Where(path, &tree, def, "has_oid", i) + "has_oid: "));
    c.has_oid.push_back(std::move(oid));
  }
  ESTATE_RETURN_IF_ERROR(CompileSources(path, &tree, def, "model", def.model(), &c.model));
  ESTATE_RETURN_IF_ERROR(CompileSources(path, &tree, def, "serial", def.serial(), &c.serial));
  ESTATE_RETURN_IF_ERROR(CompileSources(path, &tree, def, "firmware", def.firmware(), &c.firmware));
  ESTATE_RETURN_IF_ERROR(CompileSources(path, &tree, def, "hardware_revision",
                                        def.hardware_revision(), &c.hardware_revision));
  return c;
}

Result<DefinitionSet> DefinitionSet::Load(const std::string& shipped, const std::string& user_dir) {
  namespace fs = std::filesystem;
  DefinitionSet set;
  std::map<std::string, std::string> files;  // name -> path; user files replace shipped ones
  auto scan = [&](const fs::path& dir, bool required) -> Status {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      return required ? Status::NotFound(dir.string() + ": no such directory") : Status::Ok();
    }
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".textproto") continue;
      if (entry.path().filename() == "brands.textproto") continue;  // not a family
      files[entry.path().stem().string()] = entry.path().string();
    }
    if (ec) return Status::IoError(dir.string() + ": " + ec.message());
    return Status::Ok();
  };
  ESTATE_RETURN_IF_ERROR(scan(fs::path(shipped) / "definitions", true));
  if (!user_dir.empty()) ESTATE_RETURN_IF_ERROR(scan(user_dir, false));
  for (const auto& [name, path] : files) {
    auto text = ReadWholeFile(path);
    if (!text.ok()) return text.status();
    auto def = ParseDefinition(*text, path);
    if (!def.ok()) return def.status();
    set.Add(std::move(*def));
  }
  const std::string brands = (fs::path(shipped) / "brands.textproto").string();
  auto text = ReadWholeFile(brands);
  if (!text.ok()) return text.status();
  auto table = BrandTable::Parse(*text, brands);
  if (!table.ok()) return table.status();
  set.brands_ = std::move(*table);
  // The user's brands.textproto adds brands or renames them.
  if (!user_dir.empty()) {
    const std::string user_brands = (fs::path(user_dir) / "brands.textproto").string();
    std::error_code ec;
    if (fs::exists(user_brands, ec)) {
      auto user_text = ReadWholeFile(user_brands);
      if (!user_text.ok()) return user_text.status();
      auto user_table = BrandTable::Parse(*user_text, user_brands);
      if (!user_table.ok()) return user_table.status();
      set.brands_.Merge(*user_table);
    }
  }
  return set;
}

void DefinitionSet::Add(CompiledDefinition definition) {
  definitions_.push_back(std::make_unique<CompiledDefinition>(std::move(definition)));
}

std::vector<DefinitionMatch> DefinitionSet::Match(const DeviceIdent& ident) const {
  std::vector<DefinitionMatch> out;
  const std::string& descr = ident.sys_descr;
  for (const auto& d : definitions_) {
    int score = 0;
    if (!d->prefixes.empty()) {
      size_t best = 0;
      for (const Oid& p : d->prefixes) {
        if (ident.sys_object_id.StartsWith(p)) best = std::max(best, p.size());
      }
      if (best == 0) continue;
      score += static_cast<int>(best) * 4;
    }
    if (!d->descr.empty()) {
      bool any = false;
      for (const auto& re : d->descr) {
        if (std::regex_search(descr, re)) {
          any = true;
          break;
        }
      }
      if (!any) continue;
      score += 2;
    }
    bool excluded = false;
    for (const auto& re : d->descr_not) excluded = excluded || std::regex_search(descr, re);
    if (excluded) continue;
    out.push_back({d.get(), score});
  }
  std::stable_sort(out.begin(), out.end(), [](const DefinitionMatch& a, const DefinitionMatch& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.definition->priority != b.definition->priority) {
      return a.definition->priority > b.definition->priority;
    }
    return a.definition->name < b.definition->name;
  });
  return out;
}

std::vector<Oid> DefinitionSet::Probes(const std::vector<DefinitionMatch>& matches) {
  std::set<Oid> seen;
  std::vector<Oid> out;
  for (const auto& m : matches) {
    for (const Oid& oid : m.definition->has_oid) {
      if (seen.insert(oid).second) out.push_back(oid);
    }
  }
  return out;
}

void DefinitionSet::Scalars(const std::vector<DefinitionMatch>& matches, std::vector<Oid>* gets,
                            std::vector<Oid>* nexts) const {
  std::set<Oid> seen_get, seen_next;
  for (const auto& m : matches) {
    for (const auto* list : {&m.definition->model, &m.definition->serial, &m.definition->firmware,
                             &m.definition->hardware_revision}) {
      for (const auto& s : *list) {
        if (s.kind == CompiledSource::Kind::kGet && seen_get.insert(s.oid).second) {
          gets->push_back(s.oid);
        } else if (s.kind == CompiledSource::Kind::kFirst && seen_next.insert(s.oid).second) {
          nexts->push_back(s.oid);
        }
      }
    }
  }
}

void DefinitionSet::Confirm(const MibView& view, std::vector<DefinitionMatch>* matches) {
  std::erase_if(*matches, [&](const DefinitionMatch& m) {
    if (m.definition->has_oid.empty()) return false;
    for (const Oid& oid : m.definition->has_oid) {
      if (view.HasSubtree(oid)) return false;
    }
    return true;
  });
  // A family confirmed by its own MIB is more specific than any matcher on
  // the shared sysObjectID it answers under.
  for (auto& m : *matches) {
    if (!m.definition->has_oid.empty()) m.score += 1000;
  }
  std::stable_sort(
      matches->begin(), matches->end(),
      [](const DefinitionMatch& a, const DefinitionMatch& b) { return a.score > b.score; });
}

void DefinitionSet::Apply(const std::vector<DefinitionMatch>& matches, const MibView& view,
                          std::string_view registrant, v1::NetworkDevice* device) const {
  // Regexes see sysDescr as the other values: trimmed, without the quotes
  // some agents wrap it in.
  const std::string descr = CleanValue(device->sys_descr());
  auto field = [&](std::vector<CompiledSource> CompiledDefinition::*sources, std::string* out) {
    for (const auto& m : matches) {
      for (const auto& s : m.definition->*sources) {
        std::string v = ResolveSource(s, view, descr);
        if (!v.empty()) {
          *out = std::move(v);
          return true;
        }
      }
    }
    return false;
  };
  std::string v;
  if (field(&CompiledDefinition::model, &v)) device->set_model(v);
  if (field(&CompiledDefinition::serial, &v)) device->set_serial(v);
  if (field(&CompiledDefinition::firmware, &v)) device->set_firmware(v);
  if (field(&CompiledDefinition::hardware_revision, &v)) device->set_hardware_revision(v);
  // Type and brand from the most specific matches that name one. Equally
  // specific families that disagree (several families under one product
  // subtree, told apart by nothing the device sent) decide nothing: a less
  // specific definition or the evidence does.
  auto decide = [&](std::string CompiledDefinition::*what) -> std::string {
    size_t i = 0;
    while (i < matches.size()) {
      size_t j = i;
      std::set<std::string> values;
      while (j < matches.size() && matches[j].score == matches[i].score &&
             matches[j].definition->priority == matches[i].definition->priority) {
        if (!(matches[j].definition->*what).empty()) values.insert(matches[j].definition->*what);
        ++j;
      }
      if (values.size() == 1) return *values.begin();
      i = j;
    }
    return "";
  };
  if (std::string type = decide(&CompiledDefinition::type); !type.empty()) device->set_type(type);
  std::string brand = decide(&CompiledDefinition::brand);
  // A plugin that named the vendor knew better than the registrant.
  if (brand.empty() && device->vendor() != registrant) brand = device->vendor();
  if (brand.empty()) brand = std::string(brands_.ForEnterprise(device->enterprise()));
  if (brand.empty()) brand = std::string(registrant);
  if (!brand.empty()) device->set_vendor(brands_.Normalize(brand));
}

}  // namespace estate::plugins::snmp
