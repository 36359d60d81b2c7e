#!/bin/sh
# `cmake --install` puts everything in place (binaries, shared libraries and
# the scanner module, units, sysusers/tmpfiles files, default settings, man
# pages), and the installed programs run from there: each --help, then the
# installed estated with the shipped estated.conf receiving a report from the
# installed agent with the shipped agent.conf, listed by the installed estatectl.
# Arguments: see install_tree.sh.
set -eu
. "$(dirname "$0")/install_tree.sh"

echo "== installed files"
for f in \
  "$bindir/estate-agent" "$bindir/estated" "$bindir/estatectl" \
  "$pkglibdir/estate-scanners.so" "$pkglibdir/libestate_common.so" "$pkglibdir/libestate_proto.so" \
  "$unitdir/estated.service" "$unitdir/estate-agent.service" \
  "$unitdir/estate-scan.service" "$unitdir/estate-scan.timer" \
  "$libdir/sysusers.d/estate-agent.conf" "$libdir/tmpfiles.d/estate-agent.conf" \
  "$libdir/sysusers.d/estated.conf" \
  "$configdir/estated.conf" "$configdir/agent.conf" "$configdir/scan.env" \
  "$mandir/man8/estate-agent.8" "$mandir/man8/estated.8" "$mandir/man8/estatectl.8"; do
  [ -s "$root$f" ] || fail "missing: $f"
done
for f in estate-agent estated estatectl; do
  [ -x "$root$bindir/$f" ] || fail "not executable: $bindir/$f"
done
# The units run what was installed, with the settings that were installed.
grep -q "^ExecStart=$bindir/estated --config $configdir/estated.conf " "$root$unitdir/estated.service" ||
  fail "estated.service does not start $bindir/estated with $configdir/estated.conf"
grep -q "^ExecStart=$bindir/estate-agent run --config $configdir/agent.conf$" "$root$unitdir/estate-agent.service" ||
  fail "estate-agent.service does not start $bindir/estate-agent run with $configdir/agent.conf"
grep -q "^EnvironmentFile=-$configdir/scan.env$" "$root$unitdir/estate-scan.service" ||
  fail "estate-scan.service does not read $configdir/scan.env"
grep -q '^ESTATE_SCAN_TARGETS=' "$root$configdir/scan.env" &&
  fail "the shipped scan.env names targets: nothing may be scanned by default"
echo "all present"

echo "== installed binaries run from the install tree"
unset LD_LIBRARY_PATH
bin=$root$bindir
# The installed RPATH ($ORIGIN/../lib/...) must find the installed libraries.
loaded=$(ldd "$bin/estated" | sed -n 's/.*libestate_common\.so => \(.*\) (0x.*/\1/p')
[ -n "$loaded" ] && [ "$(readlink -f "$loaded")" = "$(readlink -f "$root$pkglibdir/libestate_common.so")" ] ||
  fail "installed estated loads libestate_common.so from '$loaded', not $pkglibdir"
for cmd in "estate-agent --help" "estated --help" "estatectl --help" "estate-agent run --help" \
  "estate-agent scan arp --help" "estate-agent listen --help"; do
  # `scan`/`listen` --help is printed by the installed estate-scanners.so.
  set -- $cmd
  prog=$1
  shift
  out=$("$bin/$prog" "$@" 2>&1) || fail "$cmd exited $?: $out"
  case $out in
    usage:*) echo "ok: $cmd" ;;
    *) fail "$cmd printed no usage: $out" ;;
  esac
done

echo "== installed estated + agent + estatectl with the shipped settings"
work=$root/run
mkdir -p "$work"
# The site's TLS files and enroll secret, as an admin makes them once.
"$bin/estatectl" pki init "$work/pki" --ip 127.0.0.1 >/dev/null || fail "estatectl pki init"
# The unit's flags, with this test's directories and a free port (estated
# takes no port 0: try random ones until one binds), and the TLS files.
port="" estated_pid=""
for _ in 1 2 3 4 5; do
  try=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
  rm -f "$work/admin.sock"
  "$bin/estated" --config "$root$configdir/estated.conf" --data-dir "$work/data" \
    --admin-socket "$work/admin.sock" --listen "127.0.0.1:$try" \
    --tls-cert "$work/pki/collector.pem" --tls-key "$work/pki/collector-key.pem" \
    --enroll-secret-file "$work/pki/enroll-secret" 2>"$work/estated.log" &
  estated_pid=$!
  cleanup_hooks="kill $estated_pid 2>/dev/null; wait $estated_pid 2>/dev/null"
  for _ in $(seq 100); do
    [ -S "$work/admin.sock" ] && grep -q "serving agents on 127.0.0.1:$try" "$work/estated.log" &&
      port=$try && break
    kill -0 "$estated_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] && break
  kill "$estated_pid" 2>/dev/null || true
  wait "$estated_pid" 2>/dev/null || true
done
[ -n "$port" ] || fail "estated did not start: $(cat "$work/estated.log")"
# The shipped agent.conf, with later lines pointing it at this collector and state.
cp "$root$configdir/agent.conf" "$work/agent.conf"
printf 'collector = 127.0.0.1:%s\nstate_dir = %s\nca_file = %s\nenroll_secret_file = %s\n' \
  "$port" "$work/agent-state" "$work/pki/ca.pem" "$work/pki/enroll-secret" >>"$work/agent.conf"
"$bin/estate-agent" run --config "$work/agent.conf" --once 2>"$work/agent.log" ||
  fail "estate-agent run --once did not deliver: $(cat "$work/agent.log")"
assets=$("$bin/estatectl" --socket "$work/admin.sock" --json assets) || fail "estatectl assets"
case $assets in
  *'"A-'*) echo "one report stored: $(printf '%s' "$assets" | grep -o '"A-[0-9]*"' | head -1)" ;;
  *) fail "estatectl assets shows no asset: $assets" ;;
esac
echo "PASS"
