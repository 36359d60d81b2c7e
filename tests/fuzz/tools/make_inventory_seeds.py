#!/usr/bin/env python3
"""Writes the seeds of fuzz_inventory_request (tests/fuzz/corpus/inventory_request).

fx-*: real inventories of tests/fixtures/third_party/glpi-inventory-format (MIT,
glpi-project/inventory_format), cut to at most 3 entries per repeated section so the
seeds stay small. mk-*: constructed requests: the PROLOG / contact messages, and the
hostile bodies the listener must refuse (bombs, truncated streams, DOCTYPE and
entities, deep nesting, wrong encodings). Deterministic.

Mode byte (tests/fuzz/inventory_request_fuzzer.cc): bits 0-1 User-Agent
(0 FusionInventory, 1 OCS, 2 GLPI Agent, 3 none); bits 2-3 wrapping the fuzzer
applies (0 as is, 1 zlib, 2 gzip).
"""
import gzip
import os
import re
import zlib

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
FIXTURES = os.path.join(ROOT, "tests/fixtures/third_party/glpi-inventory-format")
OUT = os.path.join(ROOT, "tests/fuzz/corpus/inventory_request")

FUSION, OCS, GLPI, NONE = 0, 1, 2, 3
AS_IS, ZLIB, GZIP = 0, 4, 8


def cut_xml(text):
    """Keeps the first 3 elements of each repeated top-level CONTENT section."""
    seen = {}

    def keep(m):
        name = m.group(1)
        seen[name] = seen.get(name, 0) + 1
        return m.group(0) if seen[name] <= 3 else ""

    start = text.index("<CONTENT>") + len("<CONTENT>")
    end = text.index("</CONTENT>")
    inner = re.sub(r"<([A-Z_]+)>(?:(?!</\1>).)*</\1>\s*", keep, text[start:end], flags=re.S)
    return text[:start] + inner + text[end:]


def write(name, mode, body):
    if isinstance(body, str):
        body = body.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes([mode]) + body)


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.startswith(("fx-", "mk-")):
            os.remove(os.path.join(OUT, old))
    for name in ("12.xml", "4.xml"):
        with open(os.path.join(FIXTURES, "xml", name), encoding="utf-8") as f:
            write("fx-xml-" + name, FUSION | ZLIB, cut_xml(f.read()))
    with open(os.path.join(FIXTURES, "json", "computer_2.json"), encoding="utf-8") as f:
        doc = f.read()
    write("fx-json-computer_2", GLPI | GZIP, doc)
    write("fx-json-computer_2-plain", GLPI | AS_IS, doc)

    prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><REQUEST><DEVICEID>pc-1-2024-01-01-00-00-00" \
             "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"
    write("mk-prolog-fusion", FUSION | ZLIB, prolog)
    write("mk-prolog-ocs", OCS | ZLIB, prolog)
    write("mk-contact-glpi", GLPI | AS_IS,
          '{"action":"contact","deviceid":"pc-1","name":"GLPI-Agent_v1.7","installed-tasks":["inventory"]}')
    # Bombs: small streams inflating far past the fuzzer's 1 MiB bound.
    write("mk-zlib-bomb", FUSION | AS_IS, zlib.compress(b"<" * (8 << 20), 9))
    write("mk-gzip-bomb", GLPI | AS_IS, gzip.compress(b" " * (8 << 20), 9, mtime=0))
    whole = zlib.compress(prolog.encode(), 9)
    write("mk-zlib-truncated", FUSION | AS_IS, whole[: len(whole) // 2])
    write("mk-gzip-truncated", GLPI | AS_IS, gzip.compress(prolog.encode(), mtime=0)[:-6])
    write("mk-billion-laughs", FUSION | ZLIB,
          "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
          "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
          "<REQUEST><DEVICEID>&c;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>")
    write("mk-external-entity", FUSION | ZLIB,
          "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
          "<REQUEST><DEVICEID>&x;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>")
    write("mk-deep-xml", FUSION | ZLIB, "<REQUEST>" + "<A>" * 200 + "</A>" * 200 + "</REQUEST>")
    write("mk-deep-json", GLPI | AS_IS, '{"action":"inventory","deviceid":"d","content":' +
          "[" * 300 + "]" * 300 + "}")
    write("mk-utf16", FUSION | ZLIB,
          "<?xml version=\"1.0\" encoding=\"UTF-16\"?><REQUEST><DEVICEID>d</DEVICEID>"
          "<QUERY>PROLOG</QUERY></REQUEST>".encode("utf-16"))
    write("mk-latin1", OCS | ZLIB,
          "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><REQUEST><DEVICEID>caf\xe9</DEVICEID>"
          "<QUERY>INVENTORY</QUERY><CONTENT><HARDWARE><NAME>caf\xe9</NAME></HARDWARE>"
          "</CONTENT></REQUEST>".encode("latin-1"))
    write("mk-bad-utf8", FUSION | ZLIB,
          b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><REQUEST><DEVICEID>\xff\xfe</DEVICEID>"
          b"<QUERY>PROLOG</QUERY></REQUEST>")
    write("mk-json-bad-utf8", GLPI | GZIP,
          b'{"action":"inventory","deviceid":"d","itemtype":"Computer","content":'
          b'{"hardware":{"name":"\xc3\x28"},"versionclient":"GLPI-Agent_v1"}}')


if __name__ == "__main__":
    main()
