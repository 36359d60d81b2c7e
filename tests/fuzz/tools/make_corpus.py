#!/usr/bin/env python3
"""Builds the seed corpora under tests/fuzz/corpus/ from real captured data:
the project's fixtures (tests/fixtures) and the shared real-world fixtures
(/work/shared/fixtures: tcpdump/Zeek pcaps, SMBIOS dumps, package databases,
LibreNMS SNMP recordings). Frames recorded from real estate-agent / estatectl
runs (record_frames.py) are kept in the corpus as they are and not rebuilt here.

Deterministic: same fixtures, same files. Seeds are cut to keep the whole
corpus a few hundred KB. usage: make_corpus.py [SHARED_FIXTURES_DIR]
"""
import glob
import os
import sqlite3
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
CORPUS = os.path.join(REPO, "tests", "fuzz", "corpus")
FIXTURES = os.path.join(REPO, "tests", "fixtures")
SHARED = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/fixtures"

MAX_SEEDS_PER_TARGET = 60
MAX_SEEDS_PER_ORIGIN = 8  # so that one long capture does not crowd out the others


class Target:
    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(CORPUS, name)
        self.seen = set()
        self.per_origin = {}
        self.count = 0
        os.makedirs(self.dir, exist_ok=True)
        for old in glob.glob(os.path.join(self.dir, "fx-*")):
            os.remove(old)

    def add(self, origin, data):
        if not data or data in self.seen or self.count >= MAX_SEEDS_PER_TARGET:
            return
        if self.per_origin.get(origin, 0) >= MAX_SEEDS_PER_ORIGIN:
            return
        self.per_origin[origin] = self.per_origin.get(origin, 0) + 1
        self.seen.add(data)
        self.count += 1
        name = "fx-%s-%d" % (os.path.basename(origin).replace("@", "_"), self.count)
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def head_lines(data, limit):
    """The first lines of a text recording, at most `limit` bytes."""
    if len(data) <= limit:
        return data
    return data[: data.rfind(b"\n", 0, limit) + 1]


def pcap_frames(path):
    """(link type, frame) of each record of a classic pcap file; pcapng is skipped."""
    data = read(path)
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        return
    link_type = struct.unpack(endian + "I", data[20:24])[0]
    pos = 24
    while pos + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[pos + 8 : pos + 12])[0]
        frame = data[pos + 16 : pos + 16 + incl]
        pos += 16 + incl
        yield link_type, frame


def link_payload(link_type, frame):
    """(ethertype or SNAP protocol, snap OUI or None, payload) after the link layer."""
    if link_type == 1:
        if len(frame) < 14:
            return None
        ether_type = struct.unpack(">H", frame[12:14])[0]
        rest = frame[14:]
        while ether_type in (0x8100, 0x88A8) and len(rest) >= 4:
            ether_type = struct.unpack(">H", rest[2:4])[0]
            rest = rest[4:]
        if ether_type <= 1500:  # 802.3 length: LLC, maybe SNAP
            if len(rest) >= 8 and rest[:3] == b"\xaa\xaa\x03":
                return struct.unpack(">H", rest[6:8])[0], rest[3:6], rest[8:]
            return None
        return ether_type, None, rest
    if link_type == 113 and len(frame) >= 16:
        return struct.unpack(">H", frame[14:16])[0], None, frame[16:]
    if link_type == 276 and len(frame) >= 20:
        return struct.unpack(">H", frame[0:2])[0], None, frame[20:]
    return None


def udp_payload(packet):
    """(src port, dst port, payload) of an IPv4 UDP packet, or None."""
    if len(packet) < 20 or packet[0] >> 4 != 4 or packet[9] != 17:
        return None
    ihl = (packet[0] & 0x0F) * 4
    udp = packet[ihl:]
    if len(udp) < 8:
        return None
    src, dst = struct.unpack(">HH", udp[:4])
    return src, dst, udp[8:]


def passive(pcaps):
    frame_t, arp_t, dhcp_t, mdns_t, neighbor_t = (Target("passive_frame"), Target("passive_arp"),
                                                  Target("passive_dhcp"), Target("passive_mdns"),
                                                  Target("passive_neighbor"))
    link_byte = {1: 0, 113: 1, 276: 2}
    for path in pcaps:
        for link_type, frame in pcap_frames(path):
            if link_type not in link_byte:
                continue
            parsed = link_payload(link_type, frame)
            if parsed is None:
                continue
            proto, oui, payload = parsed
            kind = None
            if oui is None and proto == 0x0806:
                kind = arp_t
                arp_t.add(path, payload)
            elif oui is None and proto == 0x88CC:
                kind = neighbor_t
                neighbor_t.add(path, b"\x00" + payload)
            elif oui == b"\x00\x00\x0c" and proto == 0x2000:
                kind = neighbor_t
                neighbor_t.add(path, b"\x01" + payload)
            elif oui is None and proto == 0x0800:
                udp = udp_payload(payload)
                if udp and (udp[1] in (67, 68) or udp[0] in (67, 68)):
                    kind = dhcp_t
                    dhcp_t.add(path, udp[2])
                elif udp and 5353 in (udp[0], udp[1]):
                    kind = mdns_t
                    mdns_t.add(path, udp[2])
            # Whole frames only for the traffic the analyzer decodes, a few per kind.
            if kind is not None and kind.count <= 30:
                frame_t.add(path, bytes([link_byte[link_type]]) + frame)
    return [frame_t, arp_t, dhcp_t, mdns_t, neighbor_t]


def snmp():
    device, walk = Target("snmp_device"), Target("snmp_walk")
    recordings = sorted(glob.glob(os.path.join(SHARED, "snmprec", "*.snmprec")))
    for path in recordings:
        data = read(path)
        if "@" in os.path.basename(path):
            continue  # VLAN contexts: forwarding-table fragments, in the walk seeds below
        # Identification, interfaces and the start of the vendor subtrees.
        device.add(path, head_lines(data, 8000))
        walk.add(path, head_lines(data, 2000))
    for path in recordings:
        if "@" in os.path.basename(path):
            walk.add(path, read(path))
    walk.add("hostile.walk", read(os.path.join(FIXTURES, "snmp", "hostile.walk")))
    walk.add("linux.snmpwalk",
             head_lines(read(os.path.join(FIXTURES, "third_party", "snmpsim", "linux.snmpwalk")),
                        8000))
    return [device, walk]


def packages():
    dpkg, rpm = Target("dpkg_status"), Target("rpm_header")
    for path in sorted(glob.glob(os.path.join(SHARED, "packages", "*dpkg_status*"))):
        if not path.endswith(".tsv"):
            dpkg.add(path, read(path))
    for path in sorted(glob.glob(os.path.join(FIXTURES, "roots", "*", "var", "lib", "dpkg",
                                              "status"))):
        dpkg.add(path.split(os.sep)[-5] + "-status", read(path))
    db = os.path.join(SHARED, "packages", "gorpmdb_cbl-mariner-2.0_rpmdb.sqlite")
    con = sqlite3.connect("file:%s?immutable=1" % db, uri=True)
    # The smallest headers: every tag kind appears in them, at a fraction of the bytes.
    for (blob,) in con.execute("SELECT blob FROM Packages ORDER BY length(blob) LIMIT 12"):
        rpm.add("rpmdb.sqlite", bytes(blob))
    return [dpkg, rpm]


def smbios():
    target = Target("smbios")
    for path in sorted(glob.glob(os.path.join(SHARED, "smbios", "*.dmi"))):
        target.add(path, read(path))
    for path in sorted(glob.glob(os.path.join(SHARED, "smbios", "uroot_*.bin"))):
        data = read(path)
        if len(data) <= 20000:
            target.add(path, data[0x20:])  # dmidecode --dump-bin: the table starts at 0x20
    for path in sorted(glob.glob(os.path.join(FIXTURES, "roots", "*", "sys", "firmware", "dmi",
                                              "tables", "DMI"))):
        target.add(path.split(os.sep)[-7] + "-DMI", read(path))
    return [target]


def host_files():
    target = Target("proc")
    for root in sorted(glob.glob(os.path.join(FIXTURES, "roots", "*", ""))):
        for rel in ("proc/cpuinfo", "proc/meminfo", "proc/net/route", "proc/net/ipv6_route",
                    "proc/net/tcp", "proc/net/tcp6", "proc/net/udp", "proc/mounts", "proc/stat",
                    "proc/uptime", "etc/os-release", "etc/passwd", "etc/group", "etc/hosts",
                    "etc/resolv.conf", "run/utmp"):
            path = os.path.join(root, rel)
            if os.path.isfile(path):
                target.add(os.path.basename(os.path.dirname(root)) + "-" + rel.replace("/", "_"),
                           read(path))
    return [target]


def main():
    pcaps = sorted(glob.glob(os.path.join(SHARED, "pcap", "*.pcap")))
    targets = passive(pcaps) + snmp() + packages() + smbios() + host_files()
    for t in targets:
        print("%-18s %3d seeds" % (t.name, t.count))


if __name__ == "__main__":
    main()
