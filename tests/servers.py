"""The servers tests and benches start: a plain static server, nginx with the shipped deploy/nginx.conf, and
``mkdocs serve``.

A plain module, no pytest: ``bench/first_paint.py`` serves its sites exactly as ``tests/deploy`` does by importing
it (``tests/`` on ``sys.path``). Each ``start_*`` returns once the server answers and raises ``RuntimeError`` with
the server's own log when it does not start; ``stop()`` ends it.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from support import REPO, free_port

NGINX_CONF = REPO / "deploy" / "nginx.conf"
NGINX_HTTP_CONF = REPO / "deploy" / "nginx-http.conf"
# The lines an operator adapts; tests point them at their temporary target and log.
SHIPPED_ROOT = "alias /srv/alectro.ru/privacy/current/;"
SHIPPED_CONSENT_LOG = "/var/log/nginx/alectro-consent.jsonl"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")
NGINX_HINT = "No nginx found: run 'make test' (it installs Debian's nginx as root) or 'apt-get install nginx'."
MIME_TYPES = Path("/etc/nginx/mime.types")
# Where guides/operator.md installs the two files, relative to /etc/nginx/.
SHIPPED_HTTP_INCLUDE = "conf.d/alectro-consent.conf"
SHIPPED_SERVER_INCLUDE = "snippets/alectro-privacy.conf"


# -- a plain static server ----------------------------------------------------------------------------------


# How often a server's loop looks whether stop() was asked: Python's default, half a second, was paid by every server a
# session started (one per browser test module) when the session ended.
POLL_INTERVAL = 0.05


def _serve_in_background(server: http.server.ThreadingHTTPServer) -> None:
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_INTERVAL}, daemon=True).start()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the stdlib's name)
        pass


@dataclass(frozen=True)
class StaticServer:
    """Python's own static file server: what "works from a plain static server" means here."""

    server: http.server.ThreadingHTTPServer
    url: str

    def stop(self) -> None:
        self.server.shutdown()


def start_static(site: Path, root: Path) -> StaticServer:
    """Serve the built ``site`` at ``/privacy/`` of a new server whose document root is ``root`` (an empty folder)."""
    (root / "privacy").symlink_to(site, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    _serve_in_background(server)
    return StaticServer(server, f"http://127.0.0.1:{server.server_port}/privacy/")


# -- nginx with deploy/nginx.conf --------------------------------------------------------------------------


def find_nginx() -> str | None:
    """The nginx to run ($NGINX first), or None."""
    for candidate in (os.environ.get("NGINX"), *NGINX_CANDIDATES, shutil.which("nginx")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def nginx_config(prefix: Path, current: Path, port: int, consent_log: Path) -> str:
    """A whole nginx.conf for a throw-away server on 127.0.0.1:``port``, laid out as guides/operator.md installs
    the shipped files on Debian: deploy/nginx-http.conf as ``conf.d/alectro-consent.conf`` (included at the http
    level by ``conf.d/*.conf``), deploy/nginx.conf as ``snippets/alectro-privacy.conf`` (included in the server
    block), its consent log written to ``consent_log``."""
    shipped = NGINX_CONF.read_text(encoding="utf-8")
    if shipped.count(SHIPPED_ROOT) != 1 or shipped.count(SHIPPED_CONSENT_LOG) != 1:
        raise RuntimeError(f"deploy/nginx.conf should hold '{SHIPPED_ROOT}' and name '{SHIPPED_CONSENT_LOG}' once")
    for folder in ("conf.d", "snippets"):
        (prefix / folder).mkdir(exist_ok=True)
    (prefix / SHIPPED_HTTP_INCLUDE).write_text(NGINX_HTTP_CONF.read_text(encoding="utf-8"), encoding="utf-8")
    (prefix / SHIPPED_SERVER_INCLUDE).write_text(
        shipped.replace(SHIPPED_ROOT, f"alias {current}/;").replace(SHIPPED_CONSENT_LOG, str(consent_log)),
        encoding="utf-8",
    )
    temp = {name: prefix / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    # As root, workers would drop to 'nobody', who cannot read pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""\
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    include {prefix}/conf.d/*.conf;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {prefix / SHIPPED_SERVER_INCLUDE};
    }}
}}
"""


@dataclass(frozen=True)
class Nginx:
    """A running nginx: ``url`` is the site's ``/privacy/``; its files (``nginx.pid``, ``error.log``, the consent
    log ``alectro-consent.jsonl``) are in ``prefix``."""

    executable: str
    prefix: Path
    config: Path
    url: str

    def stop(self) -> None:
        subprocess.run(
            [self.executable, "-p", str(self.prefix), "-c", str(self.config), "-s", "stop"],
            capture_output=True,
            check=False,
        )


def start_nginx(executable: str, current: Path, prefix: Path) -> Nginx:
    """Serve the folder ``current`` at ``/privacy/`` with deploy/nginx.conf, nginx's files in ``prefix`` (existing).

    nginx daemonizes only once its socket listens, so the URL answers as soon as this returns.
    """
    port = free_port()
    config = prefix / "nginx.conf"
    config.write_text(nginx_config(prefix, current, port, prefix / "alectro-consent.jsonl"), encoding="utf-8")
    result = subprocess.run([executable, "-p", str(prefix), "-c", str(config)], capture_output=True, text=True)
    if result.returncode != 0:
        error_log = prefix / "error.log"
        raise RuntimeError(result.stderr + (error_log.read_text() if error_log.exists() else ""))
    return Nginx(executable, prefix, config, f"http://127.0.0.1:{port}/privacy/")


# -- an RFC 3161 time-stamping authority made with openssl ts --------------------------------------------------

OPENSSL_HINT = "No openssl found: run 'make test' (it installs Debian's openssl as root) or 'apt-get install openssl'."

TSA_CONFIG = """\
[ tsa ]
default_tsa = local
[ local ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@dataclass
class Tsa:
    """A time-stamping authority answering RFC 3161 queries over HTTP at ``url``, signed by a TSA certificate
    that the self-made CA ``ca`` issued. ``down`` makes it answer 503, as a TSA that is out of service."""

    url: str
    ca: Path
    server: http.server.ThreadingHTTPServer
    answered: list[str] = field(default_factory=list)
    down: bool = False

    def stop(self) -> None:
        self.server.shutdown()


def start_tsa(folder: Path, openssl: str = "openssl") -> Tsa:
    """A local TSA in ``folder`` (made there: a CA, a TSA certificate for time stamping, openssl's config)."""
    folder.mkdir(parents=True, exist_ok=True)

    def run(*args: str) -> None:
        result = subprocess.run([openssl, *args], cwd=folder, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"openssl {' '.join(args)}: {result.stderr}")

    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")
    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=Test CA", "-days", "3650",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    run("req", *ec, "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", "/CN=Test TSA")
    (folder / "tsa.ext").write_text(
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n"
    )
    run("x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "tsa.crt",
        "-days", "3650", "-extfile", "tsa.ext")  # fmt: skip
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(TSA_CONFIG.format(folder=folder))
    state: dict[str, Tsa] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the stdlib's name)
            tsa = state["tsa"]
            query = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if tsa.down:
                self.send_error(503)
                return
            command = ["ts", "-reply", "-config", str(folder / "tsa.cnf"), "-queryfile", "/dev/stdin", "-out", "-"]
            reply = subprocess.run([openssl, *command], input=query, capture_output=True)
            tsa.answered.append(self.headers.get("Content-Type", ""))
            self.send_response(200 if reply.returncode == 0 else 500)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply.stdout)))
            self.end_headers()
            self.wfile.write(reply.stdout)

        def log_message(self, format, *args):  # noqa: A002 (the stdlib's name)
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    _serve_in_background(server)
    state["tsa"] = Tsa(f"http://127.0.0.1:{server.server_port}/tsr", folder / "ca.crt", server)
    return state["tsa"]


# -- mkdocs serve ------------------------------------------------------------------------------------------


@dataclass
class MkdocsServe:
    """A running ``mkdocs serve`` (as ``make serve`` runs it); ``log`` collects what it prints."""

    process: subprocess.Popen
    url: str
    log: list[str] = field(default_factory=list)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def start_mkdocs_serve(project: Path, *, timeout: float = 120) -> MkdocsServe:
    """Run ``mkdocs serve`` (live reload on) in ``project`` on a free port; return once its first build is served."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    server = MkdocsServe(process, f"http://127.0.0.1:{port}/privacy/")
    ready = threading.Event()

    def read_log() -> None:
        # MkDocs says "Serving on …" once the first build is done; read on so that its pipe never fills.
        assert process.stderr is not None
        for line in process.stderr:
            server.log.append(line)
            if "Serving on" in line:
                ready.set()
        ready.set()

    threading.Thread(target=read_log, daemon=True).start()
    if not ready.wait(timeout=timeout) or process.poll() is not None:
        server.stop()
        raise RuntimeError("mkdocs serve did not start: " + "".join(server.log))
    return server
