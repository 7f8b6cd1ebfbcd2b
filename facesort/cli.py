"""`facesort` command line (DESIGN.md "Command line")."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from core.migrate import upgrade
from core.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings()
    result: int = args.handler(settings, args)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="facesort", description="Photos sorted by the people in them.")
    commands = parser.add_subparsers(title="commands")

    serve = commands.add_parser("serve", help="run the web server (and, embedded, the workers)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run Dramatiq worker processes on Redis")
    worker.add_argument("--processes", type=int, default=1)
    worker.add_argument("--threads", type=int, default=1)
    worker.add_argument(
        "--queues", nargs="+", default=None, metavar="QUEUE",
        help="consume only these queues (photos, people, maintenance); default: all. Without a Qdrant "
             "server, one process runs people and maintenance and owns the vector index, and any "
             "number run `--queues photos`",
    )
    worker.set_defaults(handler=_worker)

    importer = commands.add_parser("import", help="import folders of photos (resumable)")
    importer.add_argument("paths", nargs="+", type=Path)
    importer.add_argument("--user", default=None, help="owner's username (default: the only account)")
    importer.add_argument("--no-wait", action="store_true", help="service mode: don't wait for the workers")
    importer.set_defaults(handler=_import)

    evaluate = commands.add_parser("eval", help="measure clustering and search quality on a labelled folder")
    evaluate.add_argument("folder", type=Path)
    evaluate.add_argument("--json", type=Path, default=None, help="also write the report as JSON here")
    evaluate.add_argument("--batches", type=int, default=4, help="photos arrive in this many batches")
    evaluate.add_argument("--verbose", action="store_true", help="log every photo's pipeline steps")
    evaluate.set_defaults(handler=_eval)

    reindex = commands.add_parser("reindex", help="rebuild the vector index from the database")
    reindex.add_argument("--reembed", action="store_true", help="recompute embeddings with the configured model")
    reindex.set_defaults(handler=_reindex)

    cleanup = commands.add_parser("cleanup", help="remove blobs no photo or face refers to (after crashes)")
    cleanup.set_defaults(handler=_cleanup)

    user = commands.add_parser("user", help="manage accounts").add_subparsers(title="user commands")
    create = user.add_parser("create", help="create an account")
    create.add_argument("--username", required=True)
    create.add_argument("--password", default=None, help="default: read FACESORT_NEW_PASSWORD or ask")
    create.set_defaults(handler=_user_create)

    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.add_argument("--output", type=Path, default=None)
    export.set_defaults(handler=_export_schema)

    db = commands.add_parser("db", help="database maintenance").add_subparsers(title="db commands")
    db_upgrade = db.add_parser("upgrade", help="apply migrations")
    db_upgrade.set_defaults(handler=_db_upgrade)
    return parser


def _prepare_data_dir(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)


def _db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    _prepare_data_dir(settings)
    upgrade(settings.resolved_database_url())
    print("database is at the latest revision")
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    _prepare_data_dir(settings)
    upgrade(settings.resolved_database_url())
    settings = settings.model_copy(update={"secret_key": settings.resolved_secret_key()})
    if settings.redis_url:
        from pipeline.broker import setup_broker

        setup_broker(settings)  # the API only enqueues; `facesort worker` processes do the work
        pipeline = None
    else:
        from pipeline.worker import start_pipeline

        pipeline = start_pipeline(settings)
    try:
        app = create_app(settings, on_shutdown=pipeline.stop if pipeline is not None else None)
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    finally:
        if pipeline is not None:
            pipeline.stop()
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.redis_url:
        print("facesort worker needs FACESORT_REDIS_URL; the embedded mode runs jobs inside `facesort serve`",
              file=sys.stderr)
        return 2
    problem = worker_queues_problem(settings, args.queues, args.processes)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "dramatiq", "pipeline.worker_entry",
               "--processes", str(args.processes), "--threads", str(args.threads)]
    if args.queues:
        command += ["--queues", *args.queues]
    from pipeline.faces.indexing import QUEUES_ENV

    os.environ[QUEUES_ENV] = " ".join(args.queues or [])  # read by pipeline.worker_entry
    os.execv(sys.executable, command)  # noqa: S606 - replaces this process with Dramatiq's supervisor
    return 0  # not reached


def worker_queues_problem(settings: Settings, queues: Sequence[str] | None, processes: int) -> str | None:
    """Why this worker could not run as asked, or None."""
    from pipeline.enqueue import QUEUES, VECTOR_QUEUES

    unknown = sorted(set(queues or ()) - set(QUEUES.values()))
    if unknown:
        return f"unknown queue(s) {', '.join(unknown)}; the queues are {', '.join(sorted(set(QUEUES.values())))}"
    if settings.qdrant_url:
        return None
    vector_queues = VECTOR_QUEUES if not queues else VECTOR_QUEUES & set(queues)
    if vector_queues and (vector_queues != VECTOR_QUEUES or processes > 1):
        return (
            "without FACESORT_QDRANT_URL the embedded vector index admits one process: run one "
            f"`facesort worker --processes 1 --queues {' '.join(sorted(VECTOR_QUEUES))} ...` and scale "
            "out with `facesort worker --queues photos --processes N`, or set FACESORT_QDRANT_URL"
        )
    return None


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from facesort.importer import run_import

    return run_import(settings, args.paths, username=args.user, wait=not args.no_wait)


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    from facesort.evaluate import run_eval

    if not args.verbose:  # the report is the output; one log line per photo and step would bury it
        logging.getLogger().setLevel(logging.WARNING)
    return run_eval(args.folder, json_path=args.json, batches=args.batches)


def _reindex(settings: Settings, args: argparse.Namespace) -> int:
    from pipeline import runtime as runtime_module
    from pipeline.reindex import reindex

    runtime = runtime_module.configure(settings)
    try:
        count = reindex(runtime, reembed=args.reembed)
    finally:
        runtime.close()
    print(f"indexed {count} faces")
    return 0


def _cleanup(settings: Settings, _args: argparse.Namespace) -> int:
    from core.blobs import open_blob_store
    from core.db import make_engine, make_session_factory
    from core.services.cleanup import remove_orphan_blobs

    sessions = make_session_factory(make_engine(settings.resolved_database_url()))
    removed = remove_orphan_blobs(sessions, open_blob_store(settings))
    print(f"removed {removed} orphan blobs")
    return 0


def _user_create(settings: Settings, args: argparse.Namespace) -> int:
    import getpass

    from core.db import make_engine, make_session_factory
    from core.services.accounts import create_user

    password = args.password or os.environ.get("FACESORT_NEW_PASSWORD") or getpass.getpass("password: ")
    _prepare_data_dir(settings)
    upgrade(settings.resolved_database_url())
    sessions = make_session_factory(make_engine(settings.resolved_database_url()))
    user = create_user(sessions, username=args.username, password=password)
    print(f"created user {user.username}")
    return 0


def _export_schema(settings: Settings, args: argparse.Namespace) -> int:
    from schema.schema import export_schema

    text = export_schema()
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)
    return 0
