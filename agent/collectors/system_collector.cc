#include "agent/collectors/system_collector.h"

#include <sys/utsname.h>

#include <cmath>
#include <cstdlib>

#include "estate/text.h"

namespace estate::agent {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  return ToLower(haystack).find(needle) != std::string::npos;
}

std::string FirstLine(const HostRoot& root, std::string_view path) {
  auto line = root.ReadLine(path);
  return line.ok() ? *line : std::string();
}

class SystemCollector : public Collector {
 public:
  std::string_view Name() const override { return "system"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    // The running name first; a captured tree without /proc has /etc/hostname.
    std::string hostname = FirstLine(root, "/proc/sys/kernel/hostname");
    if (hostname.empty()) hostname = FirstLine(root, "/etc/hostname");
    if (hostname.empty()) AddWarning(facts, Name(), "no hostname in /proc/sys/kernel or /etc");
    facts->set_hostname(hostname);

    std::string fqdn;
    if (hostname.find('.') != std::string::npos) {
      fqdn = hostname;
    } else if (auto hosts = root.ReadFile("/etc/hosts", 1 << 20); hosts.ok()) {
      fqdn = FqdnFromHosts(*hosts, hostname);
    }
    facts->set_fqdn(fqdn.empty() ? hostname : fqdn);

    std::string machine_id = FirstLine(root, "/etc/machine-id");
    if (machine_id.empty()) machine_id = FirstLine(root, "/var/lib/dbus/machine-id");
    if (machine_id.empty()) AddWarning(facts, Name(), "no machine-id in /etc or /var/lib/dbus");
    facts->set_machine_id(machine_id);

    facts->set_kernel(FirstLine(root, "/proc/sys/kernel/osrelease"));
    auto* system = facts->mutable_system();
    std::string arch = FirstLine(root, "/proc/sys/kernel/arch");
    if (arch.empty() && context.live) {
      struct utsname uts;
      if (::uname(&uts) == 0) arch = uts.machine;
    }
    system->set_architecture(arch);

    if (auto stat = root.ReadFile("/proc/stat", 4 << 20); stat.ok()) {
      if (auto btime = ParseBootTime(*stat)) system->set_boot_time(*btime);
    }
    if (auto uptime = root.ReadLine("/proc/uptime"); uptime.ok()) {
      if (auto seconds = ParseUptime(*uptime)) system->set_uptime_seconds(*seconds);
    }

    std::string timezone = FirstLine(root, "/etc/timezone");
    if (timezone.empty()) {
      if (auto link = root.ReadLink("/etc/localtime"); link.ok()) {
        timezone = TimezoneFromLocaltimeLink(*link);
      }
    }
    system->set_timezone(timezone);

    bool hypervisor_flag = false;
    if (auto cpuinfo = root.ReadFile("/proc/cpuinfo", 8 << 20); cpuinfo.ok()) {
      for (std::string_view line : Split(*cpuinfo, '\n')) {
        if (StartsWith(line, "flags")) {
          for (std::string_view flag : Split(line, ' ')) {
            if (flag == "hypervisor") hypervisor_flag = true;
          }
          break;
        }
      }
    }
    std::string xen = FirstLine(root, "/sys/hypervisor/type");
    std::string virt =
        xen == "xen"
            ? "xen"
            : DetectHypervisor(FirstLine(root, "/sys/class/dmi/id/sys_vendor"),
                               FirstLine(root, "/sys/class/dmi/id/product_name"),
                               FirstLine(root, "/sys/class/dmi/id/bios_vendor"), hypervisor_flag);
    system->set_virtualization(virt);

    std::string container;
    if (root.Exists("/.dockerenv")) {
      container = "docker";
    } else if (root.Exists("/run/.containerenv")) {
      container = "podman";
    } else if (std::string named = FirstLine(root, "/run/systemd/container"); !named.empty()) {
      container = named;
    } else if (auto cgroup = root.ReadFile("/proc/1/cgroup", 1 << 20); cgroup.ok()) {
      container = ContainerFromCgroup(*cgroup);
    }
    system->set_container(container);
  }
};

}  // namespace

std::optional<int64_t> ParseBootTime(std::string_view proc_stat) {
  for (std::string_view line : Split(proc_stat, '\n')) {
    if (StartsWith(line, "btime ")) {
      if (auto value = ParseUint(line.substr(6))) return static_cast<int64_t>(*value);
    }
  }
  return std::nullopt;
}

std::optional<int64_t> ParseUptime(std::string_view proc_uptime) {
  std::string first(Trim(proc_uptime.substr(0, proc_uptime.find(' '))));
  if (first.empty()) return std::nullopt;
  char* end = nullptr;
  double seconds = std::strtod(first.c_str(), &end);
  // 2^63 and beyond do not fit an int64_t: converting them is undefined behaviour.
  if (end != first.c_str() + first.size() || !std::isfinite(seconds) || seconds < 0 ||
      seconds >= 9223372036854775808.0) {
    return std::nullopt;
  }
  return static_cast<int64_t>(seconds);
}

std::string TimezoneFromLocaltimeLink(std::string_view link_target) {
  constexpr std::string_view kMarker = "zoneinfo/";
  size_t pos = link_target.find(kMarker);
  if (pos == std::string_view::npos) return std::string();
  std::string_view zone = link_target.substr(pos + kMarker.size());
  if (StartsWith(zone, "posix/")) zone.remove_prefix(6);
  if (StartsWith(zone, "right/")) zone.remove_prefix(6);
  return std::string(zone);
}

std::string FqdnFromHosts(std::string_view etc_hosts, std::string_view hostname) {
  if (hostname.empty()) return std::string();
  for (std::string_view line : Split(etc_hosts, '\n')) {
    line = line.substr(0, line.find('#'));
    std::vector<std::string_view> names;
    for (std::string_view word : Split(line, ' ')) {
      for (std::string_view part : Split(word, '\t')) {
        if (!part.empty()) names.push_back(part);
      }
    }
    if (names.size() < 2) continue;
    bool names_host = false;
    for (size_t i = 1; i < names.size(); ++i) {
      if (names[i] == hostname || StartsWith(names[i], std::string(hostname) + ".")) {
        names_host = true;
      }
    }
    if (!names_host) continue;
    for (size_t i = 1; i < names.size(); ++i) {
      if (StartsWith(names[i], std::string(hostname) + ".")) return std::string(names[i]);
    }
  }
  return std::string();
}

std::string DetectHypervisor(std::string_view sys_vendor, std::string_view product_name,
                             std::string_view bios_vendor, bool cpu_hypervisor_flag) {
  const std::string all = ToLower(std::string(sys_vendor) + " " + std::string(product_name) + " " +
                                  std::string(bios_vendor));
  struct Known {
    const char* needle;
    const char* name;
  };
  static constexpr Known kKnown[] = {
      {"vmware", "vmware"},
      {"virtualbox", "oracle"},
      {"innotek", "oracle"},
      {"qemu", "qemu"},
      {"kvm", "kvm"},
      {"amazon ec2", "amazon"},
      {"google compute", "google"},
      {"parallels", "parallels"},
      {"bochs", "bochs"},
      {"xen", "xen"},
      {"bhyve", "bhyve"},
      {"openstack", "kvm"},
  };
  for (const Known& known : kKnown) {
    if (all.find(known.needle) != std::string::npos) return known.name;
  }
  if (Contains(sys_vendor, "microsoft") && Contains(product_name, "virtual")) return "microsoft";
  return cpu_hypervisor_flag ? "vm-other" : std::string();
}

std::string ContainerFromCgroup(std::string_view proc1_cgroup) {
  if (proc1_cgroup.find("kubepods") != std::string_view::npos) return "kubernetes";
  if (proc1_cgroup.find("/docker") != std::string_view::npos) return "docker";
  if (proc1_cgroup.find("libpod") != std::string_view::npos) return "podman";
  if (proc1_cgroup.find("/lxc") != std::string_view::npos) return "lxc";
  return std::string();
}

std::unique_ptr<Collector> MakeSystemCollector() { return std::make_unique<SystemCollector>(); }

}  // namespace estate::agent
