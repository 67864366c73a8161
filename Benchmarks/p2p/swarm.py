#!/usr/bin/python3
"""The swarms of `make bench-p2p`, driven by libtorrent (Debian's python3-libtorrent loads only under /usr/bin/python3).

  swarm.py swarm  TORRENT --out R.json [--seed-file F --seed-rate BYTES] [--seed-port P] ...
      N libtorrent clients on 127.0.0.1 join S seconds apart and stay until the last one finishes. Without
      --seed-file the torrent's own trackers and web seeds serve (Herd); with it, a libtorrent seed capped at
      --seed-rate, behind a small HTTP tracker started here, serves the same info dictionary (no web seed).
      --no-webseed (a diagnostic) drops url-list from Herd's torrent: its seeder and tracker alone.
  swarm.py single TORRENT --out R.json [--peers-only | --webseed URL]
      One uncapped client downloads the file, several times; throughput from its first payload byte to the end.
  swarm.py report A.json B.json SEEDER.json NGINX.json [HERDWEB.json] [--herd-sent BYTES]
      The summary table with the issue's targets.

The seed's share comes from the clients' own counters: everything they received that no other client sent them
(Σ payload downloaded − Σ payload uploaded) came from the seed, be it a seeder peer or a web seed.
"""
import argparse, json, os, shutil, socket, statistics, sys, threading, time, urllib.parse, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import libtorrent as lt

MiB = 1048576


def log(message):
    print(message, file=sys.stderr, flush=True)


def make_session(upload_rate=None):
    """A loopback-only, TCP-only session. With `upload_rate`, every peer (loopback too) is in the global peer class,
    so the cap applies: libtorrent exempts local addresses from limits by default."""
    settings = {
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        # TCP only: Herd's seeder has no uTP, and libtorrent's uTP manages only 4–8 MiB/s on loopback.
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        # Every peer is 127.0.0.1, on its own port.
        "allow_multiple_connections_per_ip": True,
        # libtorrent reaches a loopback tracker only at exactly /announce unless this is off; Herd's is at
        # /tracker/announce, as PeerTube's.
        "ssrf_mitigation": False,
        "rate_limit_ip_overhead": False,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
    }
    if upload_rate:
        settings["upload_rate_limit"] = int(upload_rate)
    session = lt.session(settings)
    if upload_rate:
        rules = lt.ip_filter()
        rules.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
        rules.add_rule("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 << lt.session.global_peer_class_id)
        session.set_peer_class_filter(rules)
    return session


def load(path):
    return lt.bdecode(open(path, "rb").read())


def write_torrent(meta, path, original_hash):
    """Writes a rewritten copy; the info dictionary, hence the info-hash, must not change."""
    open(path, "wb").write(lt.bencode(meta))
    info = lt.torrent_info(path)
    if str(info.info_hash()) != original_hash:
        raise SystemExit("rewriting %s changed its info-hash" % path)
    return info


def info_hash(path):
    return str(lt.torrent_info(path).info_hash())


class Tracker:
    """A plain HTTP tracker (BEP 3, compact peers BEP 23, scrape): every other peer of the swarm in each answer."""

    def __init__(self, interval=120):
        self.swarms = {}
        self.lock = threading.Lock()
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = {}
                for part in url.query.split("&"):
                    key, _, value = part.partition("=")
                    query[key] = urllib.parse.unquote_to_bytes(value)
                if url.path == "/announce":
                    body = tracker.announce(query, self.client_address[0], interval)
                elif url.path == "/scrape":
                    body = tracker.scrape(query)
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/announce" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def announce(self, query, address, interval):
        try:
            ih, pid, port, left = query["info_hash"], query["peer_id"], int(query["port"]), int(query["left"])
        except (KeyError, ValueError):
            return lt.bencode({b"failure reason": b"bad announce"})
        with self.lock:
            swarm = self.swarms.setdefault(ih, {})
            if query.get("event") == b"stopped":
                swarm.pop(pid, None)
            else:
                swarm[pid] = (address, port, left)
            peers = b"".join(socket.inet_aton(a) + p.to_bytes(2, "big") for k, (a, p, _) in swarm.items() if k != pid)
            complete = sum(1 for (_, _, l) in swarm.values() if l == 0)
        return lt.bencode({b"interval": interval, b"complete": complete, b"incomplete": len(swarm) - complete,
                           b"peers": peers})

    def scrape(self, query):
        with self.lock:
            swarm = self.swarms.get(query.get("info_hash"), {})
            complete = sum(1 for (_, _, l) in swarm.values() if l == 0)
            files = {query.get("info_hash", b""): {b"complete": complete, b"incomplete": len(swarm) - complete,
                                                   b"downloaded": 0}}
        return lt.bencode({b"files": files})

    def close(self):
        self.server.shutdown()


def scrape_complete(announce_url, hash_hex):
    """Seeds a tracker reports for the hash (BEP 48: scrape sits beside announce)."""
    scrape = announce_url.rsplit("/announce", 1)[0] + "/scrape?info_hash=" + urllib.parse.quote_from_bytes(
        bytes.fromhex(hash_hex))
    with urllib.request.urlopen(scrape, timeout=5) as response:
        files = lt.bdecode(response.read()).get(b"files", {})
    return files.get(bytes.fromhex(hash_hex), {}).get(b"complete", 0)


def drain(session, errors, label):
    for alert in session.pop_alerts():
        if alert.category() & lt.alert.category_t.error_notification:
            text = "%s: %s: %s" % (label, type(alert).__name__, alert.message())
            errors[text] = errors.get(text, 0) + 1


def run_swarm(args):
    original = load(args.torrent)
    hash_hex = info_hash(args.torrent)
    size = lt.torrent_info(args.torrent).total_size()
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    errors = {}
    seed_session = tracker = None
    meta = dict(original)
    if args.seed_file:
        # The same info dictionary behind our tracker, seeded by libtorrent from the published file.
        tracker = Tracker()
        meta[b"announce"] = tracker.url.encode()
        for key in (b"announce-list", b"url-list", b"httpseeds"):
            meta.pop(key, None)
        seed_info = write_torrent(meta, os.path.join(work, "seed.torrent"), hash_hex)
        seed_session = make_session(args.seed_rate)
        params = lt.add_torrent_params()
        params.ti = seed_info
        # The file under the torrent's name (a link), in a folder of its own.
        params.save_path = os.path.join(work, "seed")
        os.makedirs(params.save_path)
        os.symlink(os.path.abspath(args.seed_file), os.path.join(params.save_path, seed_info.files().file_path(0)))
        params.flags |= lt.torrent_flags.seed_mode
        seed_handle = seed_session.add_torrent(params)
        seed_port = seed_session.listen_port()
    else:
        # Herd's torrent as published, without the WebSocket tracker tier libtorrent cannot speak.
        if b"announce-list" in meta:
            meta[b"announce-list"] = [tier for tier in meta[b"announce-list"] if tier and tier[0].startswith(b"http")]
        if args.no_webseed:  # a diagnostic: the seeder and the tracker alone
            for key in (b"url-list", b"httpseeds"):
                meta.pop(key, None)
        seed_port = args.seed_port
    announce = meta[b"announce"].decode()
    client_info = write_torrent(meta, os.path.join(work, "client.torrent"), hash_hex)
    web_seeds = [w["url"] for w in client_info.web_seeds()]

    # The seed must be known to the tracker before the first client joins.
    deadline = time.monotonic() + 20
    while True:
        if seed_session:
            drain(seed_session, errors, "seed")
        try:
            if scrape_complete(announce, hash_hex) >= 1:
                break
        except OSError as error:
            if time.monotonic() > deadline:
                raise SystemExit("cannot scrape %s: %s" % (announce, error))
        if time.monotonic() > deadline:
            raise SystemExit("the tracker at %s lists no seed for %s" % (announce, hash_hex))
        time.sleep(0.2)

    log("%s: %d clients, %s s apart, %.1f MiB, tracker %s, web seeds %s, seed port %s" % (
        args.label, args.clients, args.stagger, size / MiB, announce, web_seeds or "none", seed_port))
    sessions, handles, joined, done = [], [], [], []
    # Bytes each client received per connection, keyed by (client, remote, local endpoint): a reconnection is a
    # new key. Sampled, so bytes received between the last sample and a disconnection are missed: exact enough for
    # the seeder's and the clients' connections, which last, not for short web seed requests (see the report).
    received = {}
    first = time.monotonic()
    deadline = first + args.timeout
    next_sample = 0
    previous = None
    resolution = 0.0  # the longest pass of this loop: how precisely a client's finish is timed
    while True:
        now = time.monotonic()
        if previous is not None:
            resolution = max(resolution, now - previous)
        previous = now
        while len(sessions) < args.clients and now >= first + len(sessions) * args.stagger:
            session = make_session()
            params = lt.add_torrent_params()
            params.ti = lt.torrent_info(os.path.join(work, "client.torrent"))
            params.save_path = os.path.join(work, "client-%d" % len(sessions))
            sessions.append(session)
            handles.append(session.add_torrent(params))
            joined.append(now - first)
            done.append(None)
        for index, handle in enumerate(handles):
            if done[index] is None and handle.status().is_seeding:
                done[index] = time.monotonic() - first
                log("  client %d done at %5.1f s (joined at %4.1f s)" % (index, done[index], joined[index]))
        if now >= next_sample:
            next_sample = now + 0.05
            for index, handle in enumerate(handles):
                for peer in handle.get_peer_info():
                    if peer.connection_type in (lt.peer_info.web_seed, lt.peer_info.http_seed):
                        kind = "web seed"
                    elif peer.ip[1] == seed_port:
                        kind = "seeder"
                    else:
                        kind = "clients"
                    received[(index, tuple(peer.ip), tuple(peer.local_endpoint), kind)] = peer.total_download
        for index, session in enumerate(sessions):
            drain(session, errors, "client %d" % index)
        if seed_session:
            drain(seed_session, errors, "seed")
        if len(sessions) == args.clients and all(d is not None for d in done):
            break
        if now > deadline:
            progress = ", ".join("%.0f%%" % (h.status().progress * 100) for h in handles)
            raise SystemExit("%s: the swarm did not finish in %d s (clients: %s); errors: %s" % (
                args.label, args.timeout, progress, json.dumps(errors, indent=1)))
        time.sleep(0.05)

    # Blocks still in flight land (as redundant bytes) before the counters are read.
    settle = time.monotonic() + 1.5
    while time.monotonic() < settle:
        for index, session in enumerate(sessions):
            drain(session, errors, "client %d" % index)
        time.sleep(0.1)
    statuses = [h.status() for h in handles]
    downloaded = sum(s.total_payload_download for s in statuses)
    uploaded = sum(s.total_payload_upload for s in statuses)
    seed_bytes = downloaded - uploaded
    breakdown = {}
    for (_, _, _, kind), count in received.items():
        breakdown[kind] = breakdown.get(kind, 0) + count
    result = {
        "label": args.label, "clients": args.clients, "stagger": args.stagger, "size": size, "hash": hash_hex,
        "downloaded": downloaded, "uploaded_by_clients": uploaded, "seed_bytes": seed_bytes,
        "share": seed_bytes / downloaded, "copies": seed_bytes / size,
        "first_done": min(done), "last_done": max(done), "resolution": resolution, "joined": joined, "done": done,
        "mean_download": statistics.mean(d - j for d, j in zip(done, joined)),
        "seed_rate": seed_bytes / max(done) / MiB, "cap": args.seed_rate / MiB,
        "redundant": sum(s.total_redundant_bytes for s in statuses),
        "failed": sum(s.total_failed_bytes for s in statuses),
        "breakdown_sampled": breakdown, "web_seeds": web_seeds,
        "errors": errors,
    }
    if seed_session:
        result["seed_reported_upload"] = seed_handle.status().total_payload_upload
    log("%s: seed share %.1f%% (%.2f copies), last client done %.1f s; of the seed's %.1f MiB, %.1f MiB came "
        "over the peer wire (sampled)%s" % (
            args.label, 100 * result["share"], result["copies"], result["last_done"], seed_bytes / MiB,
            breakdown.get("seeder", 0) / MiB, ", the rest by web seed" if web_seeds else ""))
    if result["failed"] or result["redundant"]:
        log("  hash failures %.1f MiB, redundant %.1f MiB" % (result["failed"] / MiB, result["redundant"] / MiB))
    for text, count in sorted(errors.items()):
        log("  alert x%d: %s" % (count, text))
    for session in sessions + ([seed_session] if seed_session else []):
        session.pause()
    if tracker:
        tracker.close()
    json.dump(result, open(args.out, "w"), indent=1)
    shutil.rmtree(work, ignore_errors=True)


def run_single(args):
    original = load(args.torrent)
    hash_hex = info_hash(args.torrent)
    os.makedirs(args.work, exist_ok=True)
    meta = dict(original)
    if args.peers_only:
        for key in (b"url-list", b"httpseeds"):
            meta.pop(key, None)
        if b"announce-list" in meta:
            meta[b"announce-list"] = [tier for tier in meta[b"announce-list"] if tier and tier[0].startswith(b"http")]
    else:
        for key in (b"announce", b"announce-list", b"httpseeds"):
            meta.pop(key, None)
        meta[b"url-list"] = args.webseed.encode()
    path = os.path.join(args.work, "single.torrent")
    info = write_torrent(meta, path, hash_hex)
    size = info.total_size()
    runs = []
    errors = {}
    for attempt in range(args.repeat):
        session = make_session()
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(path)
        params.save_path = os.path.join(args.work, "run-%d" % attempt)
        added = time.monotonic()
        handle = session.add_torrent(params)
        first_byte = None
        while True:
            status = handle.status()
            now = time.monotonic()
            if first_byte is None and status.total_payload_download > 0:
                first_byte = now
            if status.is_seeding:
                break
            drain(session, errors, args.label)
            if now - added > args.timeout:
                raise SystemExit("%s: not finished in %d s (%.0f%%); errors: %s" % (
                    args.label, args.timeout, status.progress * 100, json.dumps(errors, indent=1)))
            time.sleep(0.002)
        end = time.monotonic()
        received = status.total_payload_download
        runs.append({"seconds": end - added, "transfer_seconds": end - (first_byte or added),
                     "mib_s": received / MiB / (end - (first_byte or added)), "received": received})
        session.pause()
        del session
        shutil.rmtree(params.save_path, ignore_errors=True)
    rate = statistics.median(r["mib_s"] for r in runs)
    log("%s: %s MiB/s (median %.1f), %.0f ms to the first byte" % (
        args.label, ", ".join("%.1f" % r["mib_s"] for r in runs), rate,
        1000 * statistics.median(r["seconds"] - r["transfer_seconds"] for r in runs)))
    json.dump({"label": args.label, "size": size, "runs": runs, "mib_s": rate, "errors": errors},
              open(args.out, "w"), indent=1)


def run_report(args):
    herd, base, seeder, nginx = (json.load(open(p)) for p in args.results[:4])
    herd_web = json.load(open(args.results[4])) if len(args.results) > 4 else None

    def mark(ok):
        return "meets target" if ok else "MISSES TARGET"

    size = herd["size"]
    print("Swarm: %.1f MiB file, %d libtorrent clients on 127.0.0.1 joining %g s apart, staying; seed capped at "
          "4 MiB/s; floor 1 copy = %.1f%%" % (size / MiB, herd["clients"], herd["stagger"], 100 / herd["clients"]))
    print("%-12s %8s %7s %11s %11s %15s %11s" % (
        "seed", "share", "copies", "first done", "last done", "mean download", "seed MiB/s"))
    for r in (herd, base):
        print("%-12s %7.1f%% %7.2f %9.1f s %9.1f s %13.1f s %11.2f" % (
            r["label"], 100 * r["share"], r["copies"], r["first_done"], r["last_done"], r["mean_download"],
            r["seed_rate"]))
    print("  (done: seconds after the first client joined; the last one joins at %.1f s. Mean download: from a "
          "client's join to its finish.)" % max(herd["joined"]))
    seeder_bytes = herd["breakdown_sampled"].get("seeder", 0)
    print("  Herd's %.1f MiB: %.1f MiB from its seeder (peer wire, sampled per connection), %.1f MiB by web seed "
          "(the rest)" % (herd["seed_bytes"] / MiB, seeder_bytes / MiB, (herd["seed_bytes"] - seeder_bytes) / MiB))
    if args.herd_sent:
        print("  Herd's process wrote %.1f MiB to its sockets during the swarm (/proc/PID/io wchar: media, HTTP and "
              "peer-wire headers, API answers)" % (args.herd_sent / MiB))
    if herd["seed_rate"] > 1.1 * herd["cap"]:
        print("  Herd sent %.2f MiB/s on average, above its %.2f MiB/s p2p.max_upload_rate: part of its upload is "
              "not capped" % (herd["seed_rate"], herd["cap"]))
    if "seed_reported_upload" in base:
        print("  libtorrent seed's own upload counter: %.2f copies" % (base["seed_reported_upload"] / size))
    print("Herd: seed share %.1f%% (%.2f copies), last client done %.1f s: share target ≤ 15%%: %s" % (
        100 * herd["share"], herd["copies"], herd["last_done"], mark(herd["share"] <= 0.15)))
    print("libtorrent: seed share %.1f%% (%.2f copies), last client done %.1f s (reference: 19.6%%, 1.60, 21.9 s)" % (
        100 * base["share"], base["copies"], base["last_done"]))
    # Finishes are timed by polling; a difference below the slower poll's period is a tie.
    tolerance = max(herd.get("resolution", 0), base.get("resolution", 0))
    print("Herd last done / libtorrent's: %.3f× (%+.0f ms; finishes timed to %.0f ms)  target ≤ 1.00×: %s" % (
        herd["last_done"] / base["last_done"], 1000 * (herd["last_done"] - base["last_done"]), 1000 * tolerance,
        mark(herd["last_done"] <= base["last_done"] + tolerance)))
    print("Single client, uncapped: Herd seeder (peer wire only) %.1f MiB/s, nginx web seed %.1f MiB/s%s" % (
        seeder["mib_s"], nginx["mib_s"],
        ", Herd web seed %.1f MiB/s" % herd_web["mib_s"] if herd_web else ""))
    ratio = seeder["mib_s"] / nginx["mib_s"]
    print("Herd seeder / nginx web seed: %.2f×  target ≥ 0.80×: %s" % (ratio, mark(ratio >= 0.8)))
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from record import record
    record("p2p Herd seed share", 100 * herd["share"], "%", "lower")
    record("p2p Herd last done / libtorrent", herd["last_done"] / base["last_done"], "x", "lower")
    record("p2p seeder / nginx web seed", ratio, "x", "higher")
    if herd_web:
        record("p2p Herd web seed / nginx web seed", herd_web["mib_s"] / nginx["mib_s"], "x", "higher")
    for r in (herd, base, seeder, nginx) + ((herd_web,) if herd_web else ()):
        if r.get("errors"):
            print("  %s alerts: %d kinds (see the log above)" % (r["label"], len(r["errors"])))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    swarm = commands.add_parser("swarm")
    swarm.add_argument("torrent")
    swarm.add_argument("--out", required=True)
    swarm.add_argument("--work", required=True, help="scratch folder for the clients' downloads")
    swarm.add_argument("--label", default="swarm")
    swarm.add_argument("--clients", type=int, default=8)
    swarm.add_argument("--stagger", type=float, default=3.0)
    swarm.add_argument("--timeout", type=int, default=300)
    swarm.add_argument("--seed-file", help="seed this file with libtorrent behind our own tracker")
    swarm.add_argument("--seed-rate", type=int, default=4 * MiB,
                       help="the seed's cap, bytes/s: applied to the libtorrent seed, recorded for Herd")
    swarm.add_argument("--no-webseed", action="store_true", help="drop url-list from Herd's torrent (diagnostic)")
    swarm.add_argument("--seed-port", type=int, help="the seeder's port (to tell its bytes apart)")
    single = commands.add_parser("single")
    single.add_argument("torrent")
    single.add_argument("--out", required=True)
    single.add_argument("--work", required=True)
    single.add_argument("--label", default="single")
    single.add_argument("--repeat", type=int, default=15)
    single.add_argument("--timeout", type=int, default=120)
    source = single.add_mutually_exclusive_group(required=True)
    source.add_argument("--peers-only", action="store_true", help="no web seed: the tracker's peers only")
    source.add_argument("--webseed", help="no tracker: this URL as the only web seed")
    report = commands.add_parser("report")
    report.add_argument("results", nargs="+")
    report.add_argument("--herd-sent", type=int, help="bytes Herd's process wrote during its swarm (a cross-check)")
    args = parser.parse_args()
    {"swarm": run_swarm, "single": run_single, "report": run_report}[args.command](args)


if __name__ == "__main__":
    main()
