#include "agent/collectors/storage_collector.h"

#include <sys/statvfs.h>

#include <map>
#include <set>

#include "estate/text.h"

namespace estate::agent {
namespace {

const std::set<std::string_view>& PseudoFilesystems() {
  static const std::set<std::string_view> kPseudo = {
      "proc",        "sysfs",      "devtmpfs", "devpts",  "tmpfs",     "cgroup",
      "cgroup2",     "securityfs", "pstore",   "debugfs", "tracefs",   "mqueue",
      "hugetlbfs",   "configfs",   "fusectl",  "bpf",     "autofs",    "binfmt_misc",
      "efivarfs",    "rpc_pipefs", "nsfs",     "ramfs",   "selinuxfs", "fuse.gvfsd-fuse",
      "fuse.portal", "squashfs",   "overlay",  "nfsd",    "devfs",     "fuse.lxcfs"};
  return kPseudo;
}

std::string Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

class StorageCollector : public Collector {
 public:
  std::string_view Name() const override { return "storage"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    auto* storage = facts->mutable_storage();

    std::vector<v1::Filesystem> mounts;
    auto mounts_text = root.ReadFile("/proc/self/mounts", 8 << 20);
    if (!mounts_text.ok()) mounts_text = root.ReadFile("/proc/mounts", 8 << 20);
    if (mounts_text.ok()) {
      mounts = ParseMounts(*mounts_text);
    } else {
      AddWarning(facts, Name(), mounts_text.status());
    }
    std::map<std::string, std::string> fs_type_by_device;  // "sda1" -> "ext4"
    for (const auto& fs : mounts) {
      if (StartsWith(fs.device(), "/dev/")) fs_type_by_device[Basename(fs.device())] = fs.type();
    }
    std::map<std::string, std::string> uuid_by_device;
    if (auto uuids = root.ListDir("/dev/disk/by-uuid"); uuids.ok()) {
      for (const auto& uuid : *uuids) {
        if (auto target = root.ReadLink("/dev/disk/by-uuid/" + uuid); target.ok()) {
          uuid_by_device[Basename(*target)] = uuid;
        }
      }
    }

    auto devices = root.ListDir("/sys/block");
    if (!devices.ok()) {
      AddWarning(facts, Name(), devices.status());
    } else {
      for (const auto& name : *devices) {
        if (StartsWith(name, "loop") || StartsWith(name, "ram") || StartsWith(name, "zram") ||
            StartsWith(name, "dm-")) {
          continue;  // virtual devices backed by files, memory or other disks
        }
        CollectDisk(root, name, fs_type_by_device, uuid_by_device, storage->add_disks());
      }
    }

    for (auto& fs : mounts) {
      if (context.live && !IsNetworkFilesystem(fs.type())) {
        struct statvfs st;
        if (::statvfs(fs.mount_point().c_str(), &st) == 0) {
          fs.set_size_bytes(static_cast<uint64_t>(st.f_blocks) * st.f_frsize);
          fs.set_free_bytes(static_cast<uint64_t>(st.f_bavail) * st.f_frsize);
        }
      }
      *storage->add_filesystems() = std::move(fs);
    }
  }

 private:
  static void CollectDisk(const HostRoot& root, const std::string& name,
                          const std::map<std::string, std::string>& fs_types,
                          const std::map<std::string, std::string>& uuids, v1::BlockDevice* disk) {
    const std::string dir = "/sys/block/" + name;
    auto line = [&](const std::string& file) {
      auto value = root.ReadLine(dir + "/" + file);
      return value.ok() ? SanitizeUtf8(Trim(*value)) : std::string();
    };
    disk->set_name(name);
    disk->set_model(line("device/model"));
    disk->set_vendor(line("device/vendor"));
    std::string serial = line("device/serial");
    if (serial.empty()) serial = line("serial");
    disk->set_serial(serial);
    disk->set_size_bytes(ParseUint(line("size")).value_or(0) * 512);  // 512-byte sectors
    disk->set_removable(line("removable") == "1");
    std::string wwn = line("wwid");
    if (wwn.empty()) wwn = line("device/wwid");
    disk->set_wwn(wwn);
    const bool rotational = line("queue/rotational") == "1";
    if (StartsWith(name, "nvme")) {
      disk->set_kind("nvme");
    } else if (StartsWith(name, "sr")) {
      disk->set_kind("optical");
    } else if (StartsWith(name, "vd") || StartsWith(name, "xvd")) {
      disk->set_kind("virtual");
    } else {
      disk->set_kind(rotational ? "hdd" : "ssd");
    }
    auto entries = root.ListDir(dir);
    if (!entries.ok()) return;
    for (const auto& entry : *entries) {
      if (!StartsWith(entry, name) || !root.Exists(dir + "/" + entry + "/partition")) continue;
      auto* part = disk->add_partitions();
      part->set_name(entry);
      auto size = root.ReadLine(dir + "/" + entry + "/size");
      if (size.ok()) part->set_size_bytes(ParseUint(*size).value_or(0) * 512);
      if (auto it = fs_types.find(entry); it != fs_types.end()) part->set_filesystem(it->second);
      if (auto it = uuids.find(entry); it != uuids.end()) part->set_uuid(it->second);
    }
  }
};

}  // namespace

std::string UnescapeMountField(std::string_view field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      std::string_view octal = field.substr(i + 1, 3);
      bool valid = octal.size() == 3;
      int value = 0;
      for (char c : octal) {
        valid = valid && c >= '0' && c <= '7';
        value = value * 8 + (c - '0');
      }
      if (valid) {
        out += static_cast<char>(value);
        i += 3;
        continue;
      }
    }
    out += field[i];
  }
  return out;
}

bool IsNetworkFilesystem(std::string_view type) {
  return type == "nfs" || type == "nfs4" || type == "cifs" || type == "smb3" || type == "smbfs" ||
         type == "ceph" || type == "glusterfs" || type == "9p" || type == "afs" ||
         StartsWith(type, "fuse.sshfs") || StartsWith(type, "fuse.s3fs");
}

std::vector<v1::Filesystem> ParseMounts(std::string_view proc_mounts) {
  std::vector<v1::Filesystem> out;
  std::set<std::string> seen;  // a mount point mounted twice shows its last mount
  for (std::string_view line : Split(proc_mounts, '\n')) {
    auto fields = Split(Trim(line), ' ');
    if (fields.size() < 3) continue;
    std::string type(fields[2]);
    if (PseudoFilesystems().count(type)) continue;
    v1::Filesystem fs;
    fs.set_device(UnescapeMountField(fields[0]));
    fs.set_mount_point(UnescapeMountField(fields[1]));
    fs.set_type(type);
    if (!seen.insert(fs.mount_point()).second) {
      for (auto& existing : out) {
        if (existing.mount_point() == fs.mount_point()) existing = fs;
      }
      continue;
    }
    out.push_back(std::move(fs));
  }
  return out;
}

std::unique_ptr<Collector> MakeStorageCollector() { return std::make_unique<StorageCollector>(); }

}  // namespace estate::agent
