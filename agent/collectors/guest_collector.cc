#include "agent/collectors/guest_collector.h"

#include <nlohmann/json.hpp>
#include <set>

#include "estate/text.h"

namespace estate::agent {
namespace {

constexpr size_t kMaxStateFile = 8 << 20;

// The text of the first <tag>...</tag> at or after `from`.
std::string ElementText(std::string_view xml, std::string_view tag, size_t from) {
  const std::string open = "<" + std::string(tag) + ">";
  const size_t start = xml.find(open, from);
  if (start == std::string_view::npos) return "";
  const size_t text = start + open.size();
  const size_t end = xml.find('<', text);
  if (end == std::string_view::npos) return "";
  return std::string(Trim(xml.substr(text, end - text)));
}

// The value of `attribute` in the element starting at `at` ('...' or "...").
std::string AttributeAt(std::string_view xml, size_t at, std::string_view attribute) {
  const size_t end = xml.find('>', at);
  std::string_view element = xml.substr(at, end == std::string_view::npos ? xml.npos : end - at);
  const std::string key = " " + std::string(attribute) + "=";
  const size_t k = element.find(key);
  if (k == std::string_view::npos || k + key.size() >= element.size()) return "";
  const char quote = element[k + key.size()];
  if (quote != '\'' && quote != '"') return "";
  const size_t value = k + key.size() + 1;
  const size_t close = element.find(quote, value);
  if (close == std::string_view::npos) return "";
  return std::string(element.substr(value, close - value));
}

void AddMac(v1::Guest* guest, std::string_view text) {
  auto mac = NormalizeMac(text);
  if (!mac.has_value()) return;
  for (const auto& m : guest->macs()) {
    if (m == *mac) return;
  }
  guest->add_macs(*mac);
}

std::string JsonString(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool JsonBool(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

class GuestCollector : public Collector {
 public:
  std::string_view Name() const override { return "guest"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    CollectLibvirt(root, facts);
    CollectDocker(root, facts);
    CollectPodman(root, facts);
    CollectLxc(root, facts);
  }

 private:
  void CollectLibvirt(const HostRoot& root, v1::HostFacts* facts) const {
    std::map<std::string, v1::Guest> domains;  // by name
    for (std::string_view dir : {"/etc/libvirt/qemu", "/run/libvirt/qemu"}) {
      const bool status = StartsWith(dir, "/run");
      auto files = root.ListDir(dir);
      if (!files.ok()) continue;
      for (const auto& file : *files) {
        if (!file.ends_with(".xml")) continue;
        const std::string path = std::string(dir) + "/" + file;
        auto xml = root.ReadFile(path, kMaxStateFile);
        auto guest = xml.ok() ? ParseLibvirtDomain(*xml) : Result<v1::Guest>(xml.status());
        if (!guest.ok()) {
          AddWarning(facts, Name(), path + ": " + guest.status().message());
          continue;
        }
        if (!status) guest->set_state("shut_off");  // until a status file says otherwise
        auto [it, added] = domains.try_emplace(guest->name(), *guest);
        if (!added && status) {
          it->second.set_state(guest->state());  // the running one's MACs are the ones in use
          it->second.clear_macs();
          for (const auto& mac : guest->macs()) it->second.add_macs(mac);
        }
      }
    }
    if (domains.empty()) return;
    std::map<std::string, std::string> leases;
    constexpr std::string_view kLeases = "/var/lib/libvirt/dnsmasq";
    if (auto files = root.ListDir(kLeases); files.ok()) {
      for (const auto& file : *files) {
        if (!file.ends_with(".status")) continue;
        auto text = root.ReadFile(std::string(kLeases) + "/" + file, kMaxStateFile);
        if (text.ok()) leases.merge(ParseLibvirtLeases(*text));
      }
    }
    for (auto& [name, guest] : domains) {
      for (const auto& mac : guest.macs()) {
        if (auto ip = leases.find(mac); ip != leases.end()) guest.add_ips(ip->second);
      }
      *facts->add_guests() = std::move(guest);
    }
  }

  void CollectDocker(const HostRoot& root, v1::HostFacts* facts) const {
    constexpr std::string_view kDir = "/var/lib/docker/containers";
    auto ids = root.ListDir(kDir);
    if (!ids.ok()) return;
    for (const auto& id : *ids) {
      const std::string path = std::string(kDir) + "/" + id + "/config.v2.json";
      auto text = root.ReadFile(path, kMaxStateFile);
      if (!text.ok()) {
        if (!text.status().IsNotFound()) AddWarning(facts, Name(), text.status());
        continue;
      }
      auto guest = ParseDockerConfig(*text);
      if (!guest.ok()) {
        AddWarning(facts, Name(), path + ": " + guest.status().message());
        continue;
      }
      *facts->add_guests() = std::move(*guest);
    }
  }

  void CollectPodman(const HostRoot& root, v1::HostFacts* facts) const {
    constexpr std::string_view kFile =
        "/var/lib/containers/storage/overlay-containers/containers.json";
    auto text = root.ReadFile(kFile, kMaxStateFile);
    if (!text.ok()) return;  // no podman, or no rootful container
    auto guests = ParsePodmanContainers(*text);
    if (!guests.ok()) {
      AddWarning(facts, Name(), std::string(kFile) + ": " + guests.status().message());
      return;
    }
    for (auto& guest : *guests) *facts->add_guests() = std::move(guest);
  }

  void CollectLxc(const HostRoot& root, v1::HostFacts* facts) const {
    constexpr std::string_view kDir = "/var/lib/lxc";
    auto names = root.ListDir(kDir);
    if (!names.ok()) return;
    for (const auto& name : *names) {
      auto config = root.ReadFile(std::string(kDir) + "/" + name + "/config", 1 << 20);
      if (!config.ok()) continue;  // not a container directory
      v1::Guest guest;
      guest.set_name(name);
      guest.set_kind("lxc");
      for (const auto& mac : ParseLxcMacs(*config)) AddMac(&guest, mac);
      // A running container has its cgroup (v2 layout, then v1).
      const bool running = root.Exists("/sys/fs/cgroup/lxc.payload." + name) ||
                           root.Exists("/sys/fs/cgroup/lxc/" + name);
      guest.set_state(running ? "running" : "stopped");
      *facts->add_guests() = std::move(guest);
    }
  }
};

}  // namespace

Result<v1::Guest> ParseLibvirtDomain(std::string_view xml) {
  size_t domain = xml.find("<domain ");
  if (domain == std::string_view::npos) domain = xml.find("<domain>");
  if (domain == std::string_view::npos) return Status::InvalidArgument("no <domain> element");
  v1::Guest guest;
  guest.set_kind("libvirt");
  guest.set_name(SanitizeUtf8(ElementText(xml, "name", domain)));
  if (guest.name().empty()) return Status::InvalidArgument("a <domain> without a <name>");
  guest.set_id(ElementText(xml, "uuid", domain));
  if (size_t status = xml.find("<domstatus"); status != std::string_view::npos && status < domain) {
    guest.set_state(AttributeAt(xml, status, "state"));
  }
  for (size_t at = xml.find("<mac ", domain); at != std::string_view::npos;
       at = xml.find("<mac ", at + 1)) {
    AddMac(&guest, AttributeAt(xml, at, "address"));
  }
  return guest;
}

std::map<std::string, std::string> ParseLibvirtLeases(std::string_view json) {
  std::map<std::string, std::string> leases;
  auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_array()) return leases;
  for (const auto& lease : doc) {
    auto mac = NormalizeMac(JsonString(lease, "mac-address"));
    std::string ip = JsonString(lease, "ip-address");
    if (mac.has_value() && !ip.empty()) leases[*mac] = ip;
  }
  return leases;
}

Result<v1::Guest> ParseDockerConfig(std::string_view json) {
  auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::InvalidArgument("not JSON (a container being written?)");
  }
  v1::Guest guest;
  guest.set_kind("docker");
  guest.set_id(JsonString(doc, "ID"));
  if (guest.id().empty()) return Status::InvalidArgument("no container ID");
  std::string name = JsonString(doc, "Name");
  if (StartsWith(name, "/")) name.erase(0, 1);
  guest.set_name(SanitizeUtf8(name));
  if (auto config = doc.find("Config"); config != doc.end()) {
    guest.set_image(SanitizeUtf8(JsonString(*config, "Image")));
  }
  if (auto state = doc.find("State"); state != doc.end() && state->is_object()) {
    const std::string started = JsonString(*state, "StartedAt");
    if (JsonBool(*state, "Paused")) {
      guest.set_state("paused");
    } else if (JsonBool(*state, "Restarting")) {
      guest.set_state("restarting");
    } else if (JsonBool(*state, "Running")) {
      guest.set_state("running");
    } else if (JsonBool(*state, "Dead")) {
      guest.set_state("dead");
    } else {
      guest.set_state(started.empty() || StartsWith(started, "0001-") ? "created" : "exited");
    }
  }
  auto settings = doc.find("NetworkSettings");
  if (settings != doc.end() && settings->is_object()) {
    auto networks = settings->find("Networks");
    if (networks != settings->end() && networks->is_object()) {
      for (const auto& [network, endpoint] : networks->items()) {
        AddMac(&guest, JsonString(endpoint, "MacAddress"));
        for (const char* key : {"IPAddress", "GlobalIPv6Address"}) {
          if (std::string ip = JsonString(endpoint, key); !ip.empty()) guest.add_ips(ip);
        }
      }
    }
  }
  return guest;
}

Result<std::vector<v1::Guest>> ParsePodmanContainers(std::string_view json) {
  auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_array()) return Status::InvalidArgument("not a JSON array of containers");
  std::vector<v1::Guest> guests;
  for (const auto& container : doc) {
    v1::Guest guest;
    guest.set_kind("podman");
    guest.set_id(JsonString(container, "id"));
    if (guest.id().empty()) continue;
    if (auto names = container.find("names"); names != container.end() && names->is_array() &&
                                              !names->empty() && names->front().is_string()) {
      guest.set_name(SanitizeUtf8(names->front().get<std::string>()));
    }
    // "metadata" is itself JSON text: {"image-name": "docker.io/library/nginx:latest", ...}.
    auto metadata = nlohmann::json::parse(JsonString(container, "metadata"), nullptr, false);
    std::string image = JsonString(metadata, "image-name");
    guest.set_image(SanitizeUtf8(image.empty() ? JsonString(container, "image") : image));
    guests.push_back(std::move(guest));
  }
  return guests;
}

std::vector<std::string> ParseLxcMacs(std::string_view config) {
  std::vector<std::string> macs;
  for (std::string_view line : Split(config, '\n')) {
    line = Trim(line);
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || !StartsWith(line, "lxc.net")) continue;
    std::string_view key = Trim(line.substr(0, eq));
    // lxc.net.0.hwaddr (LXC 3+) or lxc.network.hwaddr (LXC 2).
    if (!key.ends_with(".hwaddr")) continue;
    if (auto mac = NormalizeMac(Trim(line.substr(eq + 1))); mac.has_value()) macs.push_back(*mac);
  }
  return macs;
}

std::unique_ptr<Collector> MakeGuestCollector() { return std::make_unique<GuestCollector>(); }

}  // namespace estate::agent
