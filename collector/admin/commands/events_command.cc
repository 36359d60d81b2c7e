// estatectl events [--since SEQ] [--kind K] [--asset A] [--limit N]: the event
// log in order; `estatectl events --follow` polls it with --since.
#include "collector/admin/admin_args.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/store/keys.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

class EventsCommand : public AdminCommand {
 public:
  std::string Name() const override { return "events"; }
  std::string Help() const override {
    return "events [--since SEQ] [--kind K] [--asset A] [--limit N] [--follow] [--end]";
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (Option(request, "end")) {
      // Where the log ends, for a follower that starts now: no events read.
      auto last = context.store.LastKey(Table::kEvents);
      if (!last.ok()) return last.status();
      const uint64_t end = last->has_value() ? EventSeqFromKey(**last) : 0;
      return nlohmann::json{{"events", nlohmann::json::array()}, {"last_seq", end}};
    }
    uint64_t since = 0, limit = 1000;
    if (auto s = Option(request, "since")) {
      auto parsed = ParseUint(*s);
      if (!parsed) return Status::InvalidArgument("--since needs an event sequence number");
      since = *parsed;
    }
    if (auto l = Option(request, "limit")) {
      auto parsed = ParseUint(*l);
      if (!parsed || *parsed == 0) return Status::InvalidArgument("--limit needs a number > 0");
      limit = std::min<uint64_t>(*parsed, 100000);
    }
    const std::string kind = OptionOr(request, "kind", "");
    const std::string asset = OptionOr(request, "asset", "");
    nlohmann::json events = nlohmann::json::array();
    uint64_t last = since;
    Status bad;
    ESTATE_RETURN_IF_ERROR(context.store.ScanFrom(
        Table::kEvents, EventKey(since + 1), [&](std::string_view, std::string_view value) {
          v1::Event e;
          if (!e.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            bad = Status::Corruption("unparsable event");
            return false;
          }
          last = e.seq();
          if ((!kind.empty() && e.kind() != kind) || (!asset.empty() && e.asset_id() != asset)) {
            return true;
          }
          nlohmann::json j = ProtoToJson(e);
          j["time"] = FormatTime(e.at());
          events.push_back(std::move(j));
          return events.size() < limit;
        }));
    ESTATE_RETURN_IF_ERROR(bad);
    return nlohmann::json{{"events", std::move(events)}, {"last_seq", last}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeEventsCommand() { return std::make_unique<EventsCommand>(); }

}  // namespace estate::collector
