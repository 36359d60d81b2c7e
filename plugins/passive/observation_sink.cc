#include "plugins/passive/observation_sink.h"

#include <unistd.h>

#include <chrono>
#include <thread>

#include "estate/collector_config.h"
#include "estate/proto_json.h"

namespace estate::plugins {
namespace {

class JsonLinesSink : public ObservationSink {
 public:
  explicit JsonLinesSink(std::FILE* out) : out_(out) {}
  Status Add(v1::Observation o) override {
    const std::string line = ProtoToJson(o).dump() + "\n";
    if (std::fputs(line.c_str(), out_) < 0) return Status::IoError("writing JSON lines");
    std::fflush(out_);
    return Status::Ok();
  }
  Status Flush() override { return Status::Ok(); }

 private:
  std::FILE* out_;
};

class TextSink : public ObservationSink {
 public:
  explicit TextSink(std::FILE* out) : out_(out) {}
  Status Add(v1::Observation o) override {
    std::string line = o.ip().empty() ? "-" : o.ip();
    line.resize(std::max<size_t>(line.size(), 16), ' ');
    line += "  " + (o.mac().empty() ? std::string("-") : o.mac());
    if (o.rtt_us() > 0) {
      char rtt[32];
      std::snprintf(rtt, sizeof rtt, "  %.2f ms", o.rtt_us() / 1000.0);
      line += rtt;
    }
    if (!o.probe().empty()) line += "  " + o.probe();
    if (!o.hostname().empty()) line += "  " + o.hostname();
    if (!o.mac().empty()) {
      line += "  " + (o.vendor().empty() ? std::string("(unknown vendor)") : o.vendor());
    }
    if (o.mac_locally_administered()) line += "  (locally administered)";
    for (const std::string& f : o.flags()) line += "  [" + f + "]";
    if (!o.previous_mac().empty()) line += " was " + o.previous_mac();
    if (!o.platform().empty()) line += "  platform: " + o.platform();
    line += "\n";
    if (std::fputs(line.c_str(), out_) < 0) return Status::IoError("writing results");
    std::fflush(out_);
    return Status::Ok();
  }
  Status Flush() override { return Status::Ok(); }

 private:
  std::FILE* out_;
};

class CollectorSink : public ObservationSink {
 public:
  CollectorSink(FrameCall call, CollectorSinkOptions options)
      : call_(std::move(call)), options_(options), sequence_(options.first_sequence) {}

  Status Add(v1::Observation o) override {
    pending_.push_back(std::move(o));
    if (pending_.size() >= options_.batch_size) return Flush();
    return Status::Ok();
  }

  Status Flush() override {
    if (pending_.empty()) return Status::Ok();
    v1::Frame frame;
    v1::ObservationReport* report = frame.mutable_observations();
    report->set_sequence(sequence_);
    for (auto& o : pending_) *report->add_observations() = std::move(o);
    for (int attempt = 0;; ++attempt) {
      auto answer = call_(frame);
      if (!answer.ok()) return answer.status();
      if (answer->has_ack()) break;
      if (!answer->has_error()) {
        return Status::Corruption(
            "collector answered an observation report with neither Ack nor Error");
      }
      const v1::Error& e = answer->error();
      const bool retry =
          e.code() == v1::ERROR_CODE_UNAVAILABLE || e.code() == v1::ERROR_CODE_RATE_LIMITED;
      if (!retry || attempt >= options_.max_retries) {
        return Status::Unavailable("collector rejected observations: " + e.message());
      }
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::max<uint32_t>(e.retry_after_ms(), 100)));
    }
    pending_.clear();
    ++sequence_;
    return Status::Ok();
  }

 private:
  FrameCall call_;
  CollectorSinkOptions options_;
  uint64_t sequence_;
  std::vector<v1::Observation> pending_;
};

class ConnectedCollectorSink : public ObservationSink {
 public:
  ConnectedCollectorSink(std::unique_ptr<CollectorClient> client, size_t batch_size)
      : client_(std::move(client)) {
    CollectorSinkOptions options;
    options.batch_size = batch_size;
    options.first_sequence = client_->hello_ack().last_sequence() + 1;
    sink_ = MakeCollectorSink([this](v1::Frame f) { return client_->Call(std::move(f)); }, options);
  }
  Status Add(v1::Observation o) override { return sink_->Add(std::move(o)); }
  Status Flush() override { return sink_->Flush(); }

 private:
  std::unique_ptr<CollectorClient> client_;
  std::unique_ptr<ObservationSink> sink_;
};

}  // namespace

std::unique_ptr<ObservationSink> MakeJsonLinesSink(std::FILE* out) {
  return std::make_unique<JsonLinesSink>(out);
}

std::unique_ptr<ObservationSink> MakeTextSink(std::FILE* out) {
  return std::make_unique<TextSink>(out);
}

std::unique_ptr<ObservationSink> MakeCollectorSink(FrameCall call, CollectorSinkOptions options) {
  return std::make_unique<CollectorSink>(std::move(call), options);
}

CollectorClientOptions ScannerClientOptions(const Endpoint& collector, const HostRoot& root) {
  CollectorClientOptions options;
  options.collector = collector;
  options.kind = v1::PEER_KIND_SCANNER;
  auto machine_id = root.ReadLine("/etc/machine-id");
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  options.hostname = host;
  options.node_id = machine_id.ok() && !machine_id->empty() ? *machine_id : options.hostname;
  options.software_version = "estate-agent scanner";
  return options;
}

Result<std::unique_ptr<ObservationSink>> ConnectCollectorSink(const std::string& endpoint,
                                                              const std::string& config,
                                                              size_t batch_size) {
  auto parsed = ParseEndpoint(endpoint);
  if (!parsed.ok()) return parsed.status();
  CollectorClientOptions options = ScannerClientOptions(*parsed, HostRoot("/"));
  if (!config.empty())
    ESTATE_RETURN_IF_ERROR(ApplyCollectorConfig(config, "scanner_key", &options));
  auto client = std::make_unique<CollectorClient>(std::move(options));
  ESTATE_RETURN_IF_ERROR(client->Connect());
  return std::unique_ptr<ObservationSink>(
      std::make_unique<ConnectedCollectorSink>(std::move(client), batch_size));
}

}  // namespace estate::plugins
