// The running distribution (os-release) and the tests that say whether a
// package's source is that distribution's own: an apt Origin, a Maintainer
// address of its teams, an rpm Vendor. Pure; thread-safe.
#ifndef ESTATE_AGENT_COLLECTORS_DISTRIBUTION_H_
#define ESTATE_AGENT_COLLECTORS_DISTRIBUTION_H_

#include <string>
#include <string_view>
#include <vector>

#include "estate/host_root.h"

namespace estate::agent {

// The running distribution, from os-release.
struct Distribution {
  std::string id;                    // "debian"
  std::vector<std::string> id_like;  // "debian" for ubuntu
  std::string name;                  // "Debian GNU/Linux"
};
Distribution ParseDistribution(std::string_view os_release);

// Whether an apt source's Origin is the running distribution's own archive.
bool IsDistributionOrigin(const Distribution& distribution, std::string_view origin);
// Whether a Maintainer field names one of the distribution's teams (or of the
// one it derives from): the evidence left when a host has no apt lists.
bool IsDistributionMaintainer(const Distribution& distribution, std::string_view maintainer);

// Whether an rpm Vendor is the distribution's ("Fedora Project" for NAME
// "Fedora Linux", "Red Hat, Inc." for "Red Hat Enterprise Linux"): the first
// words agree, or the vendor's is the os-release ID.
bool IsDistributionVendor(const Distribution& distribution, std::string_view vendor);

// os-release of `root` (/etc, else /usr/lib); empty fields when neither reads.
Distribution ReadDistribution(const HostRoot& root);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_DISTRIBUTION_H_
