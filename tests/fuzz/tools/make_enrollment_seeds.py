#!/usr/bin/env python3
"""Writes the enrollment fuzzer's seeds (tests/fuzz/corpus/enrollment/mk-*):
frame streams as an agent and a relay send them on the agent port — Enroll,
then Hello — built here because over TLS a recording proxy sees only
ciphertext. Field numbers from common/proto/estate/v1/frame.proto. Deterministic."""
import os
import struct

def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])

def field(number, value):
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint((number << 3) | 2) + varint(len(value)) + value

def frame(request_id, body_field, body):
    payload = field(1, request_id) + field(body_field, body)
    return struct.pack(">I", len(payload)) + payload

def enroll(rid, secret, node, host="ws1.corp.example", kind=1):
    return frame(rid, 17, field(1, secret) + field(2, node) + field(3, host) + field(4, kind))

def hello(rid, node, key="", multiplex=False, host="ws1.corp.example"):
    body = field(1, 1) + field(2, 1) + field(3, 1) + field(4, node) + field(5, host)
    body += field(6, "estate-agent 0.1.0") + (field(7, key) if key else b"")
    if multiplex:
        body += field(8, 1)
    return frame(rid, 10, body)

seeds = {
    # An agent's first connection: enroll with the site secret, then Hello with the key.
    "mk-agent-first-connection": enroll(1, "s", "3f2a9c0e5b7d4e21a8c6f0b1d2e3f405") +
                                 hello(2, "3f2a9c0e5b7d4e21a8c6f0b1d2e3f405"),
    "mk-wrong-secret": enroll(1, "not-the-secret", "node-x") + hello(2, "node-x"),
    "mk-key-of-another-node": enroll(1, "s", "node-a") + hello(2, "node-b"),
    "mk-hello-with-made-up-key": hello(1, "node-k", "0" * 64),
    # A relay: several nodes enrolling and saying Hello on one connection;
    # multiplex on the enrolled node's Hello also revokes it in the harness.
    "mk-relay-three-nodes": b"".join(enroll(2 * i + 1, "s", f"relay-node-{i}") +
                                     hello(2 * i + 2, f"relay-node-{i}", multiplex=True)
                                     for i in range(3)),
    "mk-enroll-twice": enroll(1, "s", "node-d") + enroll(2, "s", "node-d"),
    "mk-scanner": enroll(1, "s", "scanner-1", "scan.corp.example", 2) + hello(2, "scanner-1"),
}

out = os.path.join(os.path.dirname(__file__), "..", "corpus", "enrollment")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
