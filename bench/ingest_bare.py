"""The bare-models baseline: the simplest sequential loop over photos.

open, resize to 1600 px, MTCNN, a dlib descriptor per face: no storage, no thumbnails,
no batching. bench/ingest.py compares the product pipeline against it.

    python -m bench.ingest_bare [DATASET_DIR] [--threads N]
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MAX_SIDE = 1600
MIN_CONFIDENCE = 0.9


def dev_set_paths(root: Path) -> list[Path]:
    """The labelled photos of a faces-dev style folder (labels.csv), in its order."""
    with (root / "labels.csv").open(newline="") as handle:
        return [root / row["path"] for row in csv.DictReader(handle)]


def bare_loop(paths: Sequence[Path], *, torch_threads: int | None = None) -> dict[str, Any]:
    """Run the bare models over ``paths`` one photo at a time; return throughput and stage times."""
    import dlib
    import face_recognition_models as models
    import numpy as np
    import torch
    from facenet_pytorch import MTCNN
    from PIL import Image

    if torch_threads is not None:
        torch.set_num_threads(torch_threads)
    mtcnn = MTCNN(keep_all=True, device="cpu")
    predictor = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
    encoder = dlib.face_recognition_model_v1(models.face_recognition_model_location())

    stages = {"decode": 0.0, "detect": 0.0, "embed": 0.0}
    faces = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    for path in paths:
        t0 = time.perf_counter()
        image = Image.open(path).convert("RGB")
        if max(image.size) > MAX_SIDE:
            factor = MAX_SIDE / max(image.size)
            image = image.resize((round(image.width * factor), round(image.height * factor)))
        pixels = np.asarray(image)
        t1 = time.perf_counter()
        boxes, probs = mtcnn.detect(image)
        t2 = time.perf_counter()
        if boxes is not None:
            for box, prob in zip(np.asarray(boxes, dtype=np.float32), np.asarray(probs, dtype=np.float32), strict=True):
                if prob < MIN_CONFIDENCE:
                    continue
                rect = dlib.rectangle(*(int(v) for v in box))
                encoder.compute_face_descriptor(pixels, predictor(pixels, rect))
                faces += 1
        t3 = time.perf_counter()
        stages["decode"] += t1 - t0
        stages["detect"] += t2 - t1
        stages["embed"] += t3 - t2
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    count = max(len(paths), 1)
    return {
        "photos": len(paths),
        "faces": faces,
        "seconds": round(seconds, 2),
        # CPU time of this process: on a shared machine it shows the work done, not the waiting.
        "cpu_seconds": round(cpu_seconds, 2),
        "photos_per_s": round(len(paths) / seconds, 2) if seconds else 0.0,
        "faces_per_s": round(faces / seconds, 2) if seconds else 0.0,
        "ms_per_photo": {stage: round(total * 1000 / count, 1) for stage, total in stages.items()},
        "ms_per_face_embed": round(stages["embed"] * 1000 / max(faces, 1), 1),
        "torch_threads": torch.get_num_threads(),
    }


def main() -> None:
    default = Path(os.environ.get("FACESORT_DATASETS", REPO.parent / "shared" / "datasets")) / "faces-dev"
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", nargs="?", type=Path, default=default)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    args = parser.parse_args()
    result = bare_loop(dev_set_paths(args.dataset), torch_threads=args.threads)
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
