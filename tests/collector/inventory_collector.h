// A real estated with its inventory listener on loopback plaintext (token
// credentials), for the tests of foreign agents and of the GLPI export:
// POSTs as the agents send them, estatectl calls, the agents' processes.
#ifndef ESTATE_TESTS_COLLECTOR_INVENTORY_COLLECTOR_H_
#define ESTATE_TESTS_COLLECTOR_INVENTORY_COLLECTOR_H_

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/inventory/body_codec.h"
#include "tests/collector/temp_dir.h"
#include "tests/support/subprocess.h"

namespace estate::testing {

inline const std::string kInventoryToken = "0123456789abcdef-inventory-token";

class InventoryCollector : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = FreeLoopbackPort();
    inventory_port_ = FreeLoopbackPort();
    socket_ = dir_.path() + "/admin.sock";
    log_ = dir_.path() + "/estated.log";
    Write(dir_.path() + "/token", kInventoryToken + "\n");
    Write(dir_.path() + "/estated.conf",
          "inventory_listen = 127.0.0.1:" + std::to_string(inventory_port_) +
              "\ninventory_insecure_plaintext = true\ninventory_token_file = " + dir_.path() +
              "/token\n");
    ASSERT_TRUE(collector_.Start(
        {Bin("/collector/estated"), "--data-dir", dir_.path() + "/data", "--listen",
         "127.0.0.1:" + std::to_string(port_), "--admin-socket", socket_, "--insecure-plaintext",
         "--config", dir_.path() + "/estated.conf"},
        log_));
    ASSERT_TRUE(WaitFor([&] { return Ctl({"stats"}).exit_code == 0; })) << ReadTextFile(log_);
  }

  static std::string Bin(const std::string& path) { return ESTATE_BINARY_DIR + path; }
  static std::string Source(const std::string& path) { return ESTATE_SOURCE_DIR + path; }

  static void Write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(inventory_port_) + "/"; }

  // POSTs `body` as an agent would; the HTTP status (0: no answer).
  int Post(const std::string& body, const std::string& user_agent,
           const std::string& credentials = "estate:" + kInventoryToken) {
    const std::string in = dir_.path() + "/request." + std::to_string(++posts_);
    Write(in, body);
    std::vector<std::string> args = {
        "/usr/bin/curl", "-sS",   "-o",       "/dev/null", "-w",
        "%{http_code}",  "-A",    user_agent, "-H",        "Content-Type: application/x-compress",
        "--data-binary", "@" + in};
    if (!credentials.empty()) args.insert(args.end(), {"-u", credentials});
    args.push_back(Url());
    return std::atoi(RunCommand(args).out.c_str());
  }

  // A recorded inventory of tests/fixtures/third_party/glpi-inventory-format, zlib-compressed.
  int PostFixture(const std::string& name, const std::string& user_agent) {
    auto body = collector::EncodeBody(
        ReadTextFile(Source("/tests/fixtures/third_party/glpi-inventory-format/" + name)),
        collector::BodyEncoding::kZlib);
    EXPECT_TRUE(body.ok());
    return body.ok() ? Post(*body, user_agent) : 0;
  }

  CommandResult Ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {Bin("/collector/estatectl"), "--socket", socket_});
    return RunCommand(args);
  }

  nlohmann::json Json(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CommandResult r = Ctl(args);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
    return j;
  }

  TempDir dir_;
  uint16_t port_ = 0, inventory_port_ = 0;
  int posts_ = 0;
  std::string socket_, log_;
  Daemon collector_;
};

}  // namespace estate::testing

#endif  // ESTATE_TESTS_COLLECTOR_INVENTORY_COLLECTOR_H_
