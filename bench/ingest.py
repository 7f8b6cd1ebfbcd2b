"""The whole product against the bare models, on the same photos, in the same run.

Product: a real `facesort serve` (embedded defaults, temp data folder) gets the dev set over
HTTP (`POST /api/photos`, batches of 20) and the clock stops when every photo is done or failed
(from the first byte uploaded: storage, thumbnails, faces, crops, index and people included).
Bare: bench.ingest_bare's sequential loop (open, resize to 1600 px, MTCNN, dlib per face).
Both start with their models unloaded. Prints photos/s, faces/s, the ratio product/bare time,
the product's mean ms per stage per photo (from the worker's "stage ms:" log lines: ingest,
decode, detect, embed, finish, faces_total; the analysis stages run in the analysis processes,
two photos at a time) and the peak RSS of the server and of its analysis processes.

    python -m bench.ingest [DATASET_DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.ingest_bare import bare_loop, dev_set_paths
from bench.proc import children, free_port, pss_kb, rss_kb

REPO = Path(__file__).resolve().parents[1]
STATUS = "{ libraryStatus { photos pending processing done failed faces } }"




def product_run(paths: list[Path]) -> dict[str, Any]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="facesort-bench-") as tmp:
        env = {**os.environ, "FACESORT_DATA_DIR": str(Path(tmp) / "data")}
        log_path = Path(tmp) / "server.log"
        log_file = log_path.open("wb")
        server = subprocess.Popen(
            [str(REPO / ".venv/bin/facesort"), "serve", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=log_file,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base)
            peak_rss = peak_children_pss = 0
            with httpx.Client(base_url=base, timeout=120) as client:
                started = time.perf_counter()
                for start in range(0, len(paths), 20):
                    files = [("files", (p.name, p.read_bytes())) for p in paths[start : start + 20]]
                    client.post("/api/photos", files=files).raise_for_status()
                uploaded = time.perf_counter() - started
                while True:
                    status = client.post("/graphql", json={"query": STATUS}).json()["data"]["libraryStatus"]
                    peak_rss = max(peak_rss, rss_kb(server.pid))
                    peak_children_pss = max(peak_children_pss, sum(pss_kb(child) for child in children(server.pid)))
                    if status["pending"] + status["processing"] == 0 and status["photos"] >= len(paths):
                        break
                    time.sleep(0.2)
                seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(30)
            log_file.close()
        stages = stage_means(log_path.read_text(errors="replace"))
    return {
        "photos": status["photos"],
        "done": status["done"],
        "failed": status["failed"],
        "faces": status["faces"],
        "seconds": round(seconds, 2),
        "upload_seconds": round(uploaded, 2),
        "upload_photos_per_s": round(len(paths) / uploaded, 1),
        "photos_per_s": round(len(paths) / seconds, 2),
        "faces_per_s": round(status["faces"] / seconds, 2),
        "peak_rss_mb": round(peak_rss / 1024),
        # Proportional set size: the pages the children share (torch's libraries) counted once.
        "peak_pss_analysis_processes_mb": round(peak_children_pss / 1024),
        "ms_per_photo": stages,
    }


def stage_means(log: str) -> dict[str, float]:
    """Mean ms per photo of each stage named in the worker's ``stage ms: name=ms ...`` lines."""
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    for line in log.splitlines():
        _, found, pairs = line.partition("stage ms: ")
        if not found:
            continue
        for pair in pairs.split():
            name, _, value = pair.partition("=")
            try:
                totals[name] = totals.get(name, 0.0) + float(value)
            except ValueError:
                continue
            counts[name] = counts.get(name, 0) + 1
    return {name: round(totals[name] / counts[name], 1) for name in totals}






def _wait_healthy(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not come up")






def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(os.environ.get("FACESORT_DATASETS", REPO.parent / "shared" / "datasets")) / "faces-dev"
    parser.add_argument("dataset", nargs="?", type=Path, default=default)
    args = parser.parse_args(argv)
    paths = dev_set_paths(args.dataset)
    product = product_run(paths)
    bare = bare_loop(paths, torch_threads=2)
    ratio = round(product["seconds"] / bare["seconds"], 2)
    report = {"product": product, "bare": bare, "ratio_product_over_bare": ratio}
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
