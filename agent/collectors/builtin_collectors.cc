#include "agent/collectors/builtin_collectors.h"

#include "agent/collectors/battery_collector.h"
#include "agent/collectors/cpu_collector.h"
#include "agent/collectors/dmi_collector.h"
#include "agent/collectors/dpkg_collector.h"
#include "agent/collectors/flatpak_collector.h"
#include "agent/collectors/guest_collector.h"
#include "agent/collectors/language_packages_collector.h"
#include "agent/collectors/memory_collector.h"
#include "agent/collectors/monitor_collector.h"
#include "agent/collectors/network_collector.h"
#include "agent/collectors/os_collector.h"
#include "agent/collectors/pci_collector.h"
#include "agent/collectors/printer_collector.h"
#include "agent/collectors/rpm_collector.h"
#include "agent/collectors/security_collector.h"
#include "agent/collectors/services_collector.h"
#include "agent/collectors/smbios_collector.h"
#include "agent/collectors/snap_collector.h"
#include "agent/collectors/sockets_collector.h"
#include "agent/collectors/storage_collector.h"
#include "agent/collectors/system_collector.h"
#include "agent/collectors/usb_collector.h"
#include "agent/collectors/users_collector.h"

namespace estate::agent {

std::vector<std::unique_ptr<Collector>> BuiltinCollectors() {
  std::vector<std::unique_ptr<Collector>> list;
  list.push_back(MakeSystemCollector());  // first: the OS collector reads its architecture
  list.push_back(MakeOsCollector());
  list.push_back(MakeDmiCollector());
  list.push_back(MakeSmbiosCollector());
  list.push_back(MakeCpuCollector());
  list.push_back(MakeMemoryCollector());
  list.push_back(MakeStorageCollector());
  list.push_back(MakeNetworkCollector());
  list.push_back(MakeDpkgCollector());
  list.push_back(MakeRpmCollector());
  list.push_back(MakeSnapCollector());
  list.push_back(MakeFlatpakCollector());
  list.push_back(MakeUsersCollector());
  list.push_back(MakeServicesCollector());
  list.push_back(MakeSocketsCollector());
  list.push_back(MakePciCollector());
  list.push_back(MakeUsbCollector());
  list.push_back(MakeMonitorCollector());
  list.push_back(MakeBatteryCollector());
  list.push_back(MakeSecurityCollector());
  list.push_back(MakePrinterCollector());
  list.push_back(MakeLanguagePackagesCollector());
  list.push_back(MakeGuestCollector());
  return list;
}

}  // namespace estate::agent
