"""gunicorn settings for a BAS app server: `gunicorn -c bas/gunicorn.conf.py`.

The load benchmark (benchmarks/bench_load.py) runs with these. On the 2-core machines
measured, one thread per worker process gave the lowest answer-save latency (server-side
p95 19 ms against 26-31 ms with 2-4 threads per worker at the same load): requests are
short and CPU-bound, so threads of one process mostly wait for each other's GIL.
Environment: GUNICORN_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (worker processes,
default 2 x cores + 1), GUNICORN_THREADS (default 1).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
wsgi_app = "bas.wsgi:application"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
worker_class = "gthread"  # keeps idle keep-alive connections off the worker's thread
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# The app and every view are imported once in the master (see bas/wsgi.py), then forked:
# no worker stalls its first requests on imports. Nothing opens a database connection
# before the fork.
preload_app = True
timeout = 60
graceful_timeout = 30
keepalive = 30
backlog = 2048
