// Gathers what `estatectl report --html` draws, from read-only admin commands
// over the socket: report, assets, events, shadow, compliance and show of the
// switches. The filters of the report request scope every list.
#ifndef ESTATE_COLLECTOR_ESTATECTL_HTML_REPORT_SOURCE_H_
#define ESTATE_COLLECTOR_ESTATECTL_HTML_REPORT_SOURCE_H_

#include <string>

#include "collector/estatectl/html_report.h"
#include "estate/status.h"
#include "estate/v1/admin.pb.h"

namespace estate::collector {

// `report` is the request as typed, without --html. Fails on the first
// refused or failed command, but for `compliance`, which the page shows as absent.
Result<HtmlReportData> GatherHtmlReport(const std::string& socket_path,
                                        const v1::AdminRequest& report,
                                        const HtmlReportLimits& limits = {});

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_HTML_REPORT_SOURCE_H_
