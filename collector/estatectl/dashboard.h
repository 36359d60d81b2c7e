// estatectl dashboard: the HTML report served live over HTTP, read-only. Each
// request draws the page afresh from the collector's read-only commands (what
// a viewer may run), and the page reloads itself, so it follows new events.
#ifndef ESTATE_COLLECTOR_ESTATECTL_DASHBOARD_H_
#define ESTATE_COLLECTOR_ESTATECTL_DASHBOARD_H_

#include <string>

#include "estate/status.h"
#include "estate/v1/admin.pb.h"

namespace estate::collector {

struct DashboardOptions {
  std::string socket_path;  // the collector's admin socket
  std::string listen;       // ADDR:PORT, loopback only
  int refresh_seconds = 60;
  // The report request (its asset filters scope the page), without --html.
  v1::AdminRequest report;
};

// Anyone who reaches the port reads what the caller's role may read, so only a
// loopback address is accepted. InvalidArgument naming the address otherwise.
Status CheckDashboardAddress(const std::string& listen);

// Serves until killed; returns only when it cannot listen.
Status RunDashboard(const DashboardOptions& options);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_DASHBOARD_H_
