#!/usr/bin/env python3
"""Two WebTorrent-style peers against Herd's WebSocket tracker; prints what they saw as JSON.

Usage: wstracker.py WS_URL MASTER_PLAYLIST_URL
The swarm is the one PeerTube's player joins for variant 0: sha1("2" + master + "+V0") (p2p-media-loader).
Ids are 20-character binary strings, as WebTorrent sends them.
"""
import asyncio, hashlib, json, sys
import websockets

url, master = sys.argv[1], sys.argv[2]
swarm = hashlib.sha1(("2" + master + "+V0").encode()).digest().decode("latin-1")
A = b"-WW0100-aaaaaaaaaaaa".decode("latin-1")
B = b"-WW0100-bbbbbbbbbbbb".decode("latin-1")


async def recv(ws, timeout=3.0):
    try:
        return json.loads(await asyncio.wait_for(ws.recv(), timeout))
    except asyncio.TimeoutError:
        return None


def announce(peer, offers=None, **extra):
    message = {"action": "announce", "info_hash": swarm, "peer_id": peer, "uploaded": 0, "downloaded": 0,
               "left": 1000, "event": "started", "numwant": 5}
    if offers is not None:
        message["offers"] = offers
    message.update(extra)
    return json.dumps(message)


async def main():
    result = {}
    async with websockets.connect(url) as a, websockets.connect(url) as b:
        await a.send(announce(A, offers=[]))
        result["a_announce"] = await recv(a)
        offer_id = b"offer-id-0000000001".ljust(20, b"x").decode("latin-1")
        await b.send(announce(B, offers=[{"offer": {"type": "offer", "sdp": "v=0 b"}, "offer_id": offer_id}]))
        result["b_announce"] = await recv(b)
        relayed = await recv(a)
        result["a_got_offer"] = relayed is not None and relayed.get("offer", {}).get("sdp") == "v=0 b" \
            and relayed.get("peer_id") == B and relayed.get("offer_id") == offer_id
        await a.send(json.dumps({"action": "announce", "info_hash": swarm, "peer_id": A, "to_peer_id": B,
                                 "answer": {"type": "answer", "sdp": "v=0 a"}, "offer_id": offer_id}))
        answer = await recv(b)
        result["b_got_answer"] = answer is not None and answer.get("answer", {}).get("sdp") == "v=0 a" \
            and answer.get("peer_id") == A
        await a.send(json.dumps({"action": "scrape", "info_hash": swarm}))
        scrape = await recv(a)
        result["scrape"] = (scrape or {}).get("files", {}).get(swarm)
        unknown = json.loads(announce(A))
        unknown["info_hash"] = (b"\x01" * 20).decode("latin-1")
        await a.send(json.dumps(unknown))
        result["unknown"] = await recv(a)
        await a.send("{not json")
        result["malformed"] = await recv(a)
    # A flood on one connection: refused once over the rate, then closed.
    async with websockets.connect(url) as c:
        limited, closed = 0, False
        try:
            for burst in range(4):
                for i in range(100):
                    await c.send(json.dumps({"action": "scrape", "info_hash": swarm}))
                # Read what has come back, so refusals are seen before the tracker hangs up.
                while True:
                    reply = await recv(c, timeout=0.3)
                    if reply is None:
                        break
                    if "rate" in reply.get("failure reason", ""):
                        limited += 1
        except websockets.ConnectionClosed:
            closed = True
            # Frames that arrived before the close are still queued.
            try:
                while True:
                    reply = json.loads(await asyncio.wait_for(c.recv(), 0.3))
                    if "rate" in reply.get("failure reason", ""):
                        limited += 1
            except (websockets.ConnectionClosed, asyncio.TimeoutError):
                pass
        result["flood"] = {"rate_limited": limited, "closed": closed}
    # The tracker still serves a new connection afterwards.
    async with websockets.connect(url) as d:
        await d.send(json.dumps({"action": "scrape", "info_hash": swarm}))
        result["after_flood"] = await recv(d) is not None
    print(json.dumps(result))


asyncio.run(main())
