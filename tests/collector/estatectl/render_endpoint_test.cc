#include "collector/estatectl/render_endpoint.h"

#include <gtest/gtest.h>

namespace estate::collector {
namespace {

TEST(RenderEndpointFacts, PrintsOneSectionPerKindOfFact) {
  auto facts = nlohmann::json::parse(R"json({
    "monitors": [{"connector": "card0-HDMI-A-1", "manufacturer": "Dell Inc.", "model": "D1918H",
                  "serial": "KYJ231716UHE", "diagonal_inches": 18.5, "year": 2021}],
    "batteries": [{"name": "BAT0", "manufacturer": "LGC", "model": "LNV-45N1", "serial": "44853",
                   "health_percent": 87.8}],
    "security": {"root_encrypted": true, "secure_boot": "enabled", "firewalls": ["ufw"],
                 "volumes": [{"mount_point": "/", "scheme": "LUKS2", "encrypted": true},
                             {"mount_point": "/boot"}]},
    "printers": [{"queue": "Aviatar", "host": "10.20.30.45",
                  "make_model": "KONICA MINOLTA C554SeriesPS(P)"}],
    "guests": [{"kind": "libvirt", "name": "upstream", "state": "running",
                "macs": ["52:54:00:36:bd:3b"], "ips": ["192.168.122.45"]}],
    "linked_assets": {"printer:Aviatar": "A-000042", "guest:upstream": "A-000043"}
})json");
  const std::string out = RenderEndpointFacts("n-1", facts);
  for (const char* expected :
       {"Monitors reported by n-1:", "KYJ231716UHE", "18.5", "Batteries reported by n-1:", "87.8",
        "Security posture reported by n-1:", "root encrypted  yes", "tpm             none",
        "firewall        ufw", "auto updates    no", "volume /        LUKS2",
        "volume /boot    not encrypted", "Printers reported by n-1:", "10.20.30.45  A-000042",
        "Guests reported by n-1:", "upstream  A-000043", "52:54:00:36:bd:3b", "192.168.122.45"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << " in\n" << out;
  }
}

TEST(RenderEndpointFacts, PrintsNothingForAHostWithoutThem) {
  EXPECT_EQ(RenderEndpointFacts("n-1", nlohmann::json::parse(R"({"hostname": "srv"})")), "");
}

}  // namespace
}  // namespace estate::collector
