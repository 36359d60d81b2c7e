// LiveSession: the SnmpSession of one real device over net-snmp's
// single-session API (snmp_sess_open / snmp_sess_async_send). It owns one
// net-snmp session per context (community@VLAN or v3 context name), opened on
// first use. Answers arrive when the owning SnmpEngine calls Read/Timeouts from
// its event loop. This is the only place net-snmp errors become Status.
// Not thread-safe: owned and driven by one engine thread.
#ifndef ESTATE_PLUGINS_SNMP_LIVE_SESSION_H_
#define ESTATE_PLUGINS_SNMP_LIVE_SESSION_H_

#include <map>
#include <memory>
#include <string>

#include "plugins/snmp/credentials.h"
#include "plugins/snmp/snmp_session.h"

struct snmp_session;
struct snmp_pdu;

namespace estate::plugins::snmp {

// Initialises net-snmp once per process (no config files, no persistent state).
void InitNetSnmp();

class LiveSession : public SnmpSession {
 public:
  LiveSession(std::string address, const Credentials& credentials,
              const TransportOptions& transport);
  ~LiveSession() override;
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  void Send(const SnmpRequest& request, Callback done) override;
  std::string Version() const override { return credentials_.version; }

  // Switches to the next community of the list (closing open sessions).
  // False when there is none (or for v3).
  bool NextCommunity();
  bool HasNextCommunity() const {
    return credentials_.version != "v3" && community_index_ + 1 < credentials_.communities.size();
  }
  const std::string& community() const;

  // Event-loop hooks for SnmpEngine (fd_set is a netsnmp_large_fd_set*).
  void AddToSelect(int* max_fd, void* fd_set, struct timeval* timeout, int* block);
  void Read(void* fd_set);
  void Timeouts();
  size_t outstanding() const { return outstanding_; }

 public:
  struct Pending;

 private:
  Result<void*> Handle(const std::string& context);
  void CloseAll();
  static int OnPdu(int op, ::snmp_session* session, int reqid, ::snmp_pdu* pdu, void* magic);

  std::string address_;
  Credentials credentials_;
  TransportOptions transport_;
  size_t community_index_ = 0;
  std::map<std::string, void*> handles_;
  size_t outstanding_ = 0;
};

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_LIVE_SESSION_H_
