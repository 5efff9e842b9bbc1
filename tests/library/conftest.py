"""Crossref and PubMed stand-ins: a real HTTP server on a local port, answering with the
recorded answers in recorded/ (see its README), slow or broken on request."""

import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

RECORDED = Path(__file__).parent / "recorded"
MISEV_DOI = "10.1002/jev2.12404"
MISEV_PMID = "38326288"


def recorded(name):
    return (RECORDED / name).read_bytes()


class Services(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler still sleeping past a timeout is not waited for

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Answer)
        self.requests = []  # (path, query, headers) of each request
        self.delay = 0  # seconds to wait before answering
        self.broken = None  # (status, body) to answer everything with

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def paths(self):
        return [path for path, _query, _headers in self.requests]


class Answer(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        path = urllib.parse.unquote(url.path)
        self.server.requests.append((path, query, dict(self.headers)))
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.broken:
            return self.answer(*self.server.broken)
        if path.startswith("/crossref/works/"):
            doi = path.removeprefix("/crossref/works/").lower()
            if doi == MISEV_DOI:
                return self.answer(200, recorded("crossref-works-10.1002-jev2.12404.json"))
            return self.answer(404, b"Resource not found.", "text/plain")
        if path == "/eutils/esearch.fcgi":
            if MISEV_DOI in query.get("term", "").lower():
                return self.answer(200, recorded("eutils-esearch-10.1002-jev2.12404.json"))
            empty = {"count": "0", "retmax": "0", "retstart": "0", "idlist": []}
            return self.answer(200, json.dumps({"esearchresult": empty}).encode())
        if path == "/eutils/esummary.fcgi":
            uid = query.get("id", "")
            if uid == MISEV_PMID:
                return self.answer(200, recorded("eutils-esummary-38326288.json"))
            unknown = {"uids": [uid], uid: {"uid": uid, "error": "cannot get document summary"}}
            return self.answer(200, json.dumps({"result": unknown}).encode())
        return self.answer(404, b"Not found", "text/plain")

    def answer(self, status, body, content_type="application/json"):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up waiting (the timeout tests)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def services(settings):
    """Crossref and PubMed on a local port, and the site's lookups pointed at them."""
    server = Services()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.EXOSITE_REFERENCE_LOOKUP = True
    settings.EXOSITE_LOOKUP_TIMEOUT = 2
    settings.EXOSITE_CROSSREF_URL = f"{server.url}/crossref"
    settings.EXOSITE_EUTILS_URL = f"{server.url}/eutils"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def no_real_services(settings, closed_port):
    """No test here reaches the real Crossref or PubMed, whatever it forgets to set."""
    settings.EXOSITE_CROSSREF_URL = f"http://127.0.0.1:{closed_port}/crossref"
    settings.EXOSITE_EUTILS_URL = f"http://127.0.0.1:{closed_port}/eutils"
