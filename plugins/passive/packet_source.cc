// The only file that includes libpcap: its errors become a Status here.
#include "plugins/passive/packet_source.h"

#include <pcap/pcap.h>
#include <poll.h>
#include <time.h>

namespace estate::plugins {
namespace {

constexpr const char* kCapabilityHint =
    "; capturing and sending raw frames needs CAP_NET_RAW: run as root or grant it with "
    "'setcap cap_net_raw+ep $(command -v estate-agent)'";

class PcapSource : public PacketSource {
 public:
  PcapSource(pcap_t* pcap, std::string name, bool live)
      : pcap_(pcap), name_(std::move(name)), live_(live) {
    link_type_ = pcap_datalink(pcap_);
    fd_ = live_ ? pcap_get_selectable_fd(pcap_) : -1;
  }
  ~PcapSource() override { pcap_close(pcap_); }

  int link_type() const override { return link_type_; }
  const std::string& name() const override { return name_; }

  Result<bool> Next(std::chrono::microseconds timeout, CapturedPacket* packet) override {
    for (int attempt = 0; attempt < 2; ++attempt) {
      pcap_pkthdr* header = nullptr;
      const u_char* data = nullptr;
      const int rc = pcap_next_ex(pcap_, &header, &data);
      if (rc == 1) {
        packet->timestamp_us =
            static_cast<int64_t>(header->ts.tv_sec) * 1000000 + header->ts.tv_usec;
        packet->data = Bytes(data, header->caplen);
        packet->wire_length = header->len;
        return true;
      }
      if (rc == PCAP_ERROR_BREAK) return Status::NotFound("end of capture " + name_);
      if (rc == PCAP_ERROR) {
        return Status::IoError("reading " + name_ + ": " + pcap_geterr(pcap_));
      }
      // rc == 0: no packet yet (live, non-blocking).
      if (attempt == 0 && fd_ >= 0 && timeout.count() > 0) {
        pollfd pfd{fd_, POLLIN, 0};
        const timespec ts{static_cast<time_t>(timeout.count() / 1000000),
                          static_cast<long>(timeout.count() % 1000000) * 1000};
        if (ppoll(&pfd, 1, &ts, nullptr) <= 0) return false;
      } else {
        return false;
      }
    }
    return false;
  }

  Status Inject(Bytes frame) override {
    if (!live_) return Status::Unimplemented("cannot send on a capture file");
    if (pcap_inject(pcap_, frame.data(), frame.size()) < 0) {
      return Status::IoError("sending on " + name_ + ": " + pcap_geterr(pcap_));
    }
    return Status::Ok();
  }

  Status SetFilter(std::string_view expression) override {
    bpf_program program;
    const std::string text(expression);
    if (pcap_compile(pcap_, &program, text.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      return Status::InvalidArgument("filter '" + text + "': " + pcap_geterr(pcap_));
    }
    const int rc = pcap_setfilter(pcap_, &program);
    pcap_freecode(&program);
    if (rc != 0) return Status::IoError("setting filter on " + name_ + ": " + pcap_geterr(pcap_));
    return Status::Ok();
  }

  CaptureStats stats() const override {
    pcap_stat st{};
    if (!live_ || pcap_stats(pcap_, &st) != 0) return {};
    return {st.ps_recv, st.ps_drop};
  }

 private:
  pcap_t* pcap_;
  std::string name_;
  bool live_;
  int link_type_ = 0;
  int fd_ = -1;
};

}  // namespace

Result<std::unique_ptr<PacketSource>> OpenLiveCapture(const LiveCaptureOptions& options) {
  char err[PCAP_ERRBUF_SIZE] = "";
  pcap_t* pcap = pcap_create(options.interface.c_str(), err);
  if (pcap == nullptr) return Status::IoError("opening " + options.interface + ": " + err);
  pcap_set_snaplen(pcap, options.snaplen);
  pcap_set_promisc(pcap, options.promiscuous ? 1 : 0);
  pcap_set_immediate_mode(pcap, 1);
  pcap_set_buffer_size(pcap, options.buffer_bytes);
  const int rc = pcap_activate(pcap);
  if (rc < 0) {
    std::string message = "opening " + options.interface + ": ";
    message += rc == PCAP_ERROR ? pcap_geterr(pcap) : pcap_statustostr(rc);
    pcap_close(pcap);
    if (rc == PCAP_ERROR_PERM_DENIED) return Status::PermissionDenied(message + kCapabilityHint);
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE) return Status::NotFound(message);
    return Status::IoError(message);
  }
  if (pcap_setnonblock(pcap, 1, err) != 0) {
    pcap_close(pcap);
    return Status::IoError("opening " + options.interface + ": " + err);
  }
  // Only what arrives, not the frames this process sends.
  pcap_setdirection(pcap, PCAP_D_IN);
  return std::unique_ptr<PacketSource>(new PcapSource(pcap, options.interface, true));
}

Result<std::unique_ptr<PacketSource>> OpenCaptureFile(const std::string& path) {
  char err[PCAP_ERRBUF_SIZE] = "";
  pcap_t* pcap = pcap_open_offline(path.c_str(), err);
  if (pcap == nullptr) return Status::IoError("reading " + path + ": " + err);
  return std::unique_ptr<PacketSource>(new PcapSource(pcap, path, false));
}

}  // namespace estate::plugins
