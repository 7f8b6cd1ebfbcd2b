"""Module loaded by each `facesort worker` process (through Dramatiq's CLI)."""

from __future__ import annotations

import logging
import os

from core.settings import Settings
from pipeline import runtime as runtime_module
from pipeline.broker import setup_broker
from pipeline.faces.indexing import QUEUES_ENV, worker_owns_vectors
from pipeline.recovery import RecoveryLoop

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s")

settings = Settings()
if not settings.redis_url:
    raise SystemExit("facesort worker needs FACESORT_REDIS_URL (the embedded mode runs jobs inside `facesort serve`)")
broker = setup_broker(settings)
runtime = runtime_module.configure(settings)
runtime.owns_vectors = worker_owns_vectors(settings, os.environ.get(QUEUES_ENV, "").split())

import pipeline.actors  # noqa: E402, F401 - declares the actors on the broker above
from pipeline.reindex import faces_of_other_models  # noqa: E402

faces_of_other_models(runtime)  # warns after an upgrade that changed the embedding

stale_after = settings.stale_after_seconds
RecoveryLoop(runtime, interval=min(60.0, stale_after / 2), stale_after=stale_after).start()
