// The fixture of the admin command tests: a real store and writer, commands
// run as root without sockets, and agents' and scanners' reports submitted
// as the listener would. Shared by admin_commands_test.cc and itam_test.cc.
#ifndef ESTATE_TESTS_COLLECTOR_ADMIN_ADMIN_FIXTURE_H_
#define ESTATE_TESTS_COLLECTOR_ADMIN_ADMIN_FIXTURE_H_

#include <gtest/gtest.h>

#include <cstdio>
#include <future>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/admin/admin_args.h"
#include "collector/admin/command_registry.h"
#include "collector/ingest/ingestor.h"
#include "estate/logging.h"
#include "estate/text.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {

using nlohmann::json;

inline v1::AdminRequest Request(const std::string& command, std::vector<std::string> args = {},
                                std::map<std::string, std::string> options = {}) {
  v1::AdminRequest request;
  request.set_command(command);
  for (auto& a : args) request.add_args(a);
  for (auto& [k, v] : options) (*request.mutable_options())[k] = v;
  return request;
}

class AdminCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open({dir_.path() + "/db"});
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    ingestor_ = std::make_unique<Ingestor>(*store_, GetLogger("test.ingest"));
    ASSERT_TRUE(ingestor_->Start().ok());
  }
  void TearDown() override { ingestor_->Stop(); }

  v1::AdminResponse Run(const v1::AdminRequest& request) {
    AdminContext context{*store_, counters_, *ingestor_,
                         Caller{.uid = 0, .user = "root", .role = Role::kAdmin}};
    return registry_.Execute(request, context);
  }
  json Ok(const v1::AdminRequest& request) {
    v1::AdminResponse r = Run(request);
    EXPECT_TRUE(r.ok()) << request.command() << ": " << r.error();
    return r.ok() ? json::parse(r.json()) : json();
  }
  std::string Error(const v1::AdminRequest& request) {
    v1::AdminResponse r = Run(request);
    EXPECT_FALSE(r.ok()) << request.command() << " succeeded: " << r.json();
    return r.error();
  }
  std::vector<std::string> Ids(const json& assets_answer) {
    std::vector<std::string> ids;
    for (const auto& a : assets_answer.at("assets")) ids.push_back(a.at("id"));
    return ids;
  }

  // Shadow devices, as an ARP sweep reports them: 192.0.2.N with a MAC ending in N.
  void Sighted(int count) {
    v1::Frame frame;
    auto* report = frame.mutable_observations();
    report->set_sequence(++sequence_);
    for (int i = 1; i <= count; ++i) {
      auto* obs = report->add_observations();
      obs->set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
      obs->set_ip("192.0.2." + std::to_string(i));
      char mac[32];
      std::snprintf(mac, sizeof mac, "00:1b:21:00:00:%02x", i);
      obs->set_mac(mac);
      obs->set_seen_at(UnixNow());
    }
    std::promise<v1::Frame> answer;
    ingestor_->Submit(Peer{"scanner-1", "", "", v1::PEER_KIND_SCANNER}, frame,
                      [&](v1::Frame a) { answer.set_value(std::move(a)); });
    ASSERT_TRUE(answer.get_future().get().has_ack());
  }

  // A full report from an agent node, acknowledged.
  void Reported(const std::string& node, const v1::HostFacts& facts) {
    v1::Frame frame;
    frame.mutable_full_report()->set_sequence(++sequence_);
    *frame.mutable_full_report()->mutable_facts() = facts;
    std::promise<v1::Frame> answer;
    ingestor_->Submit(Peer{node, "", "", v1::PEER_KIND_AGENT}, frame,
                      [&](v1::Frame a) { answer.set_value(std::move(a)); });
    ASSERT_TRUE(answer.get_future().get().has_ack());
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Ingestor> ingestor_;
  ServerCounters counters_;
  CommandRegistry registry_ = MakeBuiltinCommands();
  uint64_t sequence_ = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_TESTS_COLLECTOR_ADMIN_ADMIN_FIXTURE_H_
