#include "agent/collectors/printer_collector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/agent/fixture_paths.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::RootPath;
using testing::TempDir;

TEST(UriHost, NamesTheNetworkDeviceOfAQueue) {
  EXPECT_EQ(UriHost("ipp://10.20.30.45/ipp/print"), "10.20.30.45");
  EXPECT_EQ(UriHost("socket://Printer-2.corp.example.com:9100"), "printer-2.corp.example.com");
  EXPECT_EQ(UriHost("ipps://[2001:db8::40]:631/ipp/print"), "[2001:db8::40]");
  EXPECT_EQ(UriHost("lpd://alice@192.0.2.7/queue"), "192.0.2.7");
  EXPECT_EQ(UriHost("smb://HUMEPARKGROUP/midgoo:midgoo@HUMEPARK/EPSONEPL.2"), "humepark");
  EXPECT_EQ(UriHost("smb://172.16.130.2/HP%20LaserJet"), "172.16.130.2");
  EXPECT_EQ(UriHost("usb://HP/LaserJet%20P1005?serial=ABC"), "");
  EXPECT_EQ(UriHost("parallel:/dev/lp0"), "");
  EXPECT_EQ(UriHost("ipp://localhost:631/printers/pdf"), "");
  EXPECT_EQ(UriHost("dnssd://HP%20OfficeJet._ipp._tcp.local/?uuid=1"), "");
}

TEST(StripUriCredentials, KeepsEverythingButUserAndPassword) {
  EXPECT_EQ(StripUriCredentials("smb://HUMEPARKGROUP/midgoo:midgoo@HUMEPARK/EPSONEPL.2"),
            "smb://HUMEPARKGROUP/HUMEPARK/EPSONEPL.2");
  EXPECT_EQ(StripUriCredentials("ipp://bob:secret@192.0.2.7/ipp"), "ipp://192.0.2.7/ipp");
  EXPECT_EQ(StripUriCredentials("ipp://192.0.2.7/ipp"), "ipp://192.0.2.7/ipp");
}

TEST(PrinterCollector, ListsTheQueuesOfCups) {
  CollectContext context{HostRoot(RootPath("endpoint-laptop")), nullptr, false, {}};
  v1::HostFacts facts;
  MakePrinterCollector()->Collect(context, &facts);
  EXPECT_EQ(facts.warnings_size(), 0);
  ASSERT_EQ(facts.printers_size(), 5);
  const auto& hp = facts.printers(0);
  EXPECT_EQ(hp.queue(), "HP-LaserJet-p2055d");
  EXPECT_TRUE(hp.is_default());
  EXPECT_EQ(hp.make_model(), "HP LaserJet p2055d pcl3, hpcups 3.18.6");
  EXPECT_EQ(hp.host(), "172.16.130.2");
  EXPECT_EQ(hp.state(), "stopped");
  EXPECT_FALSE(hp.shared());
  const auto& konica = facts.printers(1);
  EXPECT_EQ(konica.queue(), "Aviatar");
  EXPECT_FALSE(konica.is_default());
  EXPECT_EQ(konica.make_model(), "KONICA MINOLTA C554SeriesPS(P)");
  EXPECT_EQ(konica.device_uri(), "ipp://10.20.30.45/ipp/pa-7450");
  EXPECT_EQ(konica.host(), "10.20.30.45");
  EXPECT_EQ(konica.info(), "PA-7450 G250");
  EXPECT_EQ(konica.location(), "G250");
  EXPECT_TRUE(konica.shared());
  const auto& epson = facts.printers(2);
  EXPECT_EQ(epson.device_uri(), "smb://HUMEPARKGROUP/HUMEPARK/EPSONEPL.2");  // no password kept
  EXPECT_EQ(epson.host(), "humepark");
  EXPECT_EQ(epson.info(), "");
  EXPECT_EQ(facts.printers(3).host(), "pg22");
  EXPECT_EQ(facts.printers(4).host(), "");  // parallel port
  EXPECT_EQ(facts.printers(4).make_model(), "Apple Dot Matrix Foomatic/appledmp (recommended)");
}

TEST(PrinterCollector, SaysNothingWithoutCupsAndWarnsWhenUnreadable) {
  TempDir dir;
  CollectContext context{HostRoot(dir.path()), nullptr, false, {}};
  v1::HostFacts facts;
  MakePrinterCollector()->Collect(context, &facts);
  EXPECT_EQ(facts.printers_size(), 0);
  EXPECT_EQ(facts.warnings_size(), 0);
  // A directory where the file should be: read fails with something else than NotFound.
  std::filesystem::create_directories(dir.path() + "/etc/cups/printers.conf");
  MakePrinterCollector()->Collect(context, &facts);
  ASSERT_EQ(facts.warnings_size(), 1);
  EXPECT_NE(facts.warnings(0).find("printers.conf"), std::string::npos) << facts.warnings(0);
}

}  // namespace
}  // namespace estate::agent
