#include "plugins/snmp/device_collector.h"

#include <set>

#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {

DeviceCollector::DeviceCollector(std::string ip, std::string snmp_version,
                                 const PluginRegistry& plugins,
                                 const EnterpriseRegistry* enterprises, CollectLimits limits)
    : ip_(std::move(ip)),
      version_(std::move(snmp_version)),
      plugins_(plugins),
      enterprises_(enterprises),
      limits_(std::move(limits)),
      deadline_(limits_.now() + limits_.max_time),
      repetitions_(std::max(1, limits_.max_repetitions)) {
  data_.snmp_version = version_;
}

MibView& DeviceCollector::ViewFor(const std::string& context) {
  return context.empty() ? data_.view : data_.contexts[context];
}

std::optional<SnmpRequest> DeviceCollector::NextRequest() {
  if (done_) return std::nullopt;
  if (limits_.now() > deadline_) {
    Abort("time cap of " + std::to_string(limits_.max_time.count()) +
          " ms reached; inventory incomplete");
    return std::nullopt;
  }
  SnmpRequest request;
  if (!identified_ && !identify_by_walk_) {
    request.kind = SnmpRequest::Kind::kGet;
    request.oids = IdentificationOids();
    ++requests_;
    return request;
  }
  if (!probes_.empty()) {
    request.kind = SnmpRequest::Kind::kGetNext;
    request.oids = std::move(probes_.front());
    probes_.pop_front();
    probe_request_ = request;
    ++requests_;
    return request;
  }
  if (!gets_.empty() || !nexts_.empty()) {
    // Scalars go out a few at a time: a v1 agent fails a whole GET for one
    // missing OID, and small PDUs stay under every agent's size limit.
    constexpr size_t kPerRequest = 16;
    auto& source = !gets_.empty() ? gets_ : nexts_;
    request.kind = !gets_.empty() ? SnmpRequest::Kind::kGet : SnmpRequest::Kind::kGetNext;
    for (size_t i = 0; i < kPerRequest && !source.empty(); ++i) {
      request.oids.push_back(std::move(source.front()));
      source.pop_front();
    }
    scalar_request_ = request;
    ++requests_;
    return request;
  }
  while (!current_) {
    if (queue_.empty() && !followed_up_ && identified_) {
      followed_up_ = true;
      for (auto& step : StandardFollowUp(data_)) queue_.push_back(std::move(step));
      for (const VendorPlugin* p : matched_) {
        for (auto& step : p->FollowUp(data_)) queue_.push_back(std::move(step));
      }
    }
    if (queue_.empty()) {
      done_ = true;
      return std::nullopt;
    }
    current_ = std::move(queue_.front());
    queue_.pop_front();
    last_.reset();
    step_values_ = 0;
  }
  const bool bulk = version_ != "v1";
  request.kind = bulk ? SnmpRequest::Kind::kGetBulk : SnmpRequest::Kind::kGetNext;
  request.max_repetitions = bulk ? repetitions_ : 0;
  request.oids = {last_ ? *last_ : current_->root};
  request.context = current_->context;
  ++requests_;
  return request;
}

void DeviceCollector::OnResponse(Result<SnmpResponse> response) {
  if (done_) return;
  if (probe_request_) {
    if (response.ok()) {
      OnProbes(*response);
    } else {
      // Unanswered probes only leave the families they would confirm unknown.
      warnings_.push_back("no answer to the definitions' probes: " + response.status().message());
      probe_request_.reset();
    }
    if (probes_.empty() && !probe_request_) PlanScalars();
    return;
  }
  if (!response.ok() && scalar_request_) {
    // Scalars the agent does not answer are only missing identity fields.
    warnings_.push_back("no answer to the definitions' scalars: " + response.status().message());
    scalar_request_.reset();
    return;
  }
  if (!response.ok()) {
    if (!identified_) {
      Abort("no SNMP answer: " + response.status().message());
      return;
    }
    std::string where = current_ ? current_->root.ToString() : "?";
    if (current_ && !current_->context.empty()) where += " (context " + current_->context + ")";
    // A context the device does not serve times out like a dead device would;
    // the default context still answered, so only that step is lost.
    if (current_ && !current_->context.empty()) {
      warnings_.push_back("no answer walking " + where + ": " + response.status().message());
      StepDone();
      return;
    }
    Abort("no answer walking " + where + " after " + std::to_string(step_values_) +
          " values: " + response.status().message() + "; remaining subtrees skipped");
    return;
  }
  if (!identified_ && !identify_by_walk_) {
    OnIdentify(*response);
  } else if (scalar_request_) {
    OnScalars(*response);
  } else {
    OnWalk(*response);
  }
}

void DeviceCollector::OnIdentify(SnmpResponse& response) {
  if (response.error_status != 0) {
    // v1 agents fail the whole GET when one scalar is missing: walk instead.
    identify_by_walk_ = true;
    current_ = WalkStep{oids::kSystem, ""};
    last_.reset();
    step_values_ = 0;
    return;
  }
  for (auto& vb : response.varbinds) {
    if (!vb.oid.StartsWith(oids::kSystem)) continue;
    data_.view.Insert(std::move(vb));
    ++values_;
  }
  Plan();
}

void DeviceCollector::OnScalars(SnmpResponse& response) {
  SnmpRequest request = std::move(*scalar_request_);
  scalar_request_.reset();
  if (response.error_status == 2 && response.error_index >= 1 &&
      static_cast<size_t>(response.error_index) <= request.oids.size()) {
    // v1 noSuchName: ask again without the OID the agent does not know.
    request.oids.erase(request.oids.begin() + (response.error_index - 1));
    auto& source = request.kind == SnmpRequest::Kind::kGet ? gets_ : nexts_;
    for (auto it = request.oids.rbegin(); it != request.oids.rend(); ++it) source.push_front(*it);
    return;
  }
  if (response.error_status != 0) return;
  for (size_t i = 0; i < response.varbinds.size(); ++i) {
    VarBind& vb = response.varbinds[i];
    if (vb.IsException()) continue;
    // A GETNEXT answer beyond the object asked for is some other object.
    if (request.kind == SnmpRequest::Kind::kGetNext &&
        (i >= request.oids.size() || !vb.oid.StartsWith(request.oids[i]))) {
      continue;
    }
    data_.view.Insert(std::move(vb));
    ++values_;
  }
}

void DeviceCollector::Plan() {
  identified_ = true;
  DeviceIdent ident;
  if (const VarBind* v = data_.view.Get(oids::kSysObjectId); v && v->type == ValueType::kObjectId) {
    ident.sys_object_id = v->oid_value;
  }
  if (const VarBind* v = data_.view.Get(oids::kSysDescr); v && v->type == ValueType::kOctetString) {
    ident.sys_descr = v->bytes;
  }
  matched_ = plugins_.Matching(ident);
  std::set<std::pair<Oid, std::string>> planned;
  auto push = [&](WalkStep step) {
    if (planned.insert({step.root, step.context}).second) {
      planned_.push_back(step);
      queue_.push_back(std::move(step));
    }
  };
  for (auto& step : StandardPlan()) push(std::move(step));
  for (const VendorPlugin* p : matched_) {
    for (auto& step : p->Plan(ident)) push(std::move(step));
  }
  const DefinitionSet* defs = plugins_.definitions();
  if (!defs) return;
  definitions_ = defs->Match(ident);
  // Families told apart only by the enterprise MIB they answer (many share
  // net-snmp's sysObjectID) are confirmed first, all with one GETNEXT; only
  // then are the scalars of the families that hold asked for. Asking every
  // candidate's scalars instead cost a net-snmp host several requests.
  std::vector<Oid> probes = DefinitionSet::Probes(definitions_);
  if (probes.empty()) {
    PlanScalars();
  } else {
    probes_.push_back(std::move(probes));
  }
}

void DeviceCollector::PlanScalars() {
  const DefinitionSet* defs = plugins_.definitions();
  if (!defs || confirmed_) return;
  confirmed_ = true;
  DefinitionSet::Confirm(data_.view, &definitions_);
  std::vector<Oid> gets, nexts;
  defs->Scalars(definitions_, &gets, &nexts);
  // What a walk fetches anyway costs no extra request.
  auto walked = [&](const Oid& oid) {
    for (const WalkStep& step : planned_) {
      if (step.context.empty() && oid.StartsWith(step.root) && oid != step.root) return true;
    }
    return oid.StartsWith(oids::kSystem);
  };
  for (auto& oid : gets) {
    if (!walked(oid)) gets_.push_back(std::move(oid));
  }
  for (auto& oid : nexts) {
    if (!walked(oid.Child(0)) && !oid.StartsWith(oids::kSystem)) nexts_.push_back(std::move(oid));
  }
}

void DeviceCollector::OnProbes(SnmpResponse& response) {
  SnmpRequest request = std::move(*probe_request_);
  probe_request_.reset();
  if (response.error_status == 1 && request.oids.size() > 1) {
    // tooBig: the same probes in two halves.
    const size_t half = request.oids.size() / 2;
    probes_.push_front(std::vector<Oid>(request.oids.begin() + half, request.oids.end()));
    probes_.push_front(std::vector<Oid>(request.oids.begin(), request.oids.begin() + half));
    return;
  }
  if (response.error_status == 2 && response.error_index >= 1 &&
      static_cast<size_t>(response.error_index) <= request.oids.size()) {
    // v1 noSuchName: nothing follows that probe; ask the others again.
    request.oids.erase(request.oids.begin() + (response.error_index - 1));
    if (!request.oids.empty()) probes_.push_front(std::move(request.oids));
    return;
  }
  if (response.error_status != 0) return;
  for (size_t i = 0; i < response.varbinds.size() && i < request.oids.size(); ++i) {
    VarBind& vb = response.varbinds[i];
    // The next OID after a probe is under it only when the agent holds the
    // subtree; anything else is some other object.
    if (vb.IsException() || !vb.oid.StartsWith(request.oids[i])) continue;
    data_.view.Insert(std::move(vb));
    ++values_;
  }
}

void DeviceCollector::StepDone() {
  if (current_ && current_->context.empty() &&
      current_->root.size() == kHrSWInstalledEntry.size() + 1 &&
      current_->root.StartsWith(kHrSWInstalledEntry)) {
    const uint32_t column = current_->root[kHrSWInstalledEntry.size()];
    if (column == 2 || column == 4 || column == 5) {
      MibReader reader(data_.view, &early_);
      MergeSoftwareColumn(reader, column, &early_, &software_rows_);
      data_.view.EraseSubtree(current_->root);
    }
  }
  current_.reset();
  last_.reset();
  if (identify_by_walk_ && !identified_) Plan();
}

void DeviceCollector::Abort(const std::string& warning) {
  warnings_.push_back(warning);
  queue_.clear();
  current_.reset();
  done_ = true;
}

void DeviceCollector::OnWalk(SnmpResponse& response) {
  if (!current_) return;
  const WalkStep step = *current_;
  if (response.error_status == 2 && version_ == "v1") {  // noSuchName: end of the MIB view
    StepDone();
    return;
  }
  if (response.error_status == 1) {  // tooBig: ask for fewer rows
    if (repetitions_ > 1) {
      repetitions_ = std::max(1, repetitions_ / 2);
      return;  // the same request goes out again, smaller
    }
    warnings_.push_back("agent answers tooBig walking " + step.root.ToString() + "; skipped");
    StepDone();
    return;
  }
  if (response.error_status != 0) {
    warnings_.push_back("agent error " + std::to_string(response.error_status) + " walking " +
                        step.root.ToString() + "; skipped");
    StepDone();
    return;
  }
  if (response.varbinds.empty()) {
    StepDone();
    return;
  }
  MibView& view = ViewFor(step.context);
  for (auto& vb : response.varbinds) {
    if (vb.type == ValueType::kEndOfMibView || vb.IsException() || !vb.oid.StartsWith(step.root) ||
        vb.oid == step.root) {
      StepDone();
      return;
    }
    if (last_ && !(*last_ < vb.oid)) {
      warnings_.push_back("OID not increasing walking " + step.root.ToString() + ": " +
                          vb.oid.ToString() + " after " + last_->ToString() +
                          "; walk of this subtree stopped");
      StepDone();
      return;
    }
    last_ = vb.oid;
    view.Insert(std::move(vb));
    ++values_;
    ++step_values_;
    if (values_ >= limits_.max_oids) {
      Abort("OID cap of " + std::to_string(limits_.max_oids) + " values reached walking " +
            step.root.ToString() + "; inventory incomplete");
      return;
    }
  }
}

v1::NetworkDevice DeviceCollector::Finish() {
  v1::NetworkDevice device = std::move(early_);
  device.set_ip(ip_);
  device.set_snmp_version(version_);
  device.set_scanned_at(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
  if (identified_) {
    MibReader reader(data_.view, &device);
    try {
      MapStandardMibs(data_, reader, &device);
      Oid object_id;
      if (auto oid = Oid::Parse(device.sys_object_id())) object_id = *oid;
      std::string registrant;
      if (uint32_t pen = EnterpriseOf(object_id)) {
        device.set_enterprise(pen);
        if (enterprises_) registrant = std::string(enterprises_->Lookup(pen));
        device.set_vendor(registrant);
      }
      for (const VendorPlugin* p : matched_) p->Apply(data_, reader, &device);
      if (const DefinitionSet* defs = plugins_.definitions()) {
        if (!confirmed_) DefinitionSet::Confirm(data_.view, &definitions_);
        defs->Apply(definitions_, data_.view, registrant, &device);
      }
      ClassifyGeneric(data_, reader, &device);
    } catch (const std::exception& e) {
      device.add_warnings(std::string("mapping failed: ") + e.what());
    }
  }
  for (auto& w : warnings_) device.add_warnings(std::move(w));
  return device;
}

v1::NetworkDevice CollectSync(DeviceCollector& collector, SnmpSession& session) {
  while (auto request = collector.NextRequest()) {
    std::optional<Result<SnmpResponse>> answer;
    session.Send(*request, [&](Result<SnmpResponse> r) { answer.emplace(std::move(r)); });
    if (!answer) answer.emplace(Status::Unavailable("session did not answer synchronously"));
    collector.OnResponse(std::move(*answer));
  }
  return collector.Finish();
}

}  // namespace estate::plugins::snmp
