#!/usr/bin/env bash
# Builds (or removes) a discovery lab: N host namespaces on one bridge, plus a
# scanner namespace, all on a benchmark test network (198.18.0.0/15, RFC 2544)
# that exists only inside these namespaces. Nothing is configured in the
# caller's own network namespace.
#
#   discovery_lab.sh up   --name P --hosts N [--spread16] [--silent K] [--manifest FILE]
#   discovery_lab.sh down --name P
#
# Namespaces: P-sw (bridge br0), P-scan (interface scan0), P-h1 .. P-hN (interface hI).
# Host i is named hI.lab.test in the scanner's /etc/netns/P-scan/hosts.
# Default layout, 198.18.0.0/24 (N <= 250): host i has 198.18.0.i; the scanner .254.
# --spread16: 198.19.0.0/16 with the hosts spread over the whole block; scanner 198.19.255.254.
# Special hosts (when N >= 8): h1 also answers for a second address; h3 takes h2's
# address (a pair sharing one IP); the last K hosts (default 3) have an address
# but never answer ARP. The manifest lists what a sweep must find:
#   answer IP MAC     one (IP, MAC) pair that answers
#   silent IP MAC     a configured address that stays silent
#   scanner IP MAC    the scanner's own interface
#   targets CIDR      the block to sweep
set -euo pipefail

usage() { sed -n '2,21p' "$0" >&2; exit 2; }
[ $# -ge 1 ] || usage
action=$1; shift
name="" hosts=20 spread16=0 silent=3 manifest=/dev/stdout
while [ $# -gt 0 ]; do
  case $1 in
    --name) name=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --spread16) spread16=1; shift ;;
    --silent) silent=$2; shift 2 ;;
    --manifest) manifest=$2; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$name" ] || usage
case $name in *[!a-zA-Z0-9]*) echo "lab name must be alphanumeric" >&2; exit 2 ;; esac

down() {
  local batch
  rm -rf "/etc/netns/$name-scan"
  batch=$(ip netns list | awk -v p="$name-" 'index($1, p) == 1 {print "netns del " $1}')
  [ -z "$batch" ] || printf '%s\n' "$batch" | ip -batch - 2>/dev/null || true
}

if [ "$action" = down ]; then down; exit 0; fi
[ "$action" = up ] || usage
[ "$(id -u)" -eq 0 ] || { echo "discovery_lab: needs root (network namespaces)" >&2; exit 77; }
ip netns list >/dev/null 2>&1 || { echo "discovery_lab: 'ip netns' is not available" >&2; exit 77; }
if [ "$spread16" -eq 0 ] && [ "$hosts" -gt 250 ]; then echo "at most 250 hosts in a /24 lab" >&2; exit 2; fi
trap 'down' ERR

# Address of host i (and of the specials) as an offset in the block.
if [ "$spread16" -eq 1 ]; then
  base_a=198; base_b=19; prefix=16; scanner_off=65534; extra_off=65533
  offset() { echo $(( 1 + ($1 * 40501) % 65532 )); }  # 40501/65532 ~ golden ratio: evenly spread
else
  base_a=198; base_b=18; prefix=24; scanner_off=254; extra_off=251
  offset() { echo "$1"; }
fi
ip_of() { echo "$base_a.$base_b.$(( $1 / 256 )).$(( $1 % 256 ))"; }
# Even hosts get an address in Xensource's OUI (a vendor to look up), odd ones a
# locally administered address.
mac_of() {
  if [ $(( $1 % 2 )) -eq 0 ]; then printf '00:16:3e:00:%02x:%02x' $(( $1 / 256 )) $(( $1 % 256 ))
  else printf '02:e5:7a:00:%02x:%02x' $(( $1 / 256 )) $(( $1 % 256 )); fi
}

sw="$name-sw"; scan="$name-scan"
{
  echo "netns add $sw"
  echo "netns add $scan"
  for i in $(seq 1 "$hosts"); do echo "netns add $name-h$i"; done
} | ip -batch -

{
  echo "link add br0 type bridge"
  echo "link set br0 addrgenmode none"
  echo "link set br0 up"
  echo "link add scan0 address 02:e5:7a:ff:ff:fe type veth peer name pscan"
  echo "link set pscan master br0 up"
  echo "link set scan0 netns $scan"
  for i in $(seq 1 "$hosts"); do
    echo "link add h$i address $(mac_of "$i") type veth peer name p$i"
    echo "link set p$i addrgenmode none"
    echo "link set p$i master br0 up"
    echo "link set h$i netns $name-h$i"
  done
} | ip -n "$sw" -batch -

# A bridge behaves like a switch, not a firewall: when br_netfilter is loaded,
# keep bridged frames out of iptables in this namespace (per-namespace sysctls).
ip netns exec "$sw" sh -c 'for f in /proc/sys/net/bridge/bridge-nf-call-*; do
  [ -e "$f" ] && echo 0 > "$f"; done; true'

specials=0; [ "$hosts" -ge 8 ] && specials=1
first_silent=$(( hosts - silent + 1 ))
{
  [ "$spread16" -eq 1 ] && echo "targets $base_a.$base_b.0.0/16" || echo "targets $base_a.$base_b.0.0/24"
  echo "scanner $(ip_of $scanner_off) 02:e5:7a:ff:ff:fe"
} > "$manifest.tmp"
for i in $(seq 1 "$hosts"); do
  off=$(offset "$i")
  [ $specials -eq 1 ] && [ "$i" -eq 3 ] && off=$(offset 2)
  mac=$(mac_of "$i")
  {
    echo "link set h$i addrgenmode none"
    echo "addr add $(ip_of "$off")/$prefix dev h$i"
    [ $specials -eq 1 ] && [ "$i" -eq 1 ] && echo "addr add $(ip_of $extra_off)/$prefix dev h$i"
    echo "link set h$i up"
  } | ip -n "$name-h$i" -batch -
  if [ $specials -eq 1 ] && [ "$i" -ge "$first_silent" ]; then
    ip netns exec "$name-h$i" sh -c 'echo 8 > /proc/sys/net/ipv4/conf/all/arp_ignore'
    echo "silent $(ip_of "$off") $mac" >> "$manifest.tmp"
  else
    echo "answer $(ip_of "$off") $mac" >> "$manifest.tmp"
    [ $specials -eq 1 ] && [ "$i" -eq 1 ] && echo "answer $(ip_of $extra_off) $mac" >> "$manifest.tmp"
  fi
done
printf '%s\n' "link set scan0 addrgenmode none" "addr add $(ip_of $scanner_off)/$prefix dev scan0" \
  "link set scan0 up" "link set lo up" | ip -n "$scan" -batch -
# Reverse DNS inside the scanner namespace comes from this hosts file ('ip netns
# exec' mounts /etc/netns/NS/* over /etc/*); the resolver points at the
# namespace's own loopback, so no lookup ever leaves the lab.
mkdir -p "/etc/netns/$scan"
echo "nameserver 127.0.0.1" > "/etc/netns/$scan/resolv.conf"
{
  echo "127.0.0.1 localhost"
  for i in $(seq 1 "$hosts"); do
    [ $specials -eq 1 ] && [ "$i" -eq 3 ] && continue
    echo "$(ip_of "$(offset "$i")") h$i.lab.test"
  done
} > "/etc/netns/$scan/hosts"
# The bridge forwards as soon as its ports are up (no STP); wait for carrier.
for _ in $(seq 1 50); do
  ip -n "$scan" link show scan0 | grep -q 'LOWER_UP' && break
  sleep 0.1
done
if [ "$manifest" = /dev/stdout ]; then cat "$manifest.tmp"; rm -f "$manifest.tmp"; else mv "$manifest.tmp" "$manifest"; fi
