#!/usr/bin/env python3
"""Signs Jira requests with Python's requests_oauthlib (oauthlib) and RSA-SHA1, timing each signature.

The comparison point for `sign_speedup_vs_requests_oauthlib` in `npm run bench` (bench/sign.ts).
The `auth` object is built once, as an application would (`OAuth1(...)` on a session); what is
timed is applying it to a prepared `requests.Request`, i.e. producing the Authorization header.

Standalone:
    python3 bench/oauthlib_sign.py --key key.pem --urls urls.json [-n 100] [--token T]
    -> one JSON object: per-signature median/p10/p90 in ms, versions.

Served (used by bench/sign.ts to interleave with the Node signer in one run): --serve
    stdin, one JSON command per line; stdout, one JSON answer per line:
    {"cmd": "init", "key_pem": "...", "consumer_key": "...", "token": "...", "urls": [...]}
    {"cmd": "sign", "indexes": [0, 1, ...]}      -> {"ns": [per-signature nanoseconds]}
    {"cmd": "fixed", "nonce": "...", "timestamp": "..."}
                                                  -> {"headers": [Authorization per URL]}
    {"cmd": "quit"}
"""
import argparse
import json
import platform
import statistics
import sys
import time

import oauthlib
import requests
import requests_oauthlib
from requests_oauthlib import OAuth1


def versions():
    out = {
        "python": platform.python_version(),
        "requests": requests.__version__,
        "requests_oauthlib": requests_oauthlib.__version__,
        "oauthlib": oauthlib.__version__,
    }
    try:
        import cryptography
        out["cryptography"] = cryptography.__version__
    except Exception:  # pragma: no cover - only informative
        pass
    try:
        import jwt
        out["pyjwt"] = jwt.__version__
    except Exception:  # pragma: no cover
        pass
    return out


class Signer:
    def __init__(self, key_pem, consumer_key, token, urls):
        self.key_pem = key_pem
        self.consumer_key = consumer_key
        self.token = token
        self.prepared = [requests.Request("GET", u, headers={"Accept": "application/json"}).prepare() for u in urls]
        # Built once, like `session.auth = OAuth1(...)`. RSA-SHA1 ignores the token secret.
        self.auth = self.make_auth()

    def make_auth(self, **fixed):
        return OAuth1(
            self.consumer_key,
            resource_owner_key=self.token,
            signature_method="RSA-SHA1",
            rsa_key=self.key_pem,
            signature_type="AUTH_HEADER",
            **fixed,
        )

    def sign_timed(self, index):
        req = self.prepared[index].copy()
        t0 = time.perf_counter_ns()
        signed = self.auth(req)
        t1 = time.perf_counter_ns()
        if not signed.headers.get("Authorization"):
            raise RuntimeError("no Authorization header")
        return t1 - t0

    def fixed_headers(self, nonce, timestamp):
        auth = self.make_auth(nonce=nonce, timestamp=timestamp)
        out = []
        for p in self.prepared:
            h = auth(p.copy()).headers["Authorization"]
            out.append(h.decode("ascii") if isinstance(h, bytes) else h)
        return out


def serve():
    signer = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        kind = cmd.get("cmd")
        if kind == "init":
            signer = Signer(cmd["key_pem"], cmd["consumer_key"], cmd["token"], cmd["urls"])
            answer = {"ok": True, "versions": versions()}
        elif kind == "sign":
            answer = {"ns": [signer.sign_timed(i) for i in cmd["indexes"]]}
        elif kind == "fixed":
            answer = {"headers": signer.fixed_headers(cmd["nonce"], str(cmd["timestamp"]))}
        elif kind == "quit":
            break
        else:
            answer = {"error": "unknown command %r" % kind}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def standalone(args):
    with open(args.key, encoding="ascii") as f:
        key_pem = f.read()
    with open(args.urls, encoding="utf-8") as f:
        urls = json.load(f)
    signer = Signer(key_pem, args.consumer_key, args.token, urls)
    for i in range(min(3, len(urls))):
        signer.sign_timed(i)  # warm-up
    ns = [signer.sign_timed(i % len(urls)) for i in range(args.n)]
    ms = [v / 1e6 for v in ns]
    ms_sorted = sorted(ms)
    print(json.dumps({
        "n": len(ms),
        "median_ms": statistics.median(ms),
        "p10_ms": ms_sorted[int(0.1 * (len(ms) - 1))],
        "p90_ms": ms_sorted[int(0.9 * (len(ms) - 1))],
        "versions": versions(),
    }))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--serve", action="store_true", help="read JSON commands from stdin (bench/sign.ts)")
    ap.add_argument("--key", help="RSA private key PEM file")
    ap.add_argument("--urls", help="JSON file: a list of absolute request URLs")
    ap.add_argument("-n", type=int, default=100, help="signatures to time (default 100)")
    ap.add_argument("--consumer-key", default="bench-consumer")
    ap.add_argument("--token", default="bench-access-token")
    args = ap.parse_args()
    if args.serve:
        serve()
    elif args.key and args.urls:
        standalone(args)
    else:
        ap.error("give --serve, or --key and --urls")


if __name__ == "__main__":
    main()
