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
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "events",
        "Events and operations",
        {{"", "", "shadow IT, drift and lifecycle events",
          std::vector<OptionSpec>{
              {"since", ValueKind::kNumber, "SEQ", "events after sequence number SEQ"},
              {"kind", ValueKind::kText, "KIND", "events of this kind only"},
              {"asset", ValueKind::kText, "ASSET_ID", "events of this asset only"},
              {"limit", ValueKind::kNumber, "N", "at most N events (default 1000)"},
              {"follow", ValueKind::kSwitch, "", "keep printing new events as JSON lines"},
              {"end", ValueKind::kSwitch, "",
               "only where the log ends (last_seq), to follow from now"}},
          0, 0}},
        /*list=*/true};
    return *spec;
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
    bool more = false;
    Status bad;
    ESTATE_RETURN_IF_ERROR(context.store.ScanFrom(
        Table::kEvents, EventKey(since + 1), [&](std::string_view, std::string_view value) {
          v1::Event e;
          if (!e.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            bad = Status::Corruption("unparsable event");
            return false;
          }
          if ((!kind.empty() && e.kind() != kind) || (!asset.empty() && e.asset_id() != asset)) {
            last = e.seq();
            return true;
          }
          // One past the limit: the caller is told there is more, and where to go on.
          if (events.size() == limit) {
            more = true;
            return false;
          }
          last = e.seq();
          nlohmann::json j = ProtoToJson(e);
          j["time"] = FormatTime(e.at());
          events.push_back(std::move(j));
          return true;
        }));
    ESTATE_RETURN_IF_ERROR(bad);
    return nlohmann::json{{"events", std::move(events)}, {"last_seq", last}, {"more", more}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeEventsCommand() { return std::make_unique<EventsCommand>(); }

}  // namespace estate::collector
