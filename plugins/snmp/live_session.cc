#include "plugins/snmp/live_session.h"

// clang-format off
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>
// clang-format on

#include <cstring>
#include <mutex>
#include <unordered_map>

namespace estate::plugins::snmp {

void InitNetSnmp() {
  static std::once_flag once;
  std::call_once(once, [] {
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_NO_TOKEN_WARNINGS, 1);
    netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
    // No MIB modules are needed (everything is numeric); an empty MIBS list
    // keeps init_snmp from parsing the default ones. A user's MIBS is kept.
    setenv("MIBS", "", 0);
    init_snmp("estate");
    snmp_disable_log();
  });
}

struct LiveSession::Pending {
  LiveSession* self;
  Callback done;
};

namespace {
// Requests in flight, keyed by the id handed to net-snmp as callback data:
// net-snmp may answer a request more than once (v3 reports) or after its
// session is gone, and an unknown id is then simply ignored. One engine
// thread drives all sessions, hence a plain (thread-local) map.
thread_local std::unordered_map<uintptr_t, std::unique_ptr<LiveSession::Pending>> g_pending;
thread_local uintptr_t g_next_id = 1;
}  // namespace

namespace {

VarBind FromNetSnmp(const netsnmp_variable_list* v) {
  VarBind vb;
  vb.oid = Oid(std::vector<uint32_t>(v->name, v->name + v->name_length));
  switch (v->type) {
    case ASN_INTEGER:
      vb.type = ValueType::kInteger;
      vb.number = *v->val.integer;
      break;
    case ASN_OCTET_STR:
    case ASN_OPAQUE:
      vb.type = v->type == ASN_OPAQUE ? ValueType::kOpaque : ValueType::kOctetString;
      vb.bytes.assign(reinterpret_cast<const char*>(v->val.string), v->val_len);
      break;
    case ASN_OBJECT_ID:
      vb.type = ValueType::kObjectId;
      vb.oid_value =
          Oid(std::vector<uint32_t>(v->val.objid, v->val.objid + v->val_len / sizeof(oid)));
      break;
    case ASN_IPADDRESS:
      vb.type = ValueType::kIpAddress;
      vb.bytes.assign(reinterpret_cast<const char*>(v->val.string), v->val_len);
      break;
    case ASN_COUNTER:
    case ASN_GAUGE:
    case ASN_TIMETICKS:
      vb.type = v->type == ASN_COUNTER ? ValueType::kCounter32
                : v->type == ASN_GAUGE ? ValueType::kGauge32
                                       : ValueType::kTimeTicks;
      vb.number = static_cast<uint32_t>(*v->val.integer);
      break;
    case ASN_COUNTER64:
      vb.type = ValueType::kCounter64;
      vb.number = static_cast<int64_t>((static_cast<uint64_t>(v->val.counter64->high) << 32) |
                                       v->val.counter64->low);
      break;
    case SNMP_NOSUCHOBJECT:
      vb.type = ValueType::kNoSuchObject;
      break;
    case SNMP_NOSUCHINSTANCE:
      vb.type = ValueType::kNoSuchInstance;
      break;
    case SNMP_ENDOFMIBVIEW:
      vb.type = ValueType::kEndOfMibView;
      break;
    default:
      vb.type = ValueType::kNull;
  }
  return vb;
}

struct AuthProto {
  const char* name;
  oid* proto;
  size_t len;
};

}  // namespace

LiveSession::LiveSession(std::string address, const Credentials& credentials,
                         const TransportOptions& transport)
    : address_(std::move(address)), credentials_(credentials), transport_(transport) {
  InitNetSnmp();
}

LiveSession::~LiveSession() {
  CloseAll();
  std::erase_if(g_pending, [this](const auto& kv) { return kv.second->self == this; });
}

void LiveSession::CloseAll() {
  // snmp_sess_close calls the callbacks of outstanding requests? No: it frees
  // them silently, so their Pending records are released here by net-snmp's
  // free of the request list; we only track the count.
  for (auto& [context, handle] : handles_) snmp_sess_close(handle);
  handles_.clear();
}

const std::string& LiveSession::community() const {
  static const std::string kNone;
  return credentials_.communities.empty() ? kNone : credentials_.communities[community_index_];
}

bool LiveSession::NextCommunity() {
  if (credentials_.version == "v3" || community_index_ + 1 >= credentials_.communities.size()) {
    return false;
  }
  CloseAll();
  ++community_index_;
  return true;
}

Result<void*> LiveSession::Handle(const std::string& context) {
  if (auto it = handles_.find(context); it != handles_.end()) return it->second;
  netsnmp_session s;
  snmp_sess_init(&s);
  const bool v6 = address_.find(':') != std::string::npos;
  std::string peer =
      (v6 ? "udp6:[" + address_ + "]" : "udp:" + address_) + ":" + std::to_string(transport_.port);
  s.peername = peer.data();
  s.timeout = static_cast<long>(transport_.timeout_ms) * 1000L;
  s.retries = transport_.retries;
  std::string community;
  std::string context_name;
  std::string user = credentials_.user;
  if (credentials_.version == "v3") {
    s.version = SNMP_VERSION_3;
    s.securityName = user.data();
    s.securityNameLen = user.size();
    if (!context.empty()) {
      context_name = "vlan-" + context;
      s.contextName = context_name.data();
      s.contextNameLen = context_name.size();
    }
    const std::string level = credentials_.EffectiveLevel();
    s.securityLevel = level == "authPriv"     ? SNMP_SEC_LEVEL_AUTHPRIV
                      : level == "authNoPriv" ? SNMP_SEC_LEVEL_AUTHNOPRIV
                                              : SNMP_SEC_LEVEL_NOAUTH;
    if (level != "noAuthNoPriv") {
      static const AuthProto kAuth[] = {
          {"MD5", usmHMACMD5AuthProtocol, OID_LENGTH(usmHMACMD5AuthProtocol)},
          {"SHA", usmHMACSHA1AuthProtocol, OID_LENGTH(usmHMACSHA1AuthProtocol)},
          {"SHA-224", usmHMAC128SHA224AuthProtocol, OID_LENGTH(usmHMAC128SHA224AuthProtocol)},
          {"SHA-256", usmHMAC192SHA256AuthProtocol, OID_LENGTH(usmHMAC192SHA256AuthProtocol)},
          {"SHA-384", usmHMAC256SHA384AuthProtocol, OID_LENGTH(usmHMAC256SHA384AuthProtocol)},
          {"SHA-512", usmHMAC384SHA512AuthProtocol, OID_LENGTH(usmHMAC384SHA512AuthProtocol)},
      };
      for (const auto& a : kAuth) {
        if (credentials_.auth_protocol == a.name) {
          s.securityAuthProto = a.proto;
          s.securityAuthProtoLen = a.len;
        }
      }
      if (!s.securityAuthProto) return Status::InvalidArgument("unknown auth protocol");
      s.securityAuthKeyLen = USM_AUTH_KU_LEN;
      const auto& pw = credentials_.auth_password;
      if (generate_Ku(s.securityAuthProto, s.securityAuthProtoLen,
                      reinterpret_cast<const u_char*>(pw.data()), pw.size(), s.securityAuthKey,
                      &s.securityAuthKeyLen) != SNMPERR_SUCCESS) {
        return Status::InvalidArgument("cannot derive the SNMPv3 auth key");
      }
    }
    if (level == "authPriv") {
      const auto& pp = credentials_.priv_protocol;
      if (pp == "AES") {
        s.securityPrivProto = usmAESPrivProtocol;
        s.securityPrivProtoLen = OID_LENGTH(usmAESPrivProtocol);
      } else if (pp == "AES-192") {
        s.securityPrivProto = usmAES192PrivProtocol;
        s.securityPrivProtoLen = OID_LENGTH(usmAES192PrivProtocol);
      } else if (pp == "AES-256") {
        s.securityPrivProto = usmAES256PrivProtocol;
        s.securityPrivProtoLen = OID_LENGTH(usmAES256PrivProtocol);
      } else {
        s.securityPrivProto = usmDESPrivProtocol;
        s.securityPrivProtoLen = OID_LENGTH(usmDESPrivProtocol);
      }
      s.securityPrivKeyLen = USM_PRIV_KU_LEN;
      const auto& pw = credentials_.priv_password;
      if (generate_Ku(s.securityAuthProto, s.securityAuthProtoLen,
                      reinterpret_cast<const u_char*>(pw.data()), pw.size(), s.securityPrivKey,
                      &s.securityPrivKeyLen) != SNMPERR_SUCCESS) {
        return Status::InvalidArgument("cannot derive the SNMPv3 privacy key");
      }
    }
  } else {
    s.version = credentials_.version == "v1" ? SNMP_VERSION_1 : SNMP_VERSION_2c;
    community = this->community();
    if (!context.empty()) community += "@" + context;  // Cisco community indexing
    s.community = reinterpret_cast<u_char*>(community.data());
    s.community_len = community.size();
  }
  // For v3 this probes the engine ID synchronously (one round trip).
  void* handle = snmp_sess_open(&s);
  if (!handle) {
    int liberr = 0, syserr = 0;
    char* msg = nullptr;
    snmp_error(&s, &liberr, &syserr, &msg);
    std::string text = msg ? msg : "unknown error";
    free(msg);
    return Status::Unavailable("cannot open SNMP session to " + peer + ": " + text);
  }
  handles_[context] = handle;
  return handle;
}

int LiveSession::OnPdu(int op, netsnmp_session*, int, netsnmp_pdu* pdu, void* magic) {
  auto it = g_pending.find(reinterpret_cast<uintptr_t>(magic));
  if (it == g_pending.end()) return 1;
  std::unique_ptr<Pending> pending = std::move(it->second);
  g_pending.erase(it);
  --pending->self->outstanding_;
  Result<SnmpResponse> result = Status::Unavailable("no answer (timeout)");
  if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu && pdu->command == SNMP_MSG_REPORT) {
    result = Status::PermissionDenied(
        "SNMPv3 report instead of an answer (unknown user, wrong password or protocol)");
  } else if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu) {
    SnmpResponse response;
    response.error_status = static_cast<int>(pdu->errstat);
    response.error_index = static_cast<int>(pdu->errindex);
    for (auto* v = pdu->variables; v; v = v->next_variable) {
      response.varbinds.push_back(FromNetSnmp(v));
    }
    result = std::move(response);
  } else if (op == NETSNMP_CALLBACK_OP_SEND_FAILED) {
    result = Status::IoError("send failed");
  } else if (op == NETSNMP_CALLBACK_OP_DISCONNECT) {
    result = Status::Unavailable("disconnected");
  }
  pending->done(std::move(result));
  return 1;
}

void LiveSession::Send(const SnmpRequest& request, Callback done) {
  auto handle = Handle(request.context);
  if (!handle.ok()) {
    done(handle.status());
    return;
  }
  int command = request.kind == SnmpRequest::Kind::kGet       ? SNMP_MSG_GET
                : request.kind == SnmpRequest::Kind::kGetNext ? SNMP_MSG_GETNEXT
                                                              : SNMP_MSG_GETBULK;
  netsnmp_pdu* pdu = snmp_pdu_create(command);
  if (command == SNMP_MSG_GETBULK) {
    pdu->non_repeaters = 0;
    pdu->max_repetitions = MaxRepetitionsOf(request);
  }
  for (const Oid& o : request.oids) {
    std::vector<oid> arcs(o.arcs().begin(), o.arcs().end());
    snmp_add_null_var(pdu, arcs.data(), arcs.size());
  }
  const uintptr_t id = g_next_id++;
  g_pending[id] = std::make_unique<Pending>(Pending{this, std::move(done)});
  ++outstanding_;
  if (snmp_sess_async_send(*handle, pdu, &LiveSession::OnPdu, reinterpret_cast<void*>(id)) == 0) {
    --outstanding_;
    snmp_free_pdu(pdu);
    auto owned = std::move(g_pending[id]);
    g_pending.erase(id);
    owned->done(Status::IoError("cannot send SNMP request to " + address_));
  }
}

void LiveSession::AddToSelect(int* max_fd, void* fd_set, struct timeval* timeout, int* block) {
  for (auto& [context, handle] : handles_) {
    snmp_sess_select_info2_flags(handle, max_fd, static_cast<netsnmp_large_fd_set*>(fd_set),
                                 timeout, block, NETSNMP_SELECT_NOALARMS);
  }
}

void LiveSession::Read(void* fd_set) {
  auto* fds = static_cast<netsnmp_large_fd_set*>(fd_set);
  for (auto& [context, handle] : handles_) {
    netsnmp_transport* t = snmp_sess_transport(handle);
    if (t && t->sock >= 0 && netsnmp_large_fd_is_set(t->sock, fds)) snmp_sess_read2(handle, fds);
  }
}

void LiveSession::Timeouts() {
  for (auto& [context, handle] : handles_) snmp_sess_timeout(handle);
}

}  // namespace estate::plugins::snmp
