#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target into Corpus/<Target>/ (committed; run again after changing a format).

Seeds are small and real where possible: the shared PeerTube and Mastodon vectors (../shared/vectors beside the
checkout, or $HERD_VECTORS), Config/default.yaml, and inputs built here in the shapes Herd and its peers send.
Crash inputs found by `make fuzz` are kept in Corpus/<Target>/ by hand (named crash-*), next to these.
"""

import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CORPUS = os.path.join(HERE, "Corpus")


def vectors_dir():
    for candidate in (os.environ.get("HERD_VECTORS"), os.path.join(ROOT, "..", "shared", "vectors")):
        if candidate and os.path.isdir(candidate):
            return candidate
    return None


VECTORS = vectors_dir()


def vector(*path):
    if VECTORS is None:
        return None
    full = os.path.join(VECTORS, *path)
    return open(full, "rb").read() if os.path.exists(full) else None


def write(target, name, data):
    if data is None:
        return
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# --- bencode (BEP 3) ---------------------------------------------------------------------------------------------


def bencode(value):
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(bencode(v) for v in value) + b"e"
    if isinstance(value, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
        return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"
    raise TypeError(value)


INFO_HASH = bytes.fromhex("123456789abcdef0123456789abcdef012345678")
PEER_ID = b"-qB4650-k8hj0wgej6ch"


def herd_torrent(length=100_000, piece_length=16_384, seeds=None):
    pieces = bytes(range(20)) * ((length + piece_length - 1) // piece_length)
    torrent = {
        "announce": "http://localhost:9000/tracker/announce",
        "announce-list": [["http://localhost:9000/tracker/announce"], ["ws://localhost:9000/tracker/socket"]],
        "created by": "Herd",
        "creation date": 1_726_740_000,
        "info": {"length": length, "name": "video-720.mp4", "piece length": piece_length, "pieces": pieces},
    }
    if seeds is not None:
        torrent["url-list"] = seeds
    return bencode(torrent)


def bencode_seeds():
    t = "FuzzBencode"
    write(t, "peertube-720p.torrent", vector("peertube", "media", "video-720p.torrent"))
    write(t, "herd.torrent", herd_torrent())
    write(t, "integers", bencode([0, -1, 42, 9223372036854775807, -9223372036854775808]))
    write(t, "string", b"4:spam")
    write(t, "nested", bencode({"a": [{"b": [[1], ["x"]]}], "c": {}}))
    write(t, "announce-answer", bencode({"complete": 1, "incomplete": 2, "interval": 1800, "min interval": 60,
                                           "peers": bytes([127, 0, 0, 1, 0x1a, 0xe1])}))
    write(t, "failure", bencode({"failure reason": "unknown info_hash"}))


# --- peer wire (BEP 3, 6, 10) ------------------------------------------------------------------------------------


def handshake(info_hash=INFO_HASH, fast=True, extended=True):
    reserved = bytearray(8)
    if extended:
        reserved[5] |= 0x10
    if fast:
        reserved[7] |= 0x04
    return bytes([19]) + b"BitTorrent protocol" + bytes(reserved) + info_hash + PEER_ID


def message(msg_id, payload=b""):
    return struct.pack(">IB", 1 + len(payload), msg_id) + payload


def request(msg_id, index, begin, length):
    return message(msg_id, struct.pack(">III", index, begin, length))


KEEP_ALIVE = struct.pack(">I", 0)
EXT_HANDSHAKE = message(20, b"\x00" + bencode({"m": {"ut_metadata": 1, "ut_pex": 2}, "reqq": 250,
                                               "v": "qBittorrent/4.6.5", "yourip": bytes([127, 0, 0, 1])}))


def peer_stream(fast=True):
    out = handshake(fast=fast) + EXT_HANDSHAKE
    out += message(0x0F) if fast else message(5, bytes(5))  # have none, or an empty bitfield (40 pieces)
    out += message(2)  # interested
    out += request(6, 0, 0, 16_384) + request(6, 0, 16_384, 16_384) + request(6, 39, 0, 1000)
    out += request(8, 0, 16_384, 16_384)  # cancel
    out += message(4, struct.pack(">I", 1)) + KEEP_ALIVE + message(3)
    return out


def peer_wire_seeds():
    t = "FuzzPeerWire"
    write(t, "handshake-and-messages", b"\x08" + peer_stream())
    write(t, "plain-bep3", b"\x20" + peer_stream(fast=False))
    everything = b"".join([
        KEEP_ALIVE, message(0), message(1), message(2), message(3), message(4, struct.pack(">I", 7)),
        message(5, b"\xff\xfe"), request(6, 1, 0, 16_384), message(7, struct.pack(">II", 1, 0) + b"block"),
        request(8, 1, 0, 16_384), message(9, struct.pack(">H", 6881)), message(0x0D, struct.pack(">I", 3)),
        message(0x0E), message(0x0F), request(0x10, 1, 0, 16_384), message(0x11, struct.pack(">I", 2)),
        EXT_HANDSHAKE, message(20, b"\x01" + bencode({"msg_type": 0, "piece": 0})), message(0x42, b"unknown"),
    ])
    write(t, "every-message", b"\x01" + everything)
    write(t, "bad-protocol", b"\x00" + bytes([19]) + b"BitTorrent protocal" + bytes(48))


def seeder_session_seeds():
    t = "FuzzSeederSession"
    write(t, "fast-peer", b"\x03" + peer_stream())
    write(t, "plain-peer", b"\x02" + peer_stream(fast=False))
    seed_peer = handshake() + EXT_HANDSHAKE + message(0x0E)  # have all: two seeds, closed
    write(t, "seed-peer", b"\x05" + seed_peer)
    greedy = handshake() + message(2) + b"".join(request(6, i % 40, 0, 16_384) for i in range(300))
    write(t, "too-many-requests", b"\x07" + greedy)
    write(t, "unknown-torrent", b"\x00" + handshake(info_hash=b"\xff" * 20))


# --- trackers ----------------------------------------------------------------------------------------------------


def pct(data):
    return "".join(chr(b) if chr(b).isalnum() or chr(b) in "-._~" else "%%%02X" % b for b in data)


def announce_query(**extra):
    fields = [("info_hash", pct(INFO_HASH)), ("peer_id", pct(PEER_ID)), ("port", "6881"), ("uploaded", "0"),
              ("downloaded", "0"), ("left", "100000"), ("corrupt", "0"), ("key", "1A2B3C4D"),
              ("event", "started"), ("numwant", "200"), ("compact", "1"), ("no_peer_id", "1"),
              ("supportcrypto", "1"), ("redundant", "0")]
    fields += list(extra.items())
    return "&".join("%s=%s" % pair for pair in fields)


def tracker_http_seeds():
    t = "FuzzTrackerHTTP"
    write(t, "qbittorrent-started", b"\x00" + announce_query().encode())
    write(t, "ip-from-loopback", b"\x00" + announce_query(ip="192.0.2.7").encode())
    write(t, "ipv6-remote", b"\x01" + announce_query(ip="2001:db8::1").encode())
    write(t, "non-compact", b"\x00" + announce_query().replace("compact=1", "compact=0").encode())
    write(t, "stopped", b"\x00" + announce_query().replace("event=started", "event=stopped").encode())
    other = bytes(reversed(INFO_HASH))
    write(t, "scrape", b"\x00" + ("info_hash=%s&info_hash=%s" % (pct(INFO_HASH), pct(other))).encode())


def binary(data):
    return data.decode("latin-1")


def tracker_ws_seeds():
    t = "FuzzTrackerWebSocket"
    hash_s = binary(INFO_HASH)
    peer_a, peer_b = binary(b"-WW0207-aaaaaaaaaaaa"), binary(b"-WW0207-bbbbbbbbbbbb")
    offer = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"}
    offers = [{"offer": offer, "offer_id": binary(bytes([i]) * 20)} for i in range(1, 3)]

    def announce(peer, event=None, with_offers=True):
        m = {"action": "announce", "info_hash": hash_s, "peer_id": peer, "uploaded": 0, "downloaded": 0,
             "left": 100000, "numwant": 2}
        if event:
            m["event"] = event
        if with_offers:
            m["offers"] = offers
        return json.dumps(m)

    answer = json.dumps({"action": "announce", "info_hash": hash_s, "peer_id": peer_a, "to_peer_id": peer_b,
                         "offer_id": binary(bytes([1]) * 20),
                         "answer": {"type": "answer", "sdp": "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n"}})
    scrape = json.dumps({"action": "scrape", "info_hash": [hash_s]})
    frames = [announce(peer_a, "started"), announce(peer_b, "started"), answer, scrape,
              announce(peer_a, "completed", with_offers=False), announce(peer_b, "stopped")]
    write(t, "swarm-of-two", "\0".join(frames).encode())
    write(t, "scrape-one", json.dumps({"action": "scrape", "info_hash": hash_s}).encode())
    write(t, "escapes", b'{"action":"announce","info_hash":"\\u0012\\ud83d\\ude00","x":[1.5e3,-0,true,null]}')


# --- federation ---------------------------------------------------------------------------------------------------


def signature_seeds():
    t = "FuzzHTTPSignature"
    data = vector("peertube", "ap-json", "mastodon", "http-signature.json")
    if data:
        headers = json.loads(data)["headers"]
        write(t, "mastodon", (headers["signature"] + "\n" + headers["date"]).encode())
    write(t, "peertube", 'Signature keyId="https://peertube.example/accounts/peertube",algorithm="rsa-sha256",'
                         'headers="(request-target) host date digest",signature="c2lnbmF0dXJl"\n'
                         "Thu, 19 Sep 2024 10:00:00 GMT")
    write(t, "created-expires", 'keyId="https://a.example/users/bob#main-key",algorithm="hs2019",created=1726740000,'
                                'expires=1726740300.5,headers="(request-target) (created) (expires)",'
                                'signature="AAEC"\nSat, 31 Dec 9999 23:59:59 GMT')


def activitypub_seeds():
    t = "FuzzActivityPub"
    for vendor, name in [("mastodon", "create.json"), ("peertube", "announce-without-context.json")]:
        data = vector("peertube", "ap-json", vendor, name)
        if data:
            write(t, vendor + "-" + name, json.dumps(json.loads(data), separators=(",", ":")).encode())
    base = "https://peertube.example:9000"
    uuid = "997111d4-e8d8-4f45-99d3-857905785d05"
    hls = base + "/static/streaming-playlists/hls/" + uuid

    def links(height, href):
        return [
            {"type": "Link", "mediaType": "video/mp4", "href": href, "height": height, "width": height * 16 // 9,
             "size": 123456, "fps": 30},
            {"type": "Link", "mediaType": "application/x-bittorrent", "href": base + "/t/%d.torrent" % height,
             "height": height, "fps": 30},
            {"type": "Link", "mediaType": "application/x-bittorrent;x-scheme-handler/magnet",
             "href": "magnet:?xt=urn:btih:" + INFO_HASH.hex(), "height": height, "fps": 30},
        ]

    video = {
        "type": "Video", "id": base + "/videos/watch/" + uuid, "uuid": uuid, "name": "Big Buck Bunny",
        "duration": "PT1M5S", "category": {"identifier": "1", "name": "Music"}, "licence": None,
        "language": {"identifier": "en", "name": "English"}, "views": 12, "sensitive": False,
        "commentsPolicy": 1, "downloadEnabled": True, "published": "2024-09-19T10:00:00.000Z",
        "updated": "2024-09-19T10:05:00Z", "originallyPublishedAt": "2024-09-18",
        "tag": [{"type": "Hashtag", "name": "animation"}], "content": "A **big** rabbit.", "support": None,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "icon": [{"type": "Image", "url": base + "/lazy-static/thumbnails/t.jpg", "mediaType": "image/jpeg"}],
        "url": [{"type": "Link", "mediaType": "text/html", "href": base + "/videos/watch/" + uuid}]
        + links(720, base + "/static/web-videos/" + uuid + "-720.mp4")
        + [{"type": "Link", "mediaType": "application/x-mpegURL", "href": hls + "/master.m3u8",
            "tag": [{"type": "Infohash", "name": INFO_HASH.hex()},
                    {"type": "Link", "name": "sha256", "mediaType": "application/json",
                     "href": hls + "/segments-sha256.json"}] + links(240, hls + "/240-fragmented.mp4")},
           {"type": "Link", "name": "tracker-http", "rel": ["tracker", "http"], "href": base + "/tracker/announce"}],
        "attributedTo": [{"type": "Person", "id": base + "/accounts/root"},
                         {"type": "Group", "id": base + "/video-channels/root_channel"}],
    }
    create = {"@context": ["https://www.w3.org/ns/activitystreams"], "type": "Create",
              "id": base + "/videos/watch/" + uuid + "/activity", "actor": base + "/accounts/root",
              "to": ["https://www.w3.org/ns/activitystreams#Public"], "object": video}
    write(t, "peertube-create-video", json.dumps(create, separators=(",", ":")))
    mirror = "https://mirror.example"
    cache_file = {"type": "CacheFile", "id": mirror + "/redundancy/streaming-playlists/hls/" + uuid,
                  "object": base + "/videos/watch/" + uuid, "expires": "2024-09-21T10:00:00.000Z",
                  "url": {"type": "Link", "mediaType": "application/x-mpegURL",
                          "href": mirror + "/static/redundancy/hls/" + uuid}}
    create_cache = {"type": "Create", "id": mirror + "/redundancy/activity/1", "actor": mirror + "/accounts/peertube",
                    "object": cache_file}
    write(t, "peertube-create-cachefile", json.dumps(create_cache, separators=(",", ":")))
    follow = {"type": "Follow", "id": mirror + "/accounts/peertube/follows/1", "actor": mirror + "/accounts/peertube",
              "object": base + "/accounts/peertube"}
    write(t, "follow", json.dumps(follow, separators=(",", ":")))


# --- uploads ------------------------------------------------------------------------------------------------------


def multipart_seeds():
    t = "FuzzMultipart"
    boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    mp4 = vector("peertube", "media", "video_short.mp4")
    mp4 = mp4[:512] if mp4 else b"\x00\x00\x00\x18ftypmp42"
    parts = [
        b'Content-Disposition: form-data; name="channelId"\r\n\r\n1',
        b'Content-Disposition: form-data; name="name"\r\n\r\nMy video \xc3\xa9',
        b'Content-Disposition: form-data; name="privacy"\r\n\r\n1',
        b'Content-Disposition: form-data; name="videofile"; filename="video_short.mp4"\r\n'
        b"Content-Type: video/mp4\r\n\r\n" + mp4,
    ]
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + p + b"\r\n" for p in parts) + b"--" + boundary.encode() + b"--\r\n"
    write(t, "peertube-upload", b"multipart/form-data; boundary=" + boundary.encode() + b"\n" + body)
    write(t, "quoted-boundary", b'multipart/form-data; boundary="b"\npreamble\r\n--b \t\r\n\r\nno headers\r\n--b--epilogue')


def content_range_seeds():
    t = "FuzzContentRange"

    def seed(name, flags, received, total, header):
        write(t, name, bytes([flags]) + struct.pack(">qq", received, total) + header.encode())

    seed("first-chunk", 0x01 | (64 + 10) << 1 & 0xFE, 0, 5000, "bytes 0-9/5000")
    seed("middle-chunk", 0, 1000, 5000, "bytes 1000-1999/5000")
    seed("last-chunk", 0, 4000, 5000, "bytes 4000-4999/5000")
    seed("status", 0, 1000, 5000, "bytes */5000")
    seed("retry", 0, 3000, 5000, " bytes 0-999/5000 ")
    seed("huge", 1, 0, 9223372036854775807, "bytes 0-9223372036854775806/9223372036854775807")


def hls_seeds():
    t = "FuzzHLSPlaylist"
    master = ("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"
              '#EXT-X-STREAM-INF:BANDWIDTH=1212000,AVERAGE-BANDWIDTH=900000,RESOLUTION=1280x720,FRAME-RATE=30.000,'
              'CODECS="avc1.64001f,mp4a.40.2"\n720.m3u8\n'
              '#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=426x240,CODECS="avc1.64001e,mp4a.40.2"\n240.m3u8\n')
    write(t, "master", b"\x07" + master.encode())
    media = ("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
             "#EXT-X-INDEPENDENT-SEGMENTS\n"
             '#EXT-X-MAP:URI="720-fragmented.mp4",BYTERANGE="1000@0"\n'
             "#EXTINF:2.000000,\n#EXT-X-BYTERANGE:5000@1000\n720-fragmented.mp4\n"
             "#EXTINF:2.000000,\n#EXT-X-BYTERANGE:3000\n720-fragmented.mp4\n"
             "#EXTINF:1.500000,\n#EXT-X-BYTERANGE:2500\n720-fragmented.mp4\n#EXT-X-ENDLIST\n")
    write(t, "media-byteranges", b"\x20" + media.encode())
    write(t, "media-foreign", b"\x20" + b"#EXTM3U\n#EXTINF:2,\nhttps://elsewhere.example/seg.ts\n")
    write(t, "media-segments", b"\x01" + b"#EXTM3U\n#EXTINF:2,\nsegment-0001.ts\n#EXTINF:2,\nsegment-0002.ts\n")


def torrent_seeds():
    t = "FuzzTorrentFile"
    write(t, "peertube-720p.torrent", vector("peertube", "media", "video-720p.torrent"))
    write(t, "herd.torrent", herd_torrent(seeds=["http://localhost:9000/static/web-videos/"]))
    write(t, "url-list-string", herd_torrent(length=0, seeds="http://localhost:9000/w/"))
    write(t, "magnet", "magnet:?xs=http%3A%2F%2Flocalhost%3A9000%2Ft%2F720.torrent&xt=urn:btih:" + INFO_HASH.hex()
          + "&dn=Big+Buck+Bunny&tr=ws%3A%2F%2Flocalhost%3A9000%2Ftracker%2Fsocket&ws=http%3A%2F%2Flocalhost%3A9000%2Fw")


def config_seeds():
    t = "FuzzConfig"
    # The real default file without its comments: a third of the size, so each run is cheaper.
    lines = open(os.path.join(ROOT, "Config", "default.yaml"), "rb").read().splitlines(keepends=True)
    write(t, "default.yaml", b"".join(line for line in lines if not line.lstrip().startswith(b"#")))
    write(t, "small.yaml", "listen:\n  port: 8080\nuser:\n  default_quota: 1.5 GB\n"
                           "oauth:\n  access_token_lifetime: 2 weeks\nfederation:\n  allowlist: [a.example, b.example]\n"
                           "redundancy:\n  videos:\n    strategies:\n      - strategy: most-views\n        size: 10GB\n"
                           "        min_lifetime: 48 hours\n")
    write(t, "strategies-string", 'redundancy:\n  videos:\n    strategies: "strategy=recently-added;size=1GB;'
                                  'min_lifetime=1h;min_views=5"\nupload:\n  resumable_expiry: 90\n')


def sniffer_seeds():
    t = "FuzzMediaSniffer"
    for name in ["video_short.mp4", "video_short.webm", "sample.ogg"]:
        data = vector("peertube", "media", name)
        write(t, name, data[:4096] if data else None)
    write(t, "id3-mp3", b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10) + b"\xff\xfb\x90\x64")
    write(t, "adts", b"\xff\xf1\x50\x80\x02\x1f\xfc")
    write(t, "mpeg-ts", (b"\x47" + bytes(187)) * 3)
    write(t, "riff-wave", b"RIFF\x24\x00\x00\x00WAVEfmt ")


def s3_xml_seeds():
    t = "FuzzS3XML"
    ns = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
    write(t, "list-page", ('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult %s><Name>videos</Name>'
                           '<Prefix>hls/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>'
                           '<IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J'
                           '</NextContinuationToken><Contents><Key>hls/a/master.m3u8</Key><Size>120</Size></Contents>'
                           '<Contents><Key>hls/a/a-720-fragmented.mp4</Key><Size>1000</Size></Contents>'
                           '</ListBucketResult>' % ns).encode())
    write(t, "common-prefixes", ('<ListBucketResult %s><IsTruncated>false</IsTruncated><CommonPrefixes>'
                                 '<Prefix>hls/a/</Prefix></CommonPrefixes></ListBucketResult>' % ns).encode())
    write(t, "upload-id", ('<InitiateMultipartUploadResult %s><Bucket>b</Bucket><Key>k</Key>'
                           '<UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>' % ns).encode())
    write(t, "error", b'<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated '
                      b'does not match</Message><RequestId>1</RequestId></Error>')
    write(t, "entities", b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                         b'<Error><Code>&b;</Code></Error>')


def main():
    if VECTORS is None:
        print("note: no shared vectors found; seeds from them are left as they are", file=sys.stderr)
    for make in [bencode_seeds, peer_wire_seeds, seeder_session_seeds, tracker_http_seeds, tracker_ws_seeds,
                 signature_seeds, activitypub_seeds, multipart_seeds, content_range_seeds, hls_seeds,
                 torrent_seeds, config_seeds, sniffer_seeds, s3_xml_seeds]:
        make()


if __name__ == "__main__":
    main()
