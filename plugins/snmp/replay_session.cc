#include "plugins/snmp/replay_session.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "plugins/snmp/walk_parser.h"

namespace estate::plugins::snmp {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::FromErrno("opening " + path, errno);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError("reading " + path);
  return ss.str();
}

ReplaySession::ReplaySession(std::vector<VarBind> varbinds, std::string version)
    : version_(std::move(version)) {
  AddContext("", std::move(varbinds));
}

void ReplaySession::AddContext(const std::string& context, std::vector<VarBind> varbinds) {
  auto& map = contexts_[context];
  for (auto& vb : varbinds) {
    Oid key = vb.oid;
    map.emplace(std::move(key), std::move(vb));  // first value of a duplicate wins
  }
}

void ReplaySession::Send(const SnmpRequest& request, Callback done) {
  auto ctx = contexts_.find(request.context);
  if (ctx == contexts_.end()) {
    done(Status::Unavailable("no answer (unknown context " + request.context + ")"));
    return;
  }
  const auto& map = ctx->second;
  SnmpResponse response;
  auto end_of_view = [](const Oid& oid) {
    VarBind vb;
    vb.oid = oid;
    vb.type = ValueType::kEndOfMibView;
    return vb;
  };
  for (const Oid& oid : request.oids) {
    switch (request.kind) {
      case SnmpRequest::Kind::kGet: {
        auto it = map.find(oid);
        if (it != map.end()) {
          response.varbinds.push_back(it->second);
        } else {
          VarBind vb;
          vb.oid = oid;
          vb.type = ValueType::kNoSuchInstance;
          response.varbinds.push_back(std::move(vb));
        }
        break;
      }
      case SnmpRequest::Kind::kGetNext: {
        auto it = map.upper_bound(oid);
        response.varbinds.push_back(it == map.end() ? end_of_view(oid) : it->second);
        break;
      }
      case SnmpRequest::Kind::kGetBulk: {
        auto it = map.upper_bound(oid);
        for (int i = 0; i < std::max(1, request.max_repetitions); ++i) {
          if (it == map.end()) {
            response.varbinds.push_back(end_of_view(oid));
            break;
          }
          response.varbinds.push_back(it->second);
          ++it;
        }
        break;
      }
    }
  }
  done(std::move(response));
}

Result<std::unique_ptr<ReplaySession>> ReplaySession::FromSnmprecFile(
    const std::string& path, std::vector<std::string>* warnings) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  auto parsed = ParseSnmprec(*text);
  for (auto& w : parsed.warnings) warnings->push_back(path + ": " + w);
  auto session = std::make_unique<ReplaySession>(std::move(parsed.varbinds));
  namespace fs = std::filesystem;
  fs::path p(path);
  const std::string prefix = p.stem().string() + "@";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(p.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix) || entry.path().extension() != ".snmprec") continue;
    const std::string context = entry.path().stem().string().substr(prefix.size());
    auto ctx_text = ReadWholeFile(entry.path().string());
    if (!ctx_text.ok()) return ctx_text.status();
    auto ctx = ParseSnmprec(*ctx_text);
    for (auto& w : ctx.warnings) warnings->push_back(name + ": " + w);
    session->AddContext(context, std::move(ctx.varbinds));
  }
  return session;
}

Result<std::unique_ptr<ReplaySession>> ReplaySession::FromWalkFile(
    const std::string& path, std::vector<std::string>* warnings) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  auto parsed = ParseSnmpWalk(*text);
  for (auto& w : parsed.warnings) warnings->push_back(path + ": " + w);
  // A walk that goes backwards was taken from an agent with a loop; say so.
  for (size_t i = 1; i < parsed.varbinds.size(); ++i) {
    if (!(parsed.varbinds[i - 1].oid < parsed.varbinds[i].oid)) {
      warnings->push_back(path + ": OIDs not increasing at " + parsed.varbinds[i].oid.ToString() +
                          " (after " + parsed.varbinds[i - 1].oid.ToString() +
                          "); the rest of the file is ignored");
      parsed.varbinds.resize(i);
      break;
    }
  }
  return std::make_unique<ReplaySession>(std::move(parsed.varbinds));
}

}  // namespace estate::plugins::snmp
