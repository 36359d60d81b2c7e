// ReplaySession: answers requests from recorded data (an snmpwalk dump or a
// snmprec recording) the way an agent would: GetNext/GetBulk return the next
// OIDs in order, Get returns noSuchInstance for what is missing. Contexts are
// extra recordings (snmprec "NAME@VLAN" files). Answers synchronously.
#ifndef ESTATE_PLUGINS_SNMP_REPLAY_SESSION_H_
#define ESTATE_PLUGINS_SNMP_REPLAY_SESSION_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "estate/status.h"
#include "plugins/snmp/snmp_session.h"

namespace estate::plugins::snmp {

class ReplaySession : public SnmpSession {
 public:
  explicit ReplaySession(std::vector<VarBind> varbinds, std::string version = "v2c");
  void AddContext(const std::string& context, std::vector<VarBind> varbinds);

  void Send(const SnmpRequest& request, Callback done) override;
  std::string Version() const override { return version_; }

  // Loads NAME.snmprec and every NAME@VLAN.snmprec beside it. Parse warnings
  // are appended to `warnings`.
  static Result<std::unique_ptr<ReplaySession>> FromSnmprecFile(const std::string& path,
                                                                std::vector<std::string>* warnings);
  // Loads an `snmpwalk -On` dump.
  static Result<std::unique_ptr<ReplaySession>> FromWalkFile(const std::string& path,
                                                             std::vector<std::string>* warnings);

 private:
  std::string version_;
  std::map<std::string, std::map<Oid, VarBind>> contexts_;
};

Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_REPLAY_SESSION_H_
