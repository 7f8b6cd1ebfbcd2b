"""Worker start-up: the embedded in-process worker and the Dramatiq process entry point."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import dramatiq

from core.settings import Settings
from pipeline import runtime as runtime_module
from pipeline.broker import setup_broker
from pipeline.recovery import RecoveryLoop, requeue_stale_photos

log = logging.getLogger(__name__)


@dataclass
class EmbeddedWorker:
    broker: dramatiq.Broker
    worker: dramatiq.Worker
    recovery: RecoveryLoop
    runtime: runtime_module.Runtime

    stopped: bool = False

    def stop(self) -> None:
        """Stop the threads and the analysis processes; safe to call twice."""
        if self.stopped:
            return
        self.stopped = True
        self.recovery.stop()
        self.worker.stop()
        self.runtime.close()


def start_pipeline(settings: Settings, *, in_process_threads: int | None = None) -> EmbeddedWorker:
    """Broker, runtime and actors for this process, plus worker threads and the recovery loop.

    In the embedded mode this runs inside `facesort serve`; everything unfinished from an earlier
    run is enqueued again at once, since the in-process queue died with that process. The face
    models run in ``analysis_processes`` child processes (pipeline.ml.pool), so the server
    process itself never loads torch and two photos are analysed at once on two cores.
    """
    broker = setup_broker(settings)
    runtime = runtime_module.configure(settings)
    if settings.analysis_processes > 0:
        from pipeline.ml.pool import AnalysisPool

        processes = settings.analysis_processes
        runtime.analysis_pool = AnalysisPool(
            processes=processes,
            # The cores are shared out among the children rather than each asking for all of them.
            model_options=runtime_module.model_options(
                settings, torch_threads=max(1, settings.torch_threads // processes)
            ),
        )
    import pipeline.actors
    from pipeline.reindex import faces_of_other_models

    pipeline.actors.declare_on(broker)
    faces_of_other_models(runtime)  # warns after an upgrade that changed the embedding

    worker = dramatiq.Worker(broker, worker_threads=in_process_threads or settings.worker_threads, worker_timeout=200)
    worker.start()
    requeue_stale_photos(runtime, older_than_seconds=0 if not settings.redis_url else settings.stale_after_seconds)
    recovery = RecoveryLoop(runtime, interval=min(60.0, settings.stale_after_seconds / 2),
                            stale_after=settings.stale_after_seconds)
    recovery.start()
    return EmbeddedWorker(broker=broker, worker=worker, recovery=recovery, runtime=runtime)
