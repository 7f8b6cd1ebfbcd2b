"""The face models in child processes, for the embedded server's worker threads.

dlib's descriptor holds Python's global lock for its ~60 ms a face, so worker threads cannot
overlap it with detection, thumbnails or anything else; processes can. Each child loads the
models once and analyses one photo at a time: photo bytes go in, a ``PhotoFaces`` comes back.
Measured on the dev set (2 cores): the bare loop takes 39.4 s in one process and 24 s split
over two.

A child that dies (a decoder crash, the kernel's OOM killer) breaks the pool, and a child that
takes longer than ``deadline_seconds`` on one photo (a photo that hangs a decoder) is killed
with its pool: the next call starts a fresh one, and the photo being analysed fails this
attempt and is retried by its actor, up to its attempt limit, without taking the server down.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from pipeline.ml.models import FaceModels, PhotoFaces, analyse_photo, get_face_models

_models: FaceModels | None = None
# How often a child checks that the process that started it is still there.
PARENT_CHECK_SECONDS = 1.0


def _load_models(model_options: dict[str, Any]) -> None:
    global _models  # one set of models per child process
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True, name="parent-watch").start()
    _models = get_face_models(**model_options)


def _exit_with_parent(parent: int) -> None:
    """A child outlives a server that was killed (or that a re-raised SIGTERM ended before its
    clean-up ran) as an orphan holding its models' memory: it leaves as soon as it is orphaned."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(0)


def _analyse(data: bytes, max_pixels: int) -> PhotoFaces:
    assert _models is not None, "the pool's initializer loads the models"
    return analyse_photo(_models, data, max_pixels=max_pixels)


class AnalysisError(RuntimeError):
    """The process analysing the photo died or overran its deadline; the photo may be retried."""


class AnalysisPool:
    def __init__(self, *, processes: int, model_options: dict[str, Any], deadline_seconds: float = 120.0) -> None:
        if processes < 1:
            raise ValueError("an analysis pool needs at least one process")
        self.processes = processes
        self.model_options = model_options
        # A photo takes well under a second; the first one also waits for the models to load.
        self.deadline_seconds = deadline_seconds
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def analyse(self, data: bytes, *, max_pixels: int) -> PhotoFaces:
        """``analyse_photo`` in a child process. Raises ImageError, or AnalysisError (see there)."""
        executor = self._started()
        try:
            return executor.submit(_analyse, data, max_pixels).result(timeout=self.deadline_seconds)
        except BrokenProcessPool as exc:
            self._replace(executor)
            raise AnalysisError(f"the face analysis process died: {exc}") from None
        except TimeoutError:
            self._replace(executor, kill=True)
            raise AnalysisError(
                f"face analysis took over {self.deadline_seconds:g} s; its process was stopped"
            ) from None

    def close(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # Spawned, not forked: the server has threads (uvicorn, the worker) a fork would copy mid-step.
                self._executor = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_load_models,
                    initargs=(self.model_options,),
                )
            return self._executor

    def _replace(self, broken: ProcessPoolExecutor, *, kill: bool = False) -> None:
        with self._lock:
            if self._executor is broken:
                if kill:  # shutdown() waits for a running task; a stuck one never ends
                    for process in list(broken._processes.values()):
                        process.kill()
                broken.shutdown(wait=False, cancel_futures=True)
                self._executor = None
