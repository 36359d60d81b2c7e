#!/usr/bin/env python3
"""Regenerates data/bookworm_packages.tsv, the shared package pool of estate-loadgen.

Reads a Debian `Packages` index (default: bookworm main amd64 from the apt lists)
and keeps the dependency closure (Depends, Pre-Depends, Recommends; first
alternative) of a set of common desktop and server stacks, plus the closure of
every required/important/standard package. The latter are marked `core`: every
simulated agent has them; the rest are drawn per agent.

Columns: name, version, architecture, source package, installed size (KiB),
maintainer, core (1/0). Sorted by name, so the generator's lists are canonical.

    lz4 -dc /var/lib/apt/lists/*bookworm_main_binary-amd64_Packages.lz4 > /tmp/Packages
    tests/loadgen/make_package_pool.py /tmp/Packages > tests/loadgen/data/bookworm_packages.tsv
"""
import sys

ROOTS = [
    "task-gnome-desktop", "task-kde-desktop", "task-xfce-desktop", "build-essential",
    "openssh-server", "postgresql", "nginx", "docker.io", "python3-full", "default-jdk",
    "libreoffice", "apache2", "mariadb-server", "ansible", "git", "vim", "emacs",
    "qemu-system-x86", "libvirt-daemon-system", "gimp", "inkscape", "thunderbird",
    "firefox-esr", "chromium", "golang", "cargo", "nodejs", "php", "ruby", "r-base",
    "prometheus", "grafana", "zabbix-agent", "samba", "nfs-kernel-server", "bind9",
    "isc-dhcp-server", "cups",
]


def read_packages(path):
    packages, current = {}, {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line == "\n":
                if current:
                    packages.setdefault(current["Package"], current)
                current = {}
                continue
            if line[0] in " \t":
                continue
            key, _, value = line.partition(":")
            current[key] = value.strip()
    if current:
        packages.setdefault(current["Package"], current)
    return packages


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "Packages"
    packages = read_packages(path)
    provider = {}
    for name, p in sorted(packages.items()):
        for virtual in p.get("Provides", "").split(","):
            virtual = virtual.strip().split(" ")[0]
            if virtual:
                provider.setdefault(virtual, name)

    def deps(p, fields):
        for field in fields:
            for group in p.get(field, "").split(","):
                for alternative in group.split("|"):
                    name = alternative.strip().split(" ")[0].split(":")[0]
                    if name in packages:
                        yield name
                        break
                    if name in provider:
                        yield provider[name]
                        break

    def closure(roots, fields):
        seen, stack = set(), list(roots)
        while stack:
            name = stack.pop()
            if name in seen or name not in packages:
                continue
            seen.add(name)
            stack.extend(deps(packages[name], fields))
        return seen

    essential = [n for n, p in packages.items()
                 if p.get("Priority") in ("required", "important", "standard")]
    core = closure(essential, ["Depends", "Pre-Depends"])
    pool = core | closure(ROOTS, ["Depends", "Pre-Depends", "Recommends"])
    for name in sorted(pool):
        p = packages[name]
        source = p.get("Source", "").split(" ")[0] or name
        fields = [name, p["Version"], p.get("Architecture", "amd64"), source,
                  p.get("Installed-Size", "0"), p.get("Maintainer", "").replace("\t", " "),
                  "1" if name in core else "0"]
        print("\t".join(fields))


if __name__ == "__main__":
    main()
