#!/usr/bin/env python3
"""make bench-federation helpers: a loopback fediverse for Herd to talk to.

serve: an aiohttp server that is 1,000 remote instances at once (inboxes at http://127.0.X.Y:PORT/inbox, one host
       per follower) and a few remote actors with RSA keys (http://127.0.0.1:PORT/users/N). Every delivery it
       receives is checked: Digest against the body, and the draft-cavage signature against the signer's key
       fetched from Herd. It writes a JSON report once it has `--expect` verified deliveries.
seed:  inserts the 1,000 followers (remote actors and accepted follows of Herd's instance actor) into Herd's SQLite.
send:  signs COUNT `View` activities of a Herd video by the serve step's actors (distinct ids, signed before the
       clock starts), posts each once to Herd's shared inbox, and reports the rate and the answers.
"""
import argparse, asyncio, base64, hashlib, json, os, sqlite3, sys, time, uuid
from email.utils import formatdate

import aiohttp
from aiohttp import web
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def inbox_host(n):  # 1,000 distinct hosts on loopback: 127.1.0.1 … 127.1.3.232
    return f"127.1.{(n + 1) // 256}.{(n + 1) % 256}"


def parse_signature(header):
    fields = {}
    for part in header.split(","):
        key, _, value = part.partition("=")
        fields[key.strip()] = value.strip().strip('"')
    return fields


async def serve(args):
    actors = []
    for n in range(args.actors):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        actors.append(key)
    with open(args.keys, "w") as out:
        json.dump([k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()).decode() for k in actors], out)
    keys = {}  # Herd's actor keys by key id
    stats = {"received": 0, "verified": 0, "failed": 0, "first": None, "last": None, "hosts": set()}
    done = asyncio.Event()
    session = aiohttp.ClientSession()

    async def herd_key(key_id):
        if key_id not in keys:
            async with session.get(key_id.split("#")[0], headers={"Accept": "application/activity+json"}) as r:
                doc = await r.json(content_type=None)
            keys[key_id] = serialization.load_pem_public_key(doc["publicKey"]["publicKeyPem"].encode())
        return keys[key_id]

    async def inbox(request):
        body = await request.read()
        now = time.time()
        stats["received"] += 1
        ok = False
        try:
            digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
            assert request.headers["Digest"] == digest, "digest"
            sig = parse_signature(request.headers["Signature"])
            lines = []
            for name in sig["headers"].split():
                if name == "(request-target)":
                    lines.append(f"(request-target): post {request.path_qs}")
                else:
                    lines.append(f"{name}: {request.headers[name]}")
            key = await herd_key(sig["keyId"])
            key.verify(base64.b64decode(sig["signature"]), "\n".join(lines).encode(), padding.PKCS1v15(),
                       hashes.SHA256())
            ok = True
        except Exception as error:  # noqa: BLE001 - any failure is a failed verification
            print("refused a delivery:", repr(error), file=sys.stderr)
        if ok:
            stats["verified"] += 1
            stats["hosts"].add(request.host)
            stats["first"] = stats["first"] or now
            stats["last"] = now
        else:
            stats["failed"] += 1
        if stats["verified"] >= args.expect:
            done.set()
        return web.Response(status=202 if ok else 401)

    async def actor(request):
        n = int(request.match_info["n"])
        if n >= len(actors):
            raise web.HTTPNotFound()
        url = f"http://127.0.0.1:{args.port}/users/{n}"
        pem = actors[n].public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        doc = {"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
               "id": url, "type": "Person", "preferredUsername": f"bench{n}", "inbox": url + "/inbox",
               "outbox": url + "/outbox", "followers": url + "/followers",
               "publicKey": {"id": url + "#main-key", "owner": url, "publicKeyPem": pem}}
        return web.json_response(doc, content_type="application/activity+json")

    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.router.add_post("/inbox", inbox)
    app.router.add_get("/users/{n}", actor)
    app.router.add_post("/users/{n}/inbox", lambda r: web.Response(status=202))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", args.port, backlog=2048).start()
    print("listening", flush=True)
    await done.wait()
    report = {k: (sorted(v) if isinstance(v, set) else v) for k, v in stats.items()}
    report["distinct_hosts"] = len(stats["hosts"])
    del report["hosts"]
    with open(args.report, "w") as out:
        json.dump(report, out)
    await asyncio.sleep(3600)  # keep serving actor documents for the inbound phase until killed


def seed(args):
    db = sqlite3.connect(args.database, timeout=30)
    now = time.time()
    rows = []
    follows = []
    for n in range(args.count):
        host = f"{inbox_host(n)}:{args.port}"
        url = f"http://{host}/actor"
        rows.append((url, "Application", "peertube", None, host, f"http://{host}/inbox", f"http://{host}/inbox",
                     url + "/followers", url, "unused", now))
        follows.append((url, args.following, "accepted", f"{url}/follows/1", now, now))
    with db:
        db.executemany("INSERT INTO remote_actors (url, kind, preferred_username, name, host, inbox, shared_inbox, "
                       "followers, key_id, public_key_pem, fetched_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        db.executemany("INSERT INTO follows (follower, following, state, activity_id, created_at, updated_at) "
                       "VALUES (?,?,?,?,?,?)", follows)
    print(f"seeded {args.count} followers")


def sign(args):
    keys = [serialization.load_pem_private_key(k.encode(), None) for k in json.load(open(args.keys))]
    target = "/inbox"
    host = args.herd_host
    requests = []
    for i in range(args.count):
        n = i % len(keys)
        actor = f"http://127.0.0.1:{args.port}/users/{n}"
        activity = {"@context": "https://www.w3.org/ns/activitystreams", "type": "View",
                    "id": f"{actor}/views/{uuid.uuid4()}", "actor": actor, "object": args.video}
        body = json.dumps(activity, separators=(",", ":"))
        date = formatdate(usegmt=True)
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        signing = f"(request-target): post {target}\nhost: {host}\ndate: {date}\ndigest: {digest}"
        signature = base64.b64encode(keys[n].sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
        header = (f'keyId="{actor}#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",'
                  f'signature="{signature}"')
        requests.append({"Date": date, "Digest": digest, "Signature": header, "Host": host,
                         "Content-Type": "application/activity+json", "body": body})
    print(f"signed {len(requests)} activities by {len(keys)} actors", flush=True)
    asyncio.run(send(args, requests))


async def send(args, requests):
    """Sends every signed activity once, `--concurrency` at a time over keep-alive connections; reports the rate."""
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    statuses = {}
    queue = list(reversed(requests))
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker():
            while queue:
                r = queue.pop()
                headers = {k: v for k, v in r.items() if k != "body"}
                async with session.post(f"http://{args.herd_host}/inbox", data=r["body"].encode(),
                                        headers=headers) as response:
                    await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - start
    with open(args.out, "w") as out:
        json.dump({"count": len(requests), "seconds": elapsed, "statuses": statuses}, out)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--expect", type=int, default=1000)
    p.add_argument("--actors", type=int, default=20)
    p.add_argument("--keys", required=True)
    p.add_argument("--report", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--database", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--following", required=True)
    p.add_argument("--count", type=int, default=1000)
    p = sub.add_parser("send")
    p.add_argument("--keys", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--herd-host", required=True)
    p.add_argument("--video", required=True)
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.command == "serve":
        asyncio.run(serve(args))
    elif args.command == "seed":
        seed(args)
    else:
        sign(args)


if __name__ == "__main__":
    main()
