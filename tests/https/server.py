"""server.py: the HTTPS servers of the local HTTPS tests, on 127.0.0.1.

    server.py CERTDIR PORTFILE [--sites DIR] [NAME...]

With no NAME (tests/https/https.sh), serves, each on a free port chosen
by the kernel:
  good       TLS with CERTDIR/good.pem (a CA the test trusts; one name per
             behaviour: mta-sts.<behaviour>.test)
  untrusted  TLS with CERTDIR/untrusted.pem (signed by a CA nobody trusts)
  wrongname  TLS with CERTDIR/wrongname.pem (trusted CA, but only valid
             for mta-sts.other.test)
  expired    TLS with CERTDIR/expired.pem (trusted CA, expired in 2020)
  plain      HTTP without TLS: a TLS client gets an HTTP error back
  hang       plain TCP that accepts and never says a word
  closed     a port that was bound and closed again: nothing listens
With NAMEs (tests/conformance/mtasts_snawoot.sh), serves only TLS with
CERTDIR/NAME.pem for each. Writes "name=port" lines to PORTFILE
(atomically) once all listen. Runs until killed.

What an HTTPS server answers depends on the Host header: for
mta-sts.<label>.test, the behaviour named label (see BEHAVIOURS); for
another host, with --sites, what the file DIR/<host> says (written by the
test: a first line "STATUS [CONTENT-TYPE]", then the body) at the path
/.well-known/mta-sts.txt; otherwise 404.
"""
import argparse
import os
import re
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LIMIT = 65536  # inkan's mtasts_policy_max
POLICY_PATH = "/.well-known/mta-sts.txt"
# A host name, and so a safe file name in the sites directory.
HOST_NAME = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*")
POLICY = (b"version: STSv1\r\nmode: enforce\r\nmx: mail.good.test\r\n"
          b"mx: *.backup.good.test\r\nmax_age: 86400\r\n")


def padded(n):
    """The policy, then blank lines (which the parser skips) to n bytes."""
    return POLICY + b"\n" * (n - len(POLICY))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def head(self, status, ctype, length=None, extra=()):
        self.send_response(status)
        if ctype is not None:
            self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()

    def send_body(self, status, ctype, body, extra=()):
        self.head(status, ctype, len(body), extra)
        self.wfile.write(body)

    def chunked(self, body):
        self.head(200, "text/plain", None,
                  [("Transfer-Encoding", "chunked")])
        for i in range(0, len(body), 4096):
            piece = body[i:i + 4096]
            self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        label = host[len("mta-sts."):-len(".test")] \
            if host.startswith("mta-sts.") and host.endswith(".test") \
            else ""
        if label == "" and self.server.sites is not None:
            behaviour = Handler.site
        else:
            behaviour = BEHAVIOURS.get(label, Handler.notfound)
        try:
            behaviour(self)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True

    def site(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = os.path.join(self.server.sites, host)
        if (self.path != POLICY_PATH or not HOST_NAME.fullmatch(host)
                or not os.path.isfile(path)):
            self.notfound()
            return
        with open(path, "rb") as f:
            first, _, body = f.read().partition(b"\n")
        status, _, ctype = first.decode("ascii").partition(" ")
        self.send_body(int(status), ctype or None, body)

    def good(self):
        self.send_body(200, "text/plain; charset=utf-8", POLICY)

    def redirect(self):
        self.send_body(301, "text/plain", b"",
                       [("Location", "https://mta-sts.good.test/"
                         ".well-known/mta-sts.txt")])

    def notfound(self):
        self.send_body(404, "text/plain", b"not found\n")

    def html(self):
        self.send_body(200, "text/html", POLICY)

    def nocontenttype(self):
        self.send_body(200, None, POLICY)

    def useragent(self):
        ua = (self.headers.get("User-Agent") or "").encode()
        self.send_body(200, "text/plain", ua)

    def bigcl(self):
        # A Content-Length over the limit, and the body to match.
        self.send_body(200, "text/plain", padded(LIMIT + 4000))

    def bigclose(self):
        # No Content-Length: the body ends when the connection closes.
        self.head(200, "text/plain", None, [("Connection", "close")])
        self.close_connection = True
        self.wfile.write(padded(LIMIT + 4000))

    def bigchunked(self):
        self.chunked(padded(LIMIT + 1))

    def limit(self):
        # Exactly the limit, chunked: accepted.
        self.chunked(padded(LIMIT))

    def lie(self):
        # Content-Length says 200, then far more follows: only 200 count.
        self.head(200, "text/plain", 200)
        self.wfile.write(padded(200) + b"x" * (LIMIT * 2))

    def short(self):
        # Content-Length says more than is sent before the close.
        self.head(200, "text/plain", 1000, [("Connection", "close")])
        self.close_connection = True
        self.wfile.write(POLICY)

    def garbage(self):
        self.close_connection = True
        self.wfile.write(b"this is not HTTP\r\n\r\n")

    def close(self):
        self.close_connection = True

    def slow(self):
        # Headers, then nothing: the client's timeout must end it.
        self.head(200, "text/plain", len(POLICY))
        self.wfile.flush()
        time.sleep(60)
        self.close_connection = True


BEHAVIOURS = {name: getattr(Handler, name) for name in (
    "good", "redirect", "notfound", "html", "nocontenttype", "useragent",
    "bigcl", "bigclose", "bigchunked", "limit", "lie", "short", "garbage",
    "close", "slow")}
# The other certificates serve the good policy under their own names.
BEHAVIOURS["untrusted"] = Handler.good
BEHAVIOURS["wrongname"] = Handler.good
BEHAVIOURS["expired"] = Handler.good


class Server(ThreadingHTTPServer):
    daemon_threads = True
    sites = None  # the --sites directory

    def handle_error(self, request, client_address):
        pass  # refused handshakes are the point of some tests


def tls_server(certdir, name, sites=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(certdir, name + ".pem"),
                        os.path.join(certdir, name + ".key"))
    srv = Server(("127.0.0.1", 0), Handler)
    srv.sites = sites
    # The handshake happens in the request's thread, not in accept().
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                 do_handshake_on_connect=False)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv.server_address[1]


def plain_server():
    srv = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv.server_address[1]


def hang_server():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    held = []

    def loop():
        while True:
            held.append(s.accept()[0])
    threading.Thread(target=loop, daemon=True).start()
    return s.getsockname()[1]


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("certdir")
    ap.add_argument("portfile")
    ap.add_argument("--sites")
    ap.add_argument("names", nargs="*")
    # Intermixed: the names may follow --sites DIR.
    args = ap.parse_intermixed_args()
    certdir, portfile = args.certdir, args.portfile
    if args.names:
        ports = {n: tls_server(certdir, n, args.sites) for n in args.names}
    else:
        ports = {
            "good": tls_server(certdir, "good"),
            "untrusted": tls_server(certdir, "untrusted"),
            "wrongname": tls_server(certdir, "wrongname"),
            "expired": tls_server(certdir, "expired"),
            "plain": plain_server(),
            "hang": hang_server(),
            "closed": closed_port(),
        }
    with open(portfile + ".tmp", "w") as f:
        for k, v in ports.items():
            f.write("%s=%d\n" % (k, v))
    os.rename(portfile + ".tmp", portfile)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
