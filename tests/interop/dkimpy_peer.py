#!/usr/bin/python3
"""dkimpy_peer.py: dkimpy (Debian's python3-dkim) as an interop peer for
tests/interop/dkim.sh. Not part of inkan. Offline: keys come from a file.

  dkimpy_peer.py sign --key FILE --domain D --selector S --alg A
                 [--canon H/B] [--headers a:b:c] < msg > signed
      Writes the message with dkimpy's DKIM-Signature in front, in the
      input's line-ending style. A is rsa-sha256 or ed25519-sha256; the key
      is PEM (PKCS#1 or PKCS#8); for Ed25519 the 32-byte seed is taken out
      of the PKCS#8 PEM, since dkimpy wants the raw seed in base64.
  dkimpy_peer.py verify --keys FILE < msg
      Verifies every DKIM-Signature with a dnsfunc that answers from FILE
      ("name record" per line) and prints "pass" or "fail: why" for each,
      "none" when there is none.
  dkimpy_peer.py keys ZONEFILE...
      Turns zone lines as `inkan dkim keygen` writes them
      (S._domainkey.D. IN TXT ( "..." "..." )) into "name record" lines.

The message is taken like inkan takes a file: when its first line ends in
LF only, each LF counts as CRLF. Exit 0 when the operation ran, 2 on a
usage or setup error.
"""
import base64
import re
import sys

import dkim


def die(msg):
    sys.stderr.write("dkimpy_peer: %s\n" % msg)
    sys.exit(2)


def opt(args, name, default=None):
    if name in args:
        i = args.index(name)
        if i + 1 < len(args):
            return args[i + 1]
        die("%s needs a value" % name)
    return default


def read_message():
    raw = sys.stdin.buffer.read()
    first = raw.find(b"\n")
    lf = not (first > 0 and raw[first - 1:first] == b"\r")
    crlf = re.sub(rb"(?<!\r)\n", b"\r\n", raw) if lf else raw
    return raw, crlf, lf


def load_keys(path):
    keys = {}
    with open(path, "rb") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(b"#"):
                continue
            name, _, record = line.partition(b" ")
            keys[name.rstrip(b".").lower()] = record.strip()
    return keys


def ed25519_seed(pem):
    """The raw seed of an Ed25519 PKCS#8 PEM key (RFC 8410 7), base64."""
    body = b"".join(l for l in pem.splitlines() if not l.startswith(b"-----"))
    der = base64.b64decode(body)
    # RFC 8410: the private key is an OCTET STRING (04 20 <32 bytes>)
    # inside the PKCS#8 privateKey OCTET STRING; it ends the structure.
    if len(der) < 34 or der[-34:-32] != b"\x04\x20":
        die("not an Ed25519 PKCS#8 key")
    return base64.b64encode(der[-32:])


def sign(args):
    keyfile = opt(args, "--key")
    domain = opt(args, "--domain")
    selector = opt(args, "--selector")
    alg = opt(args, "--alg", "rsa-sha256")
    canon = opt(args, "--canon", "relaxed/relaxed")
    headers = opt(args, "--headers")
    if not keyfile or not domain or not selector:
        die("sign needs --key, --domain and --selector")
    with open(keyfile, "rb") as f:
        key = f.read()
    if alg == "ed25519-sha256" and key.startswith(b"-----"):
        key = ed25519_seed(key)
    h, _, b = canon.partition("/")
    raw, crlf, lf = read_message()
    include = None
    if headers:
        include = [x.strip().encode() for x in headers.split(":")]
    sig = dkim.sign(crlf, selector.encode(), domain.encode(), key,
                    canonicalize=(h.encode(), (b or "simple").encode()),
                    signature_algorithm=alg.encode(),
                    include_headers=include)
    if not sig:
        die("dkimpy did not sign")
    if lf:
        sig = sig.replace(b"\r\n", b"\n")
    sys.stdout.buffer.write(sig + raw)


def verify(args):
    keysfile = opt(args, "--keys")
    if not keysfile:
        die("verify needs --keys")
    keys = load_keys(keysfile)

    def dnsfunc(name, timeout=5):
        return keys.get(name.rstrip(b".").lower())

    _, crlf, _ = read_message()
    d = dkim.DKIM(crlf)
    count = sum(1 for n, _ in d.headers if n.lower() == b"dkim-signature")
    if count == 0:
        print("none")
        return
    for i in range(count):
        d = dkim.DKIM(crlf)
        try:
            ok = d.verify(idx=i, dnsfunc=dnsfunc)
            why = ""
        except dkim.DKIMException as e:
            ok, why = False, str(e)
        if ok:
            print("pass")
        else:
            print("fail: %s" % (why or "signature did not verify"))


def zone_to_keys(files):
    for path in files:
        with open(path) as f:
            text = f.read()
        m = re.match(r"\s*(\S+)\s+IN\s+TXT\s+\((.*)\)", text, re.S)
        if not m:
            die("%s: not a zone line" % path)
        print(m.group(1).rstrip("."), "".join(re.findall(r'"([^"]*)"',
                                                          m.group(2))))


def main():
    if len(sys.argv) < 2:
        die("usage: dkimpy_peer.py sign|verify|keys ...")
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "sign":
        sign(args)
    elif cmd == "verify":
        verify(args)
    elif cmd == "keys":
        zone_to_keys(args)
    else:
        die("unknown command %s" % cmd)


if __name__ == "__main__":
    main()
