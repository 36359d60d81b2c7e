#include "agent/commands/facts_json.h"

#include <nlohmann/json.hpp>

#include "estate/proto_json.h"

namespace estate::agent {
namespace {

constexpr unsigned kIndent = 2;

}  // namespace

void WriteFactsJson(v1::HostFacts facts, std::ostream& out) {
  google::protobuf::RepeatedPtrField<v1::Package> software;
  software.Swap(facts.mutable_software());
  // Keys come out sorted, as nlohmann's object (a std::map) orders them.
  const nlohmann::json top = ProtoToJson(facts);
  facts.Clear();
  nlohmann::detail::serializer<nlohmann::json> serializer(
      nlohmann::detail::output_adapter<char>(out), ' ', nlohmann::json::error_handler_t::strict);
  auto key = [&](const std::string& name) {
    out << std::string(kIndent, ' ');
    serializer.dump(nlohmann::json(name), false, false, 0);
    out << ": ";
  };
  auto write_software = [&] {
    key("software");
    out << "[\n";
    for (int i = 0; i < software.size(); ++i) {
      out << std::string(2 * kIndent, ' ');
      serializer.dump(ProtoToJson(software.Get(i)), true, false, kIndent, 2 * kIndent);
      out << (i + 1 < software.size() ? ",\n" : "\n");
    }
    out << std::string(kIndent, ' ') << "]";
  };
  const bool with_software = !software.empty();
  bool software_written = !with_software;
  bool first = true;
  out << "{";
  for (auto it = top.begin(); it != top.end(); ++it) {
    if (!software_written && it.key() > std::string("software")) {
      out << (first ? "\n" : ",\n");
      write_software();
      software_written = true;
      first = false;
    }
    out << (first ? "\n" : ",\n");
    key(it.key());
    serializer.dump(it.value(), true, false, kIndent, kIndent);
    first = false;
  }
  if (!software_written) {
    out << (first ? "\n" : ",\n");
    write_software();
    first = false;
  }
  out << (first ? "}" : "\n}");
}

}  // namespace estate::agent
