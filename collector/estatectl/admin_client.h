// AdminClient: estatectl's side of the admin Unix socket. Blocking, one
// request at a time, with a deadline.
#ifndef ESTATE_COLLECTOR_ESTATECTL_ADMIN_CLIENT_H_
#define ESTATE_COLLECTOR_ESTATECTL_ADMIN_CLIENT_H_

#include <string>

#include "estate/status.h"
#include "estate/v1/admin.pb.h"

namespace estate::collector {

// Unavailable (with the socket path and a hint) when no collector is serving it;
// PermissionDenied (naming the socket's group) when this user may not connect.
Result<v1::AdminResponse> CallAdmin(const std::string& socket_path, const v1::AdminRequest& request,
                                    int timeout_seconds = 120);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_ADMIN_CLIENT_H_
