#!/usr/bin/env python3
"""Bad peers against Herd's seeder; prints what happened as JSON.

Usage: abuse.py HOST PORT INFOHASH_HEX LENGTH PIECE_LENGTH [--idle N]
Checks: garbage instead of a handshake, a handshake for an unknown info-hash, a request past the end of the file
(with the fast extension: a `reject request`; without: the connection is closed), then N idle connections held
open while the caller tests that the seeder still serves (the script waits for a line on stdin before closing them).
"""
import json, select, socket, struct, sys, time

host, port, info_hash, length, piece_length = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
idle = int(sys.argv[sys.argv.index("--idle") + 1]) if "--idle" in sys.argv else 0
PEER_ID = b"-PY0001-abcdefghijkl"


def connect():
    return socket.create_connection((host, port), timeout=5)


def read_until_closed(s, limit=5.0):
    """What the seeder sends within `limit` seconds, and whether it closed the connection."""
    data, deadline = b"", time.time() + limit
    while time.time() < deadline:
        ready, _, _ = select.select([s], [], [], 0.2)
        if ready:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                return data, True
            if not chunk:
                return data, True
            data += chunk
    return data, False


def handshake(hash_bytes, fast):
    reserved = bytes([0, 0, 0, 0, 0, 0x10, 0, 0x04 if fast else 0])
    return bytes([19]) + b"BitTorrent protocol" + reserved + hash_bytes + PEER_ID


def messages(data):
    out, i = [], 0
    while i + 4 <= len(data):
        n = struct.unpack(">I", data[i:i + 4])[0]
        if i + 4 + n > len(data):
            break
        out.append(data[i + 4:i + 5 + 0] if n == 0 else data[i + 4:i + 4 + n])
        i += 4 + n
    return out


result = {}

s = connect()
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + bytes(range(256)) * 4)
got, closed = read_until_closed(s)
result["garbage"] = {"closed": closed, "bytes": len(got)}
s.close()

s = connect()
s.sendall(handshake(bytes(20), fast=True))
got, closed = read_until_closed(s)
result["unknown_hash"] = {"closed": closed, "bytes": len(got)}
s.close()

pieces = (length + piece_length - 1) // piece_length
for fast in (True, False):
    s = connect()
    s.sendall(handshake(info_hash, fast))
    time.sleep(0.3)
    s.sendall(struct.pack(">IB", 1, 2))  # interested
    time.sleep(0.3)
    # A block running past the end of the last piece.
    last = length - (pieces - 1) * piece_length
    s.sendall(struct.pack(">IBIII", 13, 6, pieces - 1, 0, last + 1))
    s.sendall(struct.pack(">IBIII", 13, 6, pieces + 5, 0, 16384))
    got, closed = read_until_closed(s, limit=3.0)
    ids = [m[0] for m in messages(got[68:]) if m]
    result["past_end_fast" if fast else "past_end_plain"] = {"closed": closed, "rejects": ids.count(0x10), "ids": ids}
    s.close()

if idle:
    held, refused = [], 0
    for _ in range(idle):
        try:
            held.append(connect())
        except OSError:
            refused += 1
    time.sleep(1.0)
    # Connections the seeder closed (refused beyond its limit) read as EOF.
    closed = 0
    for c in held:
        ready, _, _ = select.select([c], [], [], 0)
        if ready:
            try:
                if not c.recv(1):
                    closed += 1
            except OSError:
                closed += 1
    result["idle"] = {"opened": len(held), "connect_failed": refused, "closed_by_seeder": closed}
    print(json.dumps(result), flush=True)
    sys.stdin.readline()  # the caller checks the seeder still serves, then lets go
    for c in held:
        c.close()
else:
    print(json.dumps(result), flush=True)
