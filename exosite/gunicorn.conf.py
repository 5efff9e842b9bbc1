"""gunicorn settings for `make serve` and production: `gunicorn -c exosite/gunicorn.conf.py`.

Every value can be changed from the environment (README, "Deployment"). The defaults were
measured on the 2-core reference machine with `make bench-load`: see bench/load.py.
"""

import multiprocessing
import os

# Loopback by default: a reverse proxy or load balancer in front talks to it.
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")

# Processes: the site is CPU-bound Python (the GIL), so one process per core plus one
# to cover the moments a process waits on the database or the network.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# Threads per process: a few, so that keep-alive connections and database waits do not
# hold a whole process. With threads gunicorn uses its "gthread" worker.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
keepalive = 5

# A request that takes longer than this is killed (and logged) rather than left to hang.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Replace each process after this many requests (with jitter so they do not all restart
# at once): bounds the memory any slow leak can take.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10

# Logs on stdout/stderr. Django writes the access log itself (exosite.access, JSON, with
# the request id), so gunicorn's own is off unless asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = False

# Trust X-Forwarded-* only from the proxy on this machine (set FORWARDED_ALLOW_IPS for
# another one).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Worker heartbeat files on tmpfs (no disk I/O stalls on busy hosts).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Persistent database connections in each process (Django's default of 0 opens one
# per request), with a health check before each reuse.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")

proc_name = "exosite"
