#include "agent/collectors/printer_collector.h"

#include "estate/text.h"

namespace estate::agent {
namespace {

class PrinterCollector : public Collector {
 public:
  std::string_view Name() const override { return "printer"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    constexpr std::string_view kConf = "/etc/cups/printers.conf";
    auto text = context.root.ReadFile(kConf, 4 << 20);
    if (!text.ok()) {
      if (!text.status().IsNotFound()) AddWarning(facts, Name(), text.status());
      return;  // NotFound: CUPS is not installed or has no queue
    }
    for (auto& printer : ParsePrintersConf(*text)) *facts->add_printers() = std::move(printer);
  }
};

bool IsLoopback(std::string_view host) {
  return host == "localhost" || StartsWith(host, "127.") || host == "[::1]" || host == "::1";
}

}  // namespace

std::string StripUriCredentials(std::string_view uri) {
  const size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return std::string(uri);
  const size_t start = scheme_end + 3;
  // smbspool's form puts a workgroup before the credentials: smb://wg/user:pass@server/share.
  const size_t at = uri.find('@', start);
  if (at == std::string_view::npos) return std::string(uri);
  if (uri.substr(start, at - start).find('?') != std::string_view::npos) return std::string(uri);
  size_t user_start = uri.rfind('/', at);
  user_start =
      (user_start == std::string_view::npos || user_start < start) ? start : user_start + 1;
  std::string out(uri.substr(0, user_start));
  out.append(uri.substr(at + 1));
  return out;
}

std::string UriHost(std::string_view uri) {
  const size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return "";  // parallel:/dev/lp0, hp:/usb/...
  const std::string scheme = ToLower(uri.substr(0, scheme_end));
  if (scheme == "usb" || scheme == "hp" || scheme == "hpfax" || scheme == "dnssd" ||
      scheme == "file" || scheme == "cups-pdf") {
    return "";
  }
  const std::string clean = StripUriCredentials(uri);
  std::string_view rest = std::string_view(clean).substr(scheme_end + 3);
  if (scheme == "smb") {
    // smb://[workgroup/]server/share: the server is the part before the share.
    auto parts = Split(rest.substr(0, rest.find('?')), '/');
    std::vector<std::string_view> named;
    for (auto p : parts) {
      if (!p.empty()) named.push_back(p);
    }
    rest = named.size() >= 3 ? named[named.size() - 2] : named.empty() ? "" : named[0];
  }
  std::string_view host = rest.substr(0, rest.find_first_of("/?"));
  if (!host.empty() && host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);  // [2001:db8::1]:631
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (IsLoopback(host)) return "";
  return ToLower(host);
}

std::vector<v1::Printer> ParsePrintersConf(std::string_view text) {
  std::vector<v1::Printer> printers;
  v1::Printer* current = nullptr;
  for (std::string_view line : Split(text, '\n')) {
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (StartsWith(line, "</")) {
      current = nullptr;
      continue;
    }
    if (line.front() == '<' && line.back() == '>') {
      std::string_view tag = line.substr(1, line.size() - 2);
      const size_t space = tag.find(' ');
      std::string_view kind = tag.substr(0, space);
      if (kind != "Printer" && kind != "DefaultPrinter") continue;  // classes are not devices
      current = &printers.emplace_back();
      current->set_queue(SanitizeUtf8(
          space == std::string_view::npos ? std::string_view() : Trim(tag.substr(space + 1))));
      current->set_is_default(kind == "DefaultPrinter");
      continue;
    }
    if (current == nullptr) continue;
    const size_t space = line.find(' ');
    std::string_view key = line.substr(0, space);
    std::string value = SanitizeUtf8(
        space == std::string_view::npos ? std::string_view() : Trim(line.substr(space + 1)));
    if (key == "DeviceURI") {
      current->set_host(UriHost(value));
      current->set_device_uri(StripUriCredentials(value));
    } else if (key == "MakeModel") {
      current->set_make_model(value);
    } else if (key == "Info") {
      current->set_info(value);
    } else if (key == "Location") {
      current->set_location(value);
    } else if (key == "Shared") {
      current->set_shared(ToLower(value) == "yes");
    } else if (key == "State") {
      current->set_state(ToLower(value));
    }
  }
  return printers;
}

std::unique_ptr<Collector> MakePrinterCollector() { return std::make_unique<PrinterCollector>(); }

}  // namespace estate::agent
