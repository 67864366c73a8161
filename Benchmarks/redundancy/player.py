#!/usr/bin/env python3
"""A player-like client for `make bench-redundancy` (issue 6): it reads a video's sources from the API (the origin's
HLS playlist and the mirrors in streamingPlaylists[].redundancies), then fetches the segments of one variant one
after another at a steady pace, as a player keeping its buffer topped up does. A request that fails or takes longer
than --timeout makes it move to the next source (the same rule as Web/js/hls-mse.js).

While playing it disturbs the sources, as `--script` says, e.g. `stop:A,cont:A,stop:B,cont:B,kill:A`:
stop = SIGSTOP (an overloaded, silent server), cont = SIGCONT, kill = SIGKILL (a crash). After each disturbance of
the source it is playing from, it reports how long until the next segment arrived from another source.
Prints one JSON object: {"switches": [{"event", "from", "to", "seconds"}], "segments", "errors"}.
"""
import argparse, json, os, re, signal, sys, time, urllib.request


def get(url, timeout, byte_range=None):
    request = urllib.request.Request(url)
    if byte_range:
        request.add_header("Range", "bytes=%d-%d" % byte_range)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def segments_of(media_text):
    out, offset, pending = [], 0, None
    for line in media_text.splitlines():
        if line.startswith("#EXT-X-BYTERANGE:"):
            length, _, start = line.split(":", 1)[1].partition("@")
            start = int(start) if start else offset
            pending = (start, start + int(length) - 1)
            offset = pending[1] + 1
        elif line and not line.startswith("#") and pending:
            out.append((line, pending))
            pending = None
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("api")
    parser.add_argument("--pids", required=True, help="A=<pid>,B=<pid>")
    parser.add_argument("--script", default="stop:A,cont:A,stop:B,cont:B,kill:A")
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--pace", type=float, default=0.25, help="seconds between segment requests")
    parser.add_argument("--settle", type=int, default=8, help="segments between two disturbances")
    args = parser.parse_args()
    pids = dict(item.split("=") for item in args.pids.split(","))

    video = json.loads(get(args.api, 5))
    playlist = video["streamingPlaylists"][0]
    origin = playlist["playlistUrl"].rsplit("/", 1)[0]
    sources = [("A", origin)] + [("B", r["baseUrl"]) for r in playlist["redundancies"]]
    if len(sources) < 2:
        sys.exit("the API lists no mirror")
    master = get(playlist["playlistUrl"], 5).decode()
    variant = [line for line in master.splitlines() if line and not line.startswith("#")][0]
    media = get(origin + "/" + variant, 5).decode()
    segments = segments_of(media)
    file_name = segments[0][0]

    current, index, played, errors = 0, 0, 0, 0
    script = [step.split(":") for step in args.script.split(",") if step]
    switches, pending_event = [], None
    next_event_at = args.settle
    while script or pending_event:
        if pending_event is None and played >= next_event_at and script:
            action, target = script.pop(0)
            os.kill(int(pids[target]), {"stop": signal.SIGSTOP, "cont": signal.SIGCONT, "kill": signal.SIGKILL}[action])
            if action != "cont" and sources[current][0] == target:
                pending_event = {"event": "%s:%s" % (action, target), "from": target, "at": time.monotonic()}
            next_event_at = played + args.settle
        name, base = sources[current]
        started = time.monotonic()
        try:
            get(base + "/" + file_name, args.timeout, segments[index % len(segments)][1])
        except Exception:
            errors += 1
            current = (current + 1) % len(sources)
            continue
        played += 1
        index += 1
        if pending_event and name != pending_event["from"]:
            switches.append({
                "event": pending_event["event"], "from": pending_event["from"], "to": name,
                "seconds": round(time.monotonic() - pending_event["at"], 3),
            })
            pending_event = None
        time.sleep(max(0.0, args.pace - (time.monotonic() - started)))
    print(json.dumps({"switches": switches, "segments": played, "errors": errors}))


if __name__ == "__main__":
    main()
