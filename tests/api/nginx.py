"""The documented deployment's proxy in tests: Debian's nginx with the shipped
deploy/nginx/summarizer.conf.template, on a free loopback port, in a prefix folder of its own."""

from __future__ import annotations

import dataclasses
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

TEMPLATE = ROOT / "deploy" / "nginx" / "summarizer.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# The main file Debian's /etc/nginx/nginx.conf would be, reduced to what a test needs: the
# pid, logs and temporary files in the prefix, and the shipped file included in http.
MAIN = """\
user root;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/summarizer.conf;
}}
"""


@dataclasses.dataclass
class Nginx:
    url: str
    port: int
    prefix: Path
    process: subprocess.Popen

    def error_log(self) -> str:
        return (self.prefix / "error.log").read_text(errors="replace")


def render(listen: str, upstream: str, in_flight: int) -> str:
    """The shipped template with its three variables, as ``envsubst`` given their names fills
    them in (nginx's own ``$variables`` left alone)."""
    text = TEMPLATE.read_text()
    values = {
        "SUMMARIZER_LISTEN": listen,
        "SUMMARIZER_UPSTREAM": upstream,
        "SUMMARIZER_PROXY_IN_FLIGHT": str(in_flight),
    }
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(prefix: Path, upstream: str, in_flight: int = 72) -> Nginx:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (scripts/setup.sh --test installs it)")
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (prefix / "summarizer.conf").write_text(render(f"127.0.0.1:{port}", upstream, in_flight))
    conf = prefix / "nginx.conf"
    conf.write_text(MAIN.format(prefix=prefix))
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    end = time.monotonic() + 10
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(f"nginx exited: {process.stderr.read().decode()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return Nginx(f"http://127.0.0.1:{port}", port, prefix, process)
        time.sleep(0.02)
    process.kill()
    raise AssertionError("nginx did not listen in 10 s")


def stop_nginx(nginx: Nginx) -> None:
    nginx.process.send_signal(signal.SIGQUIT)  # graceful
    try:
        nginx.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        nginx.process.kill()
        nginx.process.wait()
