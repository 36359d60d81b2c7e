// VarBind: one SNMP variable binding as received from an agent, a walk file or
// a recording. Octet strings keep their raw bytes; nothing is sanitized here
// (that happens where a value becomes a device field). A plain value type.
#ifndef ESTATE_PLUGINS_SNMP_VARBIND_H_
#define ESTATE_PLUGINS_SNMP_VARBIND_H_

#include <cstdint>
#include <string>

#include "plugins/snmp/oid.h"

namespace estate::plugins::snmp {

enum class ValueType {
  kInteger,
  kOctetString,
  kNull,
  kObjectId,
  kIpAddress,
  kCounter32,
  kGauge32,
  kTimeTicks,
  kOpaque,
  kCounter64,
  // Exceptions (SNMPv2): the agent has no value here.
  kNoSuchObject,
  kNoSuchInstance,
  kEndOfMibView,
};

struct VarBind {
  Oid oid;
  ValueType type = ValueType::kNull;
  std::string bytes;   // octet string, opaque; IpAddress as 4 raw bytes
  int64_t number = 0;  // integer (signed) and all unsigned kinds
  Oid oid_value;       // kObjectId

  bool IsException() const {
    return type == ValueType::kNoSuchObject || type == ValueType::kNoSuchInstance ||
           type == ValueType::kEndOfMibView;
  }
  bool IsNumeric() const {
    return type == ValueType::kInteger || type == ValueType::kCounter32 ||
           type == ValueType::kGauge32 || type == ValueType::kTimeTicks ||
           type == ValueType::kCounter64;
  }
};

const char* ValueTypeName(ValueType type);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VARBIND_H_
