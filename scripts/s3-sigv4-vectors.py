#!/usr/bin/env python3
"""Writes Tests/HerdS3Tests/Vectors/botocore-s3.json: S3 requests signed by botocore (pip install botocore), the AWS
SDK's own signer, as a second implementation to check Herd's SigV4Signer against (object keys with spaces and UTF-8,
Range GETs, bodies, multipart queries, temporary credentials, presigned URLs).

Run: python3 scripts/s3-sigv4-vectors.py > Tests/HerdS3Tests/Vectors/botocore-s3.json
"""
import datetime
import json
import sys
from unittest import mock

import botocore
import botocore.auth
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

WHEN = datetime.datetime(2026, 12, 7, 8, 30, 15, tzinfo=datetime.timezone.utc)
KEY, SECRET = "HERDTESTKEY", "herd/test+secret=key"
CASES = [
    dict(name="get-range", method="GET", url="http://127.0.0.1:8333/videos/hls/0b5f/0b5f-720-fragmented.mp4",
         headers={"Range": "bytes=100-1099"}, body=b""),
    dict(name="get-key-with-space-and-utf8", method="GET", url="http://127.0.0.1:8333/videos/a%20b/%C3%BC%2Bc.mp4",
         headers={}, body=b""),
    dict(name="put-body", method="PUT", url="http://s3.example.org/originals/clip.mp4",
         headers={"Content-Type": "video/mp4"}, body=b"hello, herd"),
    dict(name="create-multipart", method="POST", url="http://s3.example.org/originals/big.mp4?uploads",
         headers={}, body=b""),
    dict(name="upload-part", method="PUT",
         url="http://s3.example.org/originals/big.mp4?partNumber=2&uploadId=abc%2Fdef%3D%3D",
         headers={}, body=b"part two"),
    dict(name="list-prefix", method="GET",
         url="http://s3.example.org/videos?list-type=2&prefix=hls%2F0b5f%2F&max-keys=1000", headers={}, body=b""),
    dict(name="session-token", method="HEAD", url="http://s3.example.org/videos/hls/x.m3u8", headers={},
         body=b"", token="FwoGZXIvYXdzEXAMPLE//token=="),
]


class Recording(S3SigV4Auth):
    """botocore's S3 signer, keeping the canonical request it signed."""

    def canonical_request(self, request):
        self.signed_canonical_request = super().canonical_request(request)
        return self.signed_canonical_request


class RecordingQuery(S3SigV4QueryAuth):
    def canonical_request(self, request):
        self.signed_canonical_request = super().canonical_request(request)
        return self.signed_canonical_request


def split_url(url):
    from urllib.parse import urlsplit, parse_qsl, unquote
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    return parts.netloc, unquote(parts.path), [[k, v] for k, v in query]


def main():
    out = {"botocore": botocore.__version__, "time": WHEN.strftime("%Y-%m-%dT%H:%M:%SZ"), "access_key_id": KEY,
           "secret_access_key": SECRET, "region": "eu-west-3", "cases": []}
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=WHEN):
        for case in CASES:
            credentials = Credentials(KEY, SECRET, case.get("token"))
            host, path, query = split_url(case["url"])
            signed = {}
            request = AWSRequest(method=case["method"], url=case["url"], headers=dict(case["headers"]),
                                 data=case["body"])
            auth = Recording(credentials, "s3", "eu-west-3")
            auth.add_auth(request)
            signed["header"] = {
                "canonical_request": auth.signed_canonical_request,
                "authorization": request.headers["Authorization"],
                "payload_hash": request.headers["X-Amz-Content-SHA256"],
            }
            presign = AWSRequest(method=case["method"], url=case["url"], headers=dict(case["headers"]))
            query_auth = RecordingQuery(credentials, "s3", "eu-west-3", expires=900)
            query_auth.add_auth(presign)
            _, _, presigned_query = split_url(presign.url)
            signed["presigned"] = {"canonical_request": query_auth.signed_canonical_request, "url": presign.url,
                                   "query": presigned_query}
            out["cases"].append({
                "name": case["name"], "method": case["method"], "host": host, "path": path, "query": query,
                "headers": [[k, v] for k, v in case["headers"].items()], "body": case["body"].decode(),
                "token": case.get("token"), **signed,
            })
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


main()
