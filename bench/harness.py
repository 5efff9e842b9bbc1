"""What the scripts in bench/ share: a deadline, `make serve` started and stopped, plain
HTTP on loopback, manage.py and Django code run in a child process, fresh throwaway
databases, a Redis server of a benchmark's own, and timing.

Everything here talks only to 127.0.0.1, and every wait is bounded: by its own timeout and
by the script's deadline (`deadline.start(seconds)`).
"""

import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

BASE = Path(__file__).resolve().parent.parent
PY = str(BASE / ".venv" / "bin" / "python")
VAR = BASE / "var"
SCRIPTS = BASE / "scripts"


class Deadline:
    """The time a whole script may take; every wait below stops at it."""

    def __init__(self):
        self.end = time.monotonic() + 3600

    def start(self, seconds):
        self.end = time.monotonic() + seconds

    def remaining(self, at_least=1.0):
        return max(at_least, self.end - time.monotonic())

    def passed(self):
        return time.monotonic() > self.end


deadline = Deadline()


class TimedOut(Exception):
    pass


def wait_for(check, timeout, what, interval=0.2):
    """Call `check` until it returns something true, and return that; TimedOut after
    `timeout` seconds (or at the deadline), naming `what` was awaited."""
    stop = time.monotonic() + min(timeout, deadline.remaining())
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= stop:
            raise TimedOut(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url, secret, **extra):
    """The environment of a production server on loopback (DEBUG off, plain HTTP), without
    any DJANGO_ or REDIS_ setting of the caller's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
    )
    env.update(extra)
    return env


def manage(env, *args, quiet=False):
    """manage.py in a child process, with the server's environment."""
    subprocess.run(
        [PY, "manage.py", *args],
        cwd=BASE,
        env=env,
        check=True,
        timeout=deadline.remaining(),
        stdout=subprocess.DEVNULL if quiet else None,
    )


def django_json(env, code, stdin=None):
    """Run `code` with Django set up (production settings, the server's database) and
    return the JSON it prints last; SystemExit with its error output if it fails."""
    result = subprocess.run(
        [PY, "-c", "import django; django.setup()\n" + code],
        cwd=BASE,
        env={**env, "DJANGO_SETTINGS_MODULE": "exosite.settings"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=deadline.remaining(),
    )
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- databases ---------------------------------------------------------------------------


def fresh_sqlite(name):
    """(DATABASE_URL, cleanup) for an empty SQLite file var/<name>.sqlite3."""
    VAR.mkdir(exist_ok=True)
    path = VAR / f"{name}.sqlite3"
    for old in VAR.glob(f"{name}.sqlite3*"):
        old.unlink()
    return f"sqlite:///{path}", lambda: None


def postgres_url():
    """DATABASE_URL when it names a PostgreSQL server, else the one scripts/postgres starts
    (installing it when missing)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    return subprocess.run(
        [str(SCRIPTS / "postgres")], capture_output=True, text=True, check=True
    ).stdout.strip()


def fresh_postgres(name):
    """(DATABASE_URL, cleanup) for an empty database `name` on the local PostgreSQL server,
    made with the role of postgres_url(); cleanup drops it."""
    import psycopg

    parts = urlparse(postgres_url())
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("The PostgreSQL server must be on this machine (loopback).")
    admin = parts._replace(path="/postgres").geturl()

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    drop()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return parts._replace(path=f"/{name}").geturl(), drop


# -- HTTP --------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    def text(self):
        return self.body.decode()

    def json(self):
        return json.loads(self.body)


class Http:
    """Plain HTTP/1.1 to 127.0.0.1:port, one connection per request; any status is an
    answer (no exception for 4xx/5xx)."""

    def __init__(self, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def request(self, method, path, body=None, headers=None, timeout=60):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Response(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def get(self, path, headers=None, timeout=60):
        return self.request("GET", path, headers=headers, timeout=timeout)


# -- processes ---------------------------------------------------------------------------


def _processes():
    """{pid: (parent pid, command line)} of every process, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":  # a killed process not yet reaped is gone already
            found[int(entry.name)] = (int(fields[1]), command)
    return found


def _cpu_ticks(pid):
    """utime + stime + cutime + cstime (fields 14-17 of /proc/PID/stat): the process's CPU
    time and that of the children it has reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0
    return sum(int(value) for value in fields[11:15])


def _memory(pid):
    """(VmRSS, VmHWM) of a process in bytes, (0, 0) once it is gone."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = int(value.split()[0]) * 1024  # kB
    except FileNotFoundError:
        pass
    return found.get("VmRSS", 0), found.get("VmHWM", 0)


class Server:
    """`make serve` (gunicorn, production settings) on a free port, in its own process
    group; a context manager that stops it whatever happens. `base`: the copy of the
    project to serve from (see copy_release), this tree by default."""

    def __init__(self, env, *, log, workers=None, ready_timeout=180, base=BASE):
        self.port = free_port()
        self.http = Http(self.port)
        self.url = self.http.url
        self.log = open(log, "a")  # noqa: SIM115 (closed in stop())
        env = {**env, "PORT": str(self.port)}
        if workers:
            env["WEB_CONCURRENCY"] = str(workers)
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=base,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.wait_ready(ready_timeout)
        except BaseException:
            self.stop()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def _healthy(self):
        if self.process.poll() is not None:
            raise SystemExit(f"make serve exited; see {self.log.name}")
        try:
            return self.http.get("/healthz", timeout=5).status == 200
        except OSError:
            return False

    def wait_ready(self, timeout=180):
        try:
            wait_for(self._healthy, timeout, "make serve answering /healthz", interval=0.3)
        except TimedOut as exc:
            raise SystemExit(f"{exc}; see {self.log.name}") from None

    def master_pid(self):
        """gunicorn's master: the gunicorn process among `make`'s descendants whose parent
        is not gunicorn (scripts/serve exec's into it)."""
        processes = _processes()
        family = {self.process.pid}
        for pid, (parent, _) in sorted(processes.items()):
            if parent in family:
                family.add(pid)
        for pid in sorted(family):
            parent, command = processes.get(pid, (None, ""))
            if "gunicorn" in command and "gunicorn" not in processes.get(parent, (0, ""))[1]:
                return pid
        raise SystemExit("gunicorn master not found")

    def workers(self):
        master = self.master_pid()
        return sorted(pid for pid, (parent, _) in _processes().items() if parent == master)

    def worker_memory(self):
        """{pid: (VmRSS, VmHWM)} of each gunicorn worker, in bytes, from /proc/PID/status:
        its resident memory now and at its peak."""
        return {pid: _memory(pid) for pid in self.workers()}

    def busiest_worker(self):
        """The worker that has used the most CPU time: one that has been serving (a
        replacement just forked may not have loaded the site yet)."""
        return max(self.workers(), key=_cpu_ticks)

    def cpu_seconds(self):
        """CPU time used so far by gunicorn: the master, its live workers, and the workers
        it has reaped (counted in the master's cutime/cstime)."""
        master = self.master_pid()
        ticks = sum(_cpu_ticks(pid) for pid in [master, *self.workers()])
        return ticks / os.sysconf("SC_CLK_TCK")

    def reload(self):
        """SIGHUP: new workers load the app again (whitenoise re-reads the static files)."""
        old = set(self.workers())
        os.kill(self.master_pid(), signal.SIGHUP)
        wait_for(
            lambda: (current := set(self.workers())) and not current & old,
            60,
            "gunicorn workers replaced after SIGHUP",
        )
        self.wait_ready()

    def kill_worker(self, pid, timeout=60):
        """SIGKILL one worker, then wait until gunicorn has reaped it and a replacement is
        up (as many workers as before); returns the seconds that took."""
        before = set(self.workers())
        started = time.monotonic()
        os.kill(pid, signal.SIGKILL)

        def replaced():
            current = set(self.workers())
            return pid not in current and len(current) >= len(before) and current - before

        wait_for(replaced, timeout, f"worker {pid} killed and replaced", interval=0.05)
        return time.monotonic() - started

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


# -- Redis -------------------------------------------------------------------------------


class Unavailable(Exception):
    """A component the benchmark needs cannot be had here; the message says why."""


class Redis:
    """A Redis server of the benchmark's own on a free port, started by scripts/redis
    (which installs redis-server from Debian's packages when missing and it may)."""

    def __init__(self):
        self.port = free_port()
        self.url = None

    def start(self):
        result = subprocess.run(
            [str(SCRIPTS / "redis")],
            env={**os.environ, "REDIS_PORT": str(self.port)},
            capture_output=True,
            text=True,
            timeout=600,  # the first time, it may install the package
        )
        if result.returncode:
            reason = result.stderr.strip().splitlines()[-1:] or [f"exit {result.returncode}"]
            raise Unavailable(f"Redis could not be started by scripts/redis: {reason[0]}")
        self.url = result.stdout.strip()
        wait_for(self.ping, 30, "Redis answering PING")
        return self.url

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def shutdown(self, timeout=30):
        """SHUTDOWN NOSAVE, then wait until it no longer answers."""
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True,
            timeout=30,
        )
        wait_for(lambda: not self.ping(), timeout, "Redis gone (PING failing)")


# -- timing ------------------------------------------------------------------------------


def timed_ms(function, runs, warmup=0):
    """Milliseconds taken by each of `runs` calls of `function`, after `warmup` calls."""
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def median(values):
    return statistics.median(values)


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def project_on_path():
    """Make the project importable from a script in bench/."""
    if str(BASE) not in sys.path:
        sys.path.insert(0, str(BASE))


# -- a second release ----------------------------------------------------------------------


def copy_release(dest):
    """Copy this project's code (the working tree, as `make serve` would run it) to `dest`,
    to be changed and served as another release; the virtualenv is shared by a symlink, and
    file times are kept so that make does not reinstall it."""
    import shutil

    shutil.copytree(
        BASE,
        dest,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "node_modules",
            "var",
            "media",
            "staticfiles",
            "tests",
            "bench",
            "__pycache__",
            ".*_cache",
            "db.sqlite3*",
        ),
    )
    (Path(dest) / ".venv").symlink_to(BASE / ".venv")
    return Path(dest)
