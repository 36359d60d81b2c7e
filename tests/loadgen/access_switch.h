#ifndef ESTATE_TESTS_LOADGEN_ACCESS_SWITCH_H_
#define ESTATE_TESTS_LOADGEN_ACCESS_SWITCH_H_

// The Cisco access switch both simulated fleets put in each subnet: what an SNMP scan
// of it returns, and the forwarding-table entry that places a station on one of its ports.

#include <cstdint>
#include <functional>
#include <string>

#include "estate/v1/frame.pb.h"

namespace estate::loadgen {

struct AccessSwitch {
  std::string ip;
  std::string sys_name;
  std::string serial;
  uint32_t vlan = 0;
  // The MAC of interface `port` (1-52), unique across the fleet.
  std::function<std::string(uint32_t port)> interface_mac;
};

// A C2960X with 48 gigabit and 4 ten-gigabit ports, scanned over SNMP v2c at `now`.
void FillAccessSwitch(const AccessSwitch& sw, int64_t now, v1::NetworkDevice* device);

// The switch saw `mac` on access port `port` (1-48): the FDB observation the scanner
// reports and the matching row of the device's forwarding table.
void PlaceOnPort(const AccessSwitch& sw, uint32_t port, const std::string& mac,
                 const std::string& vendor, bool locally_administered, int64_t now,
                 v1::Observation* observation, v1::NetworkDevice* device);

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_ACCESS_SWITCH_H_
