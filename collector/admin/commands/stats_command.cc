// estatectl stats: the collector's counters and store size.
#include <chrono>

#include "collector/admin/admin_command.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"

namespace estate::collector {
namespace {

class StatsCommand : public AdminCommand {
 public:
  std::string Name() const override { return "stats"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "stats",
        "Events and operations",
        {{"", "", "collector counters and store size", std::vector<OptionSpec>{}, 0, 0}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest&, AdminContext& context) override {
    const auto& net = context.server_counters;
    const auto& ingest = context.ingestor.counters();
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    auto assets = CountAssets(context.store);
    if (!assets.ok()) return assets.status();
    return nlohmann::json{
        {"uptime_seconds", now - context.started_at},
        {"assets", *assets},
        // RocksDB's estimates (cheap at a million keys), listed in "estimates"
        // so no one reads them as counts.
        {"nodes", context.store.EstimateKeys(Table::kNodes)},
        {"sightings", context.store.EstimateKeys(Table::kSightings)},
        {"estimates", {"nodes", "sightings"}},
        {"store_bytes", context.store.DiskBytes()},
        {"connections_accepted", net.connections_accepted.load()},
        {"connections_active", net.connections_active.load()},
        {"connections_refused", net.connections_refused.load()},
        {"unauthenticated_over_budget", net.unauthenticated_over_budget.load()},
        {"frames_received", net.frames_received.load()},
        {"bytes_received", net.bytes_received.load()},
        {"bad_frames", net.bad_frames.load()},
        {"unknown_messages", net.unknown_messages.load()},
        {"protocol_errors", net.protocol_errors.load()},
        {"timeouts", net.timeouts.load()},
        {"handshake_timeouts", net.handshake_timeouts.load()},
        {"tls_failures", net.tls_failures.load()},
        {"enrollments", net.enrollments.load()},
        {"enroll_refused", net.enroll_refused.load()},
        {"auth_refused", net.auth_refused.load()},
        {"rate_limited", net.rate_limited.load()},
        {"revoked_sessions_closed", net.revoked_closed.load()},
        {"full_reports", ingest.full_reports.load()},
        {"delta_reports", ingest.delta_reports.load()},
        {"observation_reports", ingest.observation_reports.load()},
        {"duplicate_reports", ingest.duplicates.load()},
        {"rejected_reports", ingest.rejected.load()},
        {"overloaded_reports", ingest.overloaded.load()},
        {"commits", ingest.commits.load()},
        {"written_entries", ingest.written_entries.load()},
        {"written_bytes", ingest.written_bytes.load()},
        {"commit_failures", ingest.commit_failures.load()},
        {"queued_reports", context.ingestor.queued()},
        {"queued_bytes", context.ingestor.queued_bytes()},
        {"admin_requests", net.admin_requests.load()},
        {"admin_denied", net.admin_denied.load()},
        {"admin_timeouts", net.admin_timeouts.load()},
    };
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeStatsCommand() { return std::make_unique<StatsCommand>(); }

}  // namespace estate::collector
