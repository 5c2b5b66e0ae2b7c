#!/usr/bin/env python3
"""dkim_dkimpy: the dkimpy column of bench_dkim.

bench_dkim runs this script with the key, the key record and the messages
it measures inkan and libopendkim on, so that all of them do the same work:

  dkim_dkimpy.py SECONDS REPS KEYFILE RECORD SELECTOR DOMAIN HEADERS
                 [verify FILE | sign FILE]...

KEYFILE holds the RSA private key in PEM (PKCS#1), RECORD is the DNS TXT
record of its public half, HEADERS the colon-separated header names to
sign. Each "verify FILE" is a signed message, each "sign FILE" an unsigned
one; the cases are numbered from 0 in argument order.

Everything is read into memory before timing. Verification is
dkim.verify() with a dnsfunc that returns RECORD from memory (dkimpy
decodes the key from it in every verification: that is its API); signing
is dkim.sign() with the PEM key as bytes (decoded in every signature, the
same), relaxed/relaxed, rsa-sha256, h= as given. Each case runs in a loop
calibrated to take at least SECONDS; the best of REPS loops is reported.
Every verification must return True and every signature must be made.

Output, one line each (read by bench_dkim):
  version V               dkimpy's version
  case N RESULT RATE      case N: "pass" / "signed", or what happened
                          instead; messages/s (0 when not measured)
  sighdr N BASE64         case N's last signature field, in base64
  skip REASON             dkimpy cannot run here; nothing else follows
"""

import base64
import sys
import time


def usage():
    sys.stderr.write(
        "usage: dkim_dkimpy.py SECONDS REPS KEYFILE RECORD SELECTOR DOMAIN "
        "HEADERS [verify FILE | sign FILE]...\n")
    return 2


def read(path):
    with open(path, "rb") as f:
        return f.read()


def parse_args(argv):
    """Returns (seconds, reps, key, record, selector, domain, headers,
    cases) or None."""
    if len(argv) < 8 or (len(argv) - 8) % 2 != 0:
        return None
    try:
        seconds = float(argv[1])
        reps = int(argv[2])
    except ValueError:
        return None
    if not seconds > 0 or reps < 1:
        return None
    key = read(argv[3])
    record = argv[4].encode("ascii")
    selector = argv[5].encode("ascii")
    domain = argv[6].encode("ascii")
    headers = [h.strip().encode("ascii") for h in argv[7].split(":")]
    cases = []
    rest = argv[8:]
    while rest:
        if rest[0] not in ("verify", "sign"):
            return None
        cases.append((rest[0], read(rest[1])))
        rest = rest[2:]
    return seconds, reps, key, record, selector, domain, headers, cases


def rate(fn, seconds, reps):
    """Calls per second of fn: the best of reps loops of >= seconds."""
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        t = time.perf_counter() - t0
        if t >= seconds / 10:
            break
        n *= 10
    n = max(1, int(n * seconds / t) + 1)
    best = 0.0
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        t = time.perf_counter() - t0
        best = max(best, n / t)
    return best


def version():
    try:
        from importlib import metadata
        return metadata.version("dkimpy")
    except Exception:
        return "unknown"


class Wrong(Exception):
    pass


def main(argv):
    args = parse_args(argv)
    if args is None:
        return usage()
    seconds, reps, key, record, selector, domain, headers, cases = args
    try:
        import dkim
    except ImportError as e:
        print("skip python3-dkim is not installed (import dkim: %s)" % e)
        return 0

    def dnsfunc(name, timeout=5):
        return record

    print("version %s" % version())
    sys.stdout.flush()
    for idx, (op, message) in enumerate(cases):
        last = [None]
        if op == "verify":
            def once(message=message):
                if not dkim.verify(message, dnsfunc=dnsfunc):
                    raise Wrong("fail")
            good = "pass"
        else:
            def once(message=message, last=last):
                sig = dkim.sign(message, selector, domain, key,
                                canonicalize=(b"relaxed", b"relaxed"),
                                signature_algorithm=b"rsa-sha256",
                                include_headers=headers)
                if not sig:
                    raise Wrong("no-signature")
                last[0] = sig
            good = "signed"
        try:
            once()
            r = rate(once, seconds, reps)
        except Wrong as e:
            print("case %d %s 0" % (idx, e))
            continue
        except Exception as e:
            print("case %d error:%s 0" % (idx, type(e).__name__))
            continue
        if last[0] is not None:
            print("sighdr %d %s" %
                  (idx, base64.b64encode(last[0]).decode("ascii")))
        print("case %d %s %.1f" % (idx, good, r))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
