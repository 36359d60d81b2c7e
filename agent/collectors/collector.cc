#include "agent/collectors/collector.h"

namespace estate::agent {

void AddWarning(v1::HostFacts* facts, std::string_view collector, const Status& status) {
  AddWarning(facts, collector, std::string_view(status.ToString()));
}

void AddWarning(v1::HostFacts* facts, std::string_view collector, std::string_view message) {
  std::string text(collector);
  text += ": ";
  text += message;
  facts->add_warnings(std::move(text));
}

}  // namespace estate::agent
