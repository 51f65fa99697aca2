#!/usr/bin/env python3
# Writes Tests/Fixtures/sigv4-vectors.json: AWS Signature Version 4 test vectors
# for S3 made by botocore's S3SigV4Auth (an implementation we did not write), so that
# S3SignerTests can check that our signer produces the same Authorization header.
#
# Usage: python3 scripts/sigv4-vectors.py   (needs botocore; the output is committed as data)

import json
import os
import sys
from datetime import datetime, timezone
from urllib.parse import quote

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures",
                   "sigv4-vectors.json")

AK = "SCWXXXXXXXXXXXXXXXXX"
SK = "11111111-2222-4333-8444-555555555555"
PROJECT = "951df375-e094-4d26-97c1-ba548eeb9c42"
TAGGING = ('<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>foo</Key>'
           '<Value>bar</Value></Tag></TagSet></Tagging>')

# Each case: the request as our client would describe it before encoding (raw path, raw query
# pairs), and how botocore is asked to hash the payload.
CASES = [
    dict(name="get acl, empty payload signed", method="GET", host="my-bucket.s3.fr-par.scw.cloud", path="/",
         query=[["acl", ""]]),
    dict(name="put tagging, xml payload signed", method="PUT", host="my-bucket.s3.fr-par.scw.cloud", path="/",
         query=[["tagging", ""]], headers=[["Content-Type", "application/xml"]], body=TAGGING),
    dict(name="list objects v2, query needing encoding", method="GET", host="logs.s3.nl-ams.scw.cloud", path="/",
         region="nl-ams",
         query=[["list-type", "2"], ["prefix", "a b/c+d=e&f"], ["continuation-token", "1/2+3=="],
                ["max-keys", "1000"], ["delimiter", "/"]]),
    dict(name="put object, spaces and unicode in key, unsigned", method="PUT", host="my-bucket.s3.fr-par.scw.cloud",
         path="/dir/hello world/été ☃.txt", headers=[["Content-Type", "text/plain"]], body="hello, world\n",
         unsigned=True),
    dict(name="get object, plus equals slash in key", method="GET", host="my-bucket.s3.fr-par.scw.cloud",
         path="/a+b=c/d/e f+g==", ),
    dict(name="get object, reserved characters in key", method="GET", host="my-bucket.s3.pl-waw.scw.cloud",
         region="pl-waw", path="/x!'()*;:@$,?#[]%&~_-.txt"),
    dict(name="delete object version", method="DELETE", host="my-bucket.s3.nl-ams.scw.cloud", region="nl-ams",
         path="/folder/test-file-in-folder", query=[["versionId", "1738763059242719"]]),
    dict(name="list versions with markers", method="GET", host="my-bucket.s3.fr-par.scw.cloud", path="/",
         query=[["versions", ""], ["key-marker", "folder/été 1"], ["version-id-marker", "1738763057054965"],
                ["max-keys", "2"]]),
    dict(name="access key with project suffix", method="PUT", host="shared.s3.pl-waw.scw.cloud", region="pl-waw",
         path="/", access_key=AK + "@" + PROJECT, query=[["acl", ""]], headers=[["x-amz-acl", "public-read"]]),
    dict(name="path style, port kept in host", method="PUT", host="127.0.0.1:9000", scheme="http",
         path="/my-bucket/state/stack.json", headers=[["Content-Type", "application/json"]],
         body='{"version":1}'),
    dict(name="path style https default port dropped", method="HEAD", host="s3.fr-par.scw.cloud:443",
         path="/my.dotted.bucket/"),
    dict(name="conditional put, if-none-match", method="PUT", host="locks.s3.fr-par.scw.cloud",
         path="/stacks/prod.lock", headers=[["If-None-Match", "*"], ["Content-Type", "application/json"]],
         body='{"holder":"ci@runner-1"}'),
    dict(name="header values trimmed and spaces collapsed", method="PUT", host="my-bucket.s3.it-mil.scw.cloud",
         region="it-mil", path="/k", headers=[["X-Amz-Meta-Note", "  two   spaces  here "],
                                              ["Content-Type", "text/plain"]], body="x"),
    dict(name="empty payload unsigned", method="DELETE", host="my-bucket.s3.fr-par.scw.cloud", path="/",
         query=[["cors", ""]], unsigned=True),
    dict(name="binary payload signed", method="PUT", host="my-bucket.s3.fr-par.scw.cloud", path="/bin",
         body_bytes=bytes(range(256)) * 3, headers=[["Content-Type", "application/octet-stream"]]),
    dict(name="query keys sorted by encoded name", method="GET", host="my-bucket.s3.fr-par.scw.cloud", path="/",
         query=[["uploads", ""], ["prefix", "Z"], ["Prefix", "a"], ["encoding-type", "url"], ["marker", "ü~*"]]),
    dict(name="multi-object delete with content-md5", method="POST", host="my-bucket.s3.nl-ams.scw.cloud",
         region="nl-ams", path="/", query=[["delete", ""]],
         headers=[["Content-Type", "application/xml"], ["Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="]],
         body='<Delete><Object><Key>a</Key><VersionId>1</VersionId></Object><Quiet>true</Quiet></Delete>'),
    dict(name="user-agent is not signed", method="GET", host="my-bucket.s3.fr-par.scw.cloud", path="/",
         query=[["versioning", ""]], headers=[["User-Agent", "scwlua/0.1.0"]]),
]

TIMESTAMPS = ["20250205T134416Z", "20260730T125526Z", "20241231T235959Z"]


def encode_path(raw):
    return quote(raw, safe="/~")


def encode_query(pairs):
    parts = []
    for k, v in pairs:
        ek, ev = quote(k, safe="-_.~"), quote(v, safe="-_.~")
        parts.append(ek if v == "" else ek + "=" + ev)
    return "&".join(parts)


def sign(case, timestamp):
    scheme = case.get("scheme", "https")
    url = scheme + "://" + case["host"] + encode_path(case["path"])
    query = case.get("query", [])
    if query:
        url += "?" + encode_query(query)
    body = case.get("body_bytes")
    if body is None and "body" in case:
        body = case["body"].encode("utf-8")
    request = AWSRequest(method=case["method"], url=url, headers=dict(case.get("headers", [])), data=body or b"")
    if case.get("unsigned"):
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    fixed = datetime.strptime(timestamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    botocore.auth.get_current_datetime = lambda: fixed
    credentials = Credentials(case.get("access_key", AK), case.get("secret_key", SK))
    signer = botocore.auth.S3SigV4Auth(credentials, "s3", case.get("region", "fr-par"))
    signer.add_auth(request)
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]  # the canonical request as it was signed, without it
    canonical = signer.canonical_request(request)
    return {
        "name": case["name"],
        "method": case["method"],
        "scheme": scheme,
        "host": case["host"],
        "path": case["path"],
        "query": query,
        "headers": case.get("headers", []),
        "body_hex": (body or b"").hex(),
        "unsigned_payload": bool(case.get("unsigned")),
        "access_key": case.get("access_key", AK),
        "secret_key": case.get("secret_key", SK),
        "region": case.get("region", "fr-par"),
        "timestamp": timestamp,
        "expected": {
            "url": url,
            "authorization": authorization,
            "x_amz_date": request.headers["X-Amz-Date"],
            "x_amz_content_sha256": request.headers["X-Amz-Content-SHA256"],
            "canonical_request": canonical,
            "string_to_sign": signer.string_to_sign(request, canonical),
        },
    }


def main():
    cases = [sign(case, TIMESTAMPS[i % len(TIMESTAMPS)]) for i, case in enumerate(CASES)]
    doc = {"generator": "botocore %s S3SigV4Auth" % botocore.__version__, "cases": cases}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote %d cases to %s" % (len(cases), os.path.relpath(OUT)), file=sys.stderr)


if __name__ == "__main__":
    main()
