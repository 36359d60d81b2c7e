#!/usr/bin/env python3
"""Records what peers send to estated: a local proxy between estate-agent (or
estatectl) and a real estated that writes each connection's client-to-collector
bytes (a length-prefixed frame stream) to OUT_DIR/<prefix>-<n>.bin.

Used once to make the seed corpora from real agent and estatectl runs (see
tests/fuzz/corpus/README.md). Loopback TCP ports or Unix socket paths only.

usage: record_frames.py LISTEN UPSTREAM OUT_DIR PREFIX
       (LISTEN, UPSTREAM: a TCP port on 127.0.0.1, or unix:PATH)
"""
import os
import socket
import sys
import threading


def pump(src, dst, sink):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if sink is not None:
                sink.write(data)
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def address(text):
    if text.startswith("unix:"):
        return socket.AF_UNIX, text[len("unix:"):]
    return socket.AF_INET, ("127.0.0.1", int(text))


def main():
    listen, upstream_address, out_dir, prefix = (address(sys.argv[1]), address(sys.argv[2]),
                                                 sys.argv[3], sys.argv[4])
    os.makedirs(out_dir, exist_ok=True)
    server = socket.socket(listen[0])
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(listen[1])
    server.listen()
    n = 0
    while True:
        client, _ = server.accept()
        upstream = socket.socket(upstream_address[0])
        upstream.connect(upstream_address[1])
        n += 1
        sink = open(os.path.join(out_dir, f"{prefix}-{n}.bin"), "wb")
        up = threading.Thread(target=pump, args=(client, upstream, sink))
        down = threading.Thread(target=pump, args=(upstream, client, None))
        up.start()
        down.start()
        up.join()
        down.join()
        sink.close()
        client.close()
        upstream.close()


if __name__ == "__main__":
    main()
