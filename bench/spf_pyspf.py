#!/usr/bin/env python3
"""spf_pyspf: the pyspf column of bench_spf.

bench_spf runs this script with the records and cases it measures inkan and
libspf2 on, so that all three evaluate the same thing:

  spf_pyspf.py SECONDS REPS HELO [txt NAME TEXT]... [case IP SENDER]...

pyspf's DNS goes through the module-level function spf.DNSLookup; it is
replaced here by a lookup in a dict built once from the txt arguments, so
no evaluation touches the network. Each case is evaluated with
spf.check2(), pyspf's documented RFC 7208 entry point, in a loop calibrated
to run at least SECONDS; the best of REPS such loops is reported.

Output, one line each (read by bench_spf):
  version V                 pyspf's version
  case N RESULT RATE        case N (0-based): its result, evaluations/s
  skip REASON               pyspf cannot run here; nothing else follows
A case whose first result is not "pass" or "fail" as bench_spf expects is
still reported with its result; bench_spf decides whether it is right.
"""

import sys
import time


def usage():
    sys.stderr.write(
        "usage: spf_pyspf.py SECONDS REPS HELO [txt NAME TEXT]... "
        "[case IP SENDER]...\n")
    return 2


def parse_args(argv):
    """Returns (seconds, reps, helo, zone, cases) or None."""
    if len(argv) < 4:
        return None
    try:
        seconds = float(argv[1])
        reps = int(argv[2])
    except ValueError:
        return None
    if not seconds > 0 or reps < 1:
        return None
    helo = argv[3]
    zone = {}
    cases = []
    rest = argv[4:]
    while rest:
        if rest[0] == "txt" and len(rest) >= 3:
            name = rest[1].lower().rstrip(".")
            # The shape pyspf's own dnspython lookup returns: one entry
            # per TXT record, its character-strings as a list of bytes.
            zone.setdefault((name, "TXT"), []).append(
                ((name, "TXT"), [rest[2].encode("ascii")]))
            rest = rest[3:]
        elif rest[0] == "case" and len(rest) >= 3:
            cases.append((rest[1], rest[2]))
            rest = rest[3:]
        else:
            return None
    return seconds, reps, helo, zone, cases


def rate(fn, seconds, reps):
    """Evaluations per second of fn: best of reps loops of >= seconds."""
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


def main(argv):
    args = parse_args(argv)
    if args is None:
        return usage()
    seconds, reps, helo, zone, cases = args
    try:
        import spf
    except ImportError as e:
        print("skip python3-spf is not installed (import spf: %s)" % e)
        return 0

    def lookup(name, qtype, strict=True, timeout=None):
        return zone.get((name.lower().rstrip("."), qtype), [])

    spf.DNSLookup = lookup
    print("version %s" % getattr(spf, "__version__", "unknown"))
    for idx, (ip, sender) in enumerate(cases):
        def evaluate(ip=ip, sender=sender):
            return spf.check2(i=ip, s=sender, h=helo)[0]

        first = evaluate()
        if first not in ("pass", "fail"):
            print("case %d %s 0" % (idx, first))
            continue

        def checked(first=first, evaluate=evaluate):
            if evaluate() != first:
                raise RuntimeError("the result changed between runs")

        print("case %d %s %.1f" % (idx, first, rate(checked, seconds, reps)))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
