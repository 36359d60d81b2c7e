#!/bin/sh
# The installed systemd units: `systemd-analyze verify` prints nothing, and
# `systemd-analyze security --offline=yes` rates every service at an overall
# exposure of at most 2.0 (fails above). Also: an unconfigured estate-scan
# skips its run, and the estate-dmi group setup works (as root).
# Arguments: see install_tree.sh. Exit 77 (skip) without systemd-analyze.
set -eu

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze is not installed (Debian package systemd)"
  exit 77
fi
. "$(dirname "$0")/install_tree.sh"

services="estated.service estate-agent.service estate-scan.service"
max_exposure=2.0

# verify runs each unit's start transaction and checks every Exec*= path, so
# under --root it needs the stock units (sysinit.target, ...) and /bin/sh (the
# scanner's ExecCondition=) beside ours; never overwrite our own units.
for dir in /usr/lib/systemd/system /lib/systemd/system; do
  if [ -f "$dir/sysinit.target" ]; then
    mkdir -p "$root/usr/lib/systemd/system"
    cp -rn "$dir/." "$root/usr/lib/systemd/system/"
    break
  fi
done
[ -e "$root/bin/sh" ] || { mkdir -p "$root/bin" && cp -L /bin/sh "$root/bin/sh"; }

echo "== systemd-analyze verify --root=DESTDIR $services estate-scan.timer"
# MANPATH: Documentation=man:... must name pages this install provides.
out=$(MANPATH="$root$mandir" systemd-analyze verify --root="$root" $services estate-scan.timer 2>&1) ||
  fail "systemd-analyze verify failed:
$out"
[ -z "$out" ] || fail "systemd-analyze verify is not clean:
$out"
echo "clean"

echo "== systemd-analyze security --offline=yes (at most $max_exposure each)"
for unit in $services; do
  out=$(systemd-analyze security --offline=yes --root="$root" --no-pager "$unit" 2>&1) || true
  line=$(printf '%s\n' "$out" | grep "Overall exposure level for $unit:" || true)
  [ -n "$line" ] || fail "no exposure level for $unit:
$out"
  echo "$line"
  level=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9][0-9.]*\) .*/\1/p')
  [ -n "$level" ] || fail "cannot read the exposure level in: $line"
  if ! awk -v l="$level" -v m="$max_exposure" 'BEGIN { exit !(l <= m) }'; then
    printf '%s\n' "$out" | grep '✗' >&2 || true
    fail "$unit: exposure $level is above $max_exposure"
  fi
done

echo "== estate-scan.service without targets"
scan_unit="$root$unitdir/estate-scan.service"
# The ExecCondition= command as systemd runs it ($$ is a literal $).
condition=$(sed -n 's/^ExecCondition=//p' "$scan_unit" | sed 's/\$\$/$/g')
[ -n "$condition" ] || fail "estate-scan.service has no ExecCondition="
run_condition() {  # env file -> the condition's exit status, output in $cond_out
  status=0
  cond_out=$(env -i PATH=/usr/bin:/bin sh -c 'set -a; . "$1"; set +a; eval "$2"' sh "$1" "$condition" 2>&1) ||
    status=$?
  return 0
}
run_condition "$root$configdir/scan.env"
[ "$status" -eq 1 ] || fail "the shipped scan.env must skip the run (exit 1), got $status: $cond_out"
case $cond_out in
  *"not configured, nothing scanned"*) echo "skipped: $cond_out" ;;
  *) fail "an unconfigured scan must say so, it printed: $cond_out" ;;
esac
printf 'ESTATE_SCAN_INTERFACE=eth0\nESTATE_SCAN_TARGETS="192.0.2.0/28 192.0.2.100"\n' >"$root/scan-configured.env"
run_condition "$root/scan-configured.env"
[ "$status" -eq 0 ] || fail "a configured scan must run (exit 0), got $status: $cond_out"
echo "configured: runs"

echo "== estate-dmi group (sysusers.d + tmpfiles.d) on a fake /sys"
if [ "$(id -u)" -ne 0 ]; then
  echo "not checked: changing a file's group needs root"
else
  fake=$root/fake-root
  dmi=$fake/sys/devices/virtual/dmi/id
  mkdir -p "$dmi" "$fake/sys/firmware/dmi/tables" "$fake/etc" "$fake/usr/lib"
  cp -r "$root$libdir/sysusers.d" "$root$libdir/tmpfiles.d" "$fake/usr/lib/"
  for f in product_serial product_uuid product_name; do
    echo x >"$dmi/$f" && chmod 0400 "$dmi/$f"
  done
  echo x >"$fake/sys/firmware/dmi/tables/DMI" && chmod 0400 "$fake/sys/firmware/dmi/tables/DMI"
  systemd-sysusers --root="$fake" estate-agent.conf >/dev/null 2>&1 || fail "systemd-sysusers"
  gid=$(sed -n 's/^estate-dmi:x:\([0-9]*\):.*/\1/p' "$fake/etc/group")
  [ -n "$gid" ] || fail "sysusers.d/estate-agent.conf created no estate-dmi group"
  # Missing paths (board_serial, chassis_serial here) are skipped, not errors.
  systemd-tmpfiles --root="$fake" --create estate-agent.conf || fail "systemd-tmpfiles"
  for f in "$dmi/product_serial" "$dmi/product_uuid" "$fake/sys/firmware/dmi/tables/DMI"; do
    [ "$(stat -c '%a %g' "$f")" = "440 $gid" ] || fail "$f: $(stat -c '%a %g' "$f"), want 440 $gid"
  done
  [ "$(stat -c '%a %g' "$dmi/product_name")" = "400 0" ] || fail "product_name was changed"
  echo "estate-dmi (gid $gid) reads product_serial, product_uuid, DMI table"
  # estated.service's SupplementaryGroups=estate and the default role groups.
  systemd-sysusers --root="$fake" estated.conf >/dev/null 2>&1 || fail "systemd-sysusers estated.conf"
  for g in estate estate-viewers estate-technicians estate-admins; do
    grep -q "^$g:x:[0-9]*:" "$fake/etc/group" || fail "sysusers.d/estated.conf created no group $g"
  done
  echo "estated.conf creates estate, estate-viewers, estate-technicians, estate-admins"
fi
echo "PASS"
