#include "collector/reconcile/device_inventory.h"

#include "collector/store/keys.h"
#include "collector/store/records.h"

namespace estate::collector {

std::string DeviceInventoryKey(const std::string& asset_id) {
  return FindingsKey("snmp", asset_id);
}

v1::NetworkDevice InventoryOf(const v1::NetworkDevice& device) {
  v1::NetworkDevice kept = device;
  kept.clear_fdb();
  kept.clear_arp();
  kept.clear_software();
  return kept;
}

void PutDeviceInventory(WriteBatch& batch, const std::string& asset_id,
                        const v1::NetworkDevice& device) {
  PutRecord(batch, Table::kFindings, DeviceInventoryKey(asset_id), InventoryOf(device));
}

Result<std::optional<v1::NetworkDevice>> GetDeviceInventory(ReadView& view,
                                                            const std::string& asset_id) {
  return GetRecord<v1::NetworkDevice>(view, Table::kFindings, DeviceInventoryKey(asset_id));
}

Status MoveDeviceInventory(WriteBatch& batch, const std::string& gone_id,
                           const std::string& keep_id) {
  auto gone = GetDeviceInventory(batch, gone_id);
  if (!gone.ok()) return gone.status();
  if (!gone->has_value()) return Status::Ok();
  auto keep = GetDeviceInventory(batch, keep_id);
  if (!keep.ok()) return keep.status();
  if (!keep->has_value() || (*keep)->scanned_at() < (**gone).scanned_at()) {
    PutRecord(batch, Table::kFindings, DeviceInventoryKey(keep_id), **gone);
  }
  batch.Delete(Table::kFindings, DeviceInventoryKey(gone_id));
  return Status::Ok();
}

}  // namespace estate::collector
