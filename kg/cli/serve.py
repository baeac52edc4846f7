"""`kg serve`: the endpoint on waitress (multi-threaded), with the store opened once for the process."""
from __future__ import annotations

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (0.0.0.0: all).")
@click.option("--port", default=5000, show_default=True, type=int, help="TCP port.")
@click.option("--store", envvar="KG_STORE", default="./kg-data", show_default=True,
              help="Store directory. Env: KG_STORE. The server holds it: ingest through POST /ingest meanwhile.")
@click.option("--base-iri", envvar="KG_BASE_IRI", default=None,
              help="Base IRI of the graph's articles/entities (default http://localhost:5000/). Env: KG_BASE_IRI.")
@click.option("--read-only", is_flag=True, envvar="KG_READ_ONLY",
              help="Open the store read-only: no updates, graph-store writes or ingest. Env: KG_READ_ONLY.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(min=1),
              help="Threads serving requests; also the query worker processes of each server process (each "
                   "thread waits on at most one), unless KG_MAX_RUNNING_QUERIES says otherwise.")
@click.option("--timeout", type=float, default=None, help="Query time limit in seconds (default 30). "
              "Env: KG_QUERY_TIMEOUT.")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(min=1),
              help="Server processes sharing the port (with --read-only only: each opens the store read-only). "
                   "Python serialises request handling per process; more processes use more cores.")
@click.option("--channel-timeout", default=30, show_default=True, type=click.IntRange(min=1),
              help="Seconds a connection may sit idle (a slow or half-open client) before it is closed.")
@click.option("--connection-limit", default=256, show_default=True, type=click.IntRange(min=1),
              help="Open connections served at once; more wait in the listen backlog. Public: use a reverse proxy.")
@click.option("--watch", "watched", multiple=True, metavar="SOURCE",
              help="Keep the graph current from this feed, page or folder while serving (repeatable; see kg watch).")
@click.option("--watch-interval", type=click.FloatRange(min=1), default=900, show_default=True,
              envvar="KG_WATCH_INTERVAL", help="Seconds between polls of the watched sources. Env: KG_WATCH_INTERVAL.")
@click.option("--ingest-workers", type=click.IntRange(min=1), default=None,
              help="Extraction processes for POST /ingest and --watch, started with the server and reused (default 1: "
                   "in the server process). Env: KG_INGEST_WORKERS.")
def serve(host, port, store, base_iri, read_only, threads, timeout, processes, channel_timeout, connection_limit,
          watched, watch_interval, ingest_workers):
    """Serve the SPARQL endpoint, the query page and entity pages.

    Writes (update, graph store, ingest) need KG_UPDATE_TOKEN in the environment.

    Example: KG_UPDATE_TOKEN=s3cret kg serve --port 5000 --store ./kg-data
    """
    import os

    from waitress import serve as waitress_serve

    from ..errors import KGError
    from ..web import create_app
    from ..web.resource import holder

    if processes > 1 and not read_only:
        raise click.ClickException("--processes > 1 needs --read-only: only one process can write the store")
    if watched and read_only:
        raise click.ClickException("--watch writes the store: it cannot be combined with --read-only")
    sock = listen(host, port)
    if processes > 1:
        prefork(processes)  # before the store is opened: each process opens its own read-only handle
    overrides = {"KG_STORE": store, "KG_READ_ONLY": read_only}
    if base_iri:
        overrides["KG_BASE_IRI"] = base_iri
    if timeout is not None:
        overrides["KG_QUERY_TIMEOUT"] = timeout
    if ingest_workers is not None:
        overrides["KG_INGEST_WORKERS"] = ingest_workers
    if "KG_MAX_RUNNING_QUERIES" not in os.environ:  # fewer slots than threads queue short queries behind long ones
        overrides["KG_MAX_RUNNING_QUERIES"] = threads
    app = create_app(overrides)
    with app.app_context():
        try:
            kg = holder().get()  # open the store now: a locked store is an error at start, not at the first request
        except KGError as exc:
            raise click.ClickException(str(exc)) from None
    import threading

    threading.Thread(target=holder_of(app).pool, daemon=True, name="kg-pool-start").start()  # queries wait for it
    cfg = app.config
    if cfg["KG_INGEST_WORKERS"] > 1 and not read_only:  # warm them up meanwhile, for the first POST /ingest
        from ..ingest.pool import worker_pool

        threading.Thread(target=worker_pool, args=(cfg["KG_INGEST_WORKERS"], kg.pipeline_args), daemon=True).start()
    click.echo(f"kg: serving {store} ({'read-only' if read_only else 'read-write'}) at http://{host}:{port}/ "
               f"- SPARQL at /sparql, writes {'on' if cfg.get('KG_UPDATE_TOKEN') and not read_only else 'off'}",
               err=True)
    stop_watching = None
    if watched:
        from ..feeds.watch import start_in_server

        stop_watching = start_in_server(app, list(watched), watch_interval)
        click.echo(f"kg: watching {len(watched)} source(s) every {watch_interval:g} s", err=True)
    try:
        # idle connections are checked every cleanup_interval seconds: at most the channel timeout
        waitress_serve(app, sockets=[sock], threads=threads, ident="kg", max_request_body_size=cfg["KG_MAX_BODY"],
                       channel_timeout=channel_timeout, cleanup_interval=min(30, max(1, channel_timeout // 2)),
                       connection_limit=connection_limit)
    finally:
        if stop_watching is not None:
            stop_watching()


def holder_of(app):
    with app.app_context():
        from ..web.resource import holder

        return holder()


def listen(host: str, port: int):
    """The listening socket, made before any fork so that every server process accepts on it."""
    import socket

    try:
        sock = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET,
                                    backlog=1024)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.setblocking(False)
    return sock


def prefork(processes: int) -> None:
    """Fork processes-1 children that serve the same socket; the parent stops them when it is stopped."""
    import os
    import signal
    import sys

    children = []
    for _ in range(processes - 1):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            return
        children.append(pid)

    def stop(signum, frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)  # reap it: no zombie left behind
            except (ProcessLookupError, ChildProcessError):
                pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
