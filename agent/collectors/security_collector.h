// SecurityCollector: the host's security posture as facts policies select on:
// which mounted filesystems sit on dm-crypt (LUKS or plain, through LVM too),
// Secure Boot (efivars), TPM presence and version, whether a firewall is set to
// start (ufw, firewalld, nftables, iptables services) and whether updates
// install themselves (unattended-upgrades, dnf-automatic).
//
// All read from files: the firewall is what the host is configured to run, not
// a count of loaded rules (that needs netlink and root).
#ifndef ESTATE_AGENT_COLLECTORS_SECURITY_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_SECURITY_COLLECTOR_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/collectors/collector.h"

namespace estate::agent {

// "LUKS2" from a dm uuid "CRYPT-LUKS2-0a1b...-luks-0a1b"; empty when the
// mapping is not dm-crypt (LVM-..., mpath-...).
std::string CryptScheme(std::string_view dm_uuid);

// The value of APT::Periodic::Unattended-Upgrade set last in `text` (apt.conf
// syntax, both the flat and the nested form); nullopt when not set there.
std::optional<std::string> AptPeriodicUnattendedUpgrade(std::string_view text);

std::unique_ptr<Collector> MakeSecurityCollector();

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_SECURITY_COLLECTOR_H_
