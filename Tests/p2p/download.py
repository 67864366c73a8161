#!/usr/bin/python3
"""Downloads a torrent with a real BitTorrent client and prints the result as JSON.

Usage: download.py CLIENT TORRENT DIR [--mode both|webseed|peers] [--timeout S]
CLIENT is aria2c, transmission or libtorrent. The mode rewrites a copy of the torrent first:
webseed drops the trackers (so the only source is the BEP 19 web seed), peers drops url-list (so the only
source is a peer from the tracker: Herd's seeder). Prints {"ok", "sha256", "seconds", "client", "mode"}.
libtorrent needs Debian's python3-libtorrent, which only loads under /usr/bin/python3.
"""
import argparse, hashlib, json, os, shutil, signal, socket, subprocess, sys, time


def bdecode(data, i=0):
    c = data[i:i + 1]
    if c == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1:end]), end + 1
    if c == b"l":
        i, out = i + 1, []
        while data[i:i + 1] != b"e":
            v, i = bdecode(data, i)
            out.append(v)
        return out, i + 1
    if c == b"d":
        i, out = i + 1, {}
        while data[i:i + 1] != b"e":
            k, i = bdecode(data, i)
            v, i = bdecode(data, i)
            out[k] = v
        return out, i + 1
    colon = data.index(b":", i)
    n = int(data[i:colon])
    return data[colon + 1:colon + 1 + n], colon + 1 + n


def bencode(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"
    raise TypeError(type(v))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rewrite(torrent, mode, directory):
    meta, _ = bdecode(open(torrent, "rb").read())
    if mode == "webseed":
        meta.pop(b"announce", None)
        meta.pop(b"announce-list", None)
    elif mode == "peers":
        meta.pop(b"url-list", None)
    # Only the HTTP tracker: these clients cannot speak the WebSocket one.
    if b"announce-list" in meta:
        meta[b"announce-list"] = [t for t in meta[b"announce-list"] if t and t[0].startswith(b"http")]
    path = os.path.join(directory, "input.torrent")
    open(path, "wb").write(bencode(meta))
    return path, meta[b"info"][b"name"].decode()


def run_aria2c(torrent, out, timeout):
    subprocess.run(
        ["aria2c", "--dir=" + out, "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
         "--enable-peer-exchange=false", "--seed-time=0", "--bt-stop-timeout=%d" % timeout, "--summary-interval=0",
         "--listen-port=%d" % free_port(), "--console-log-level=warn", "--allow-overwrite=true", torrent],
        check=True, timeout=timeout + 30, stdout=subprocess.DEVNULL)


def default_signals():
    # The test runner may start us with SIGTERM ignored, which children inherit through exec.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def run_transmission(torrent, out, timeout, work):
    finished = os.path.join(work, "finished")
    done = os.path.join(work, "done.sh")
    open(done, "w").write("#!/bin/sh\ntouch '%s'\nkill $PPID\n" % finished)
    os.chmod(done, 0o755)
    config = os.path.join(work, "transmission")
    os.makedirs(config, exist_ok=True)
    # Herd's seeder speaks TCP (BEP 3), not uTP (BEP 29); transmission tries uTP first and waits long before TCP.
    json.dump({"utp-enabled": False, "dht-enabled": False, "lpd-enabled": False, "pex-enabled": False,
               "port-forwarding-enabled": False}, open(os.path.join(config, "settings.json"), "w"))
    # -D: no DHT; -et: encryption tolerated (the seeder speaks the plain protocol, like most seeds).
    proc = subprocess.Popen(
        ["transmission-cli", "-g", config, "-w", out, "-D", "-et", "-p", str(free_port()), "-f", done, torrent],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, preexec_fn=default_signals)
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            if os.path.exists(finished) or proc.poll() is not None:
                break
            time.sleep(0.2)
        if not os.path.exists(finished):
            raise TimeoutError("transmission did not finish in %d s" % timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def run_libtorrent(torrent, out, timeout):
    import libtorrent as lt
    ses = lt.session({
        "listen_interfaces": "127.0.0.1:%d" % free_port(), "enable_dht": False, "enable_lsd": False,
        "enable_upnp": False, "enable_natpmp": False, "allow_multiple_connections_per_ip": True,
        # libtorrent only lets loopback trackers be reached at exactly /announce (SSRF mitigation); Herd's is at
        # /tracker/announce, as PeerTube's. Real instances are not on loopback.
        "ssrf_mitigation": False,
    })
    handle = ses.add_torrent({"ti": lt.torrent_info(torrent), "save_path": out})
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = handle.status()
        if status.is_seeding:
            return
        for alert in ses.pop_alerts():
            pass
        time.sleep(0.1)
    raise TimeoutError("libtorrent did not finish: %s %.1f%%" % (status.state, status.progress * 100))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("client", choices=["aria2c", "transmission", "libtorrent"])
    parser.add_argument("torrent")
    parser.add_argument("directory")
    parser.add_argument("--mode", default="both", choices=["both", "webseed", "peers"])
    parser.add_argument("--timeout", type=int, default=60)
    args = parser.parse_args()
    work = os.path.join(args.directory, "%s-%s" % (args.client, args.mode))
    shutil.rmtree(work, ignore_errors=True)
    out = os.path.join(work, "dl")
    os.makedirs(out)
    torrent, name = rewrite(args.torrent, args.mode, work)
    started = time.time()
    result = {"client": args.client, "mode": args.mode, "ok": False}
    try:
        {"aria2c": lambda: run_aria2c(torrent, out, args.timeout),
         "transmission": lambda: run_transmission(torrent, out, args.timeout, work),
         "libtorrent": lambda: run_libtorrent(torrent, out, args.timeout)}[args.client]()
        path = os.path.join(out, name)
        result["sha256"] = hashlib.sha256(open(path, "rb").read()).hexdigest()
        result["ok"] = True
    except Exception as error:  # reported, the Swift test fails with it
        result["error"] = "%s: %s" % (type(error).__name__, error)
    result["seconds"] = round(time.time() - started, 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
