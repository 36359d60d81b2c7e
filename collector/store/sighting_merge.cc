#include "collector/store/sighting_merge.h"

#include <algorithm>

namespace estate::collector {

void FoldSighting(const v1::Sighting& update, v1::Sighting* into) {
  if (update.first_seen() != 0 &&
      (into->first_seen() == 0 || update.first_seen() < into->first_seen())) {
    into->set_first_seen(update.first_seen());
  }
  into->set_last_seen(std::max(into->last_seen(), update.last_seen()));
  if (!update.mac().empty()) into->set_mac(update.mac());
  if (!update.ip().empty()) into->set_ip(update.ip());
  if (!update.vendor().empty()) into->set_vendor(update.vendor());
  if (!update.hostname().empty()) into->set_hostname(update.hostname());
  if (!update.reporter().empty()) into->set_reporter(update.reporter());
  into->set_mac_locally_administered(update.mac_locally_administered());
  for (const auto& source : update.sources()) {
    if (std::find(into->sources().begin(), into->sources().end(), source) ==
        into->sources().end()) {
      into->add_sources(source);
    }
  }
}

bool MergeSightingRecords(const std::string_view* existing, std::string_view update,
                          std::string* merged) {
  v1::Sighting base, next;
  if (existing != nullptr &&
      !base.ParseFromArray(existing->data(), static_cast<int>(existing->size()))) {
    return false;
  }
  if (!next.ParseFromArray(update.data(), static_cast<int>(update.size()))) return false;
  FoldSighting(next, &base);
  return base.SerializeToString(merged);
}

}  // namespace estate::collector
