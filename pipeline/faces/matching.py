"""Re-detection keeps a face's id, cluster and name when its new box overlaps the old one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SAME_FACE_IOU = 0.5


def iou(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """Intersection over union of two {x, y, width, height} boxes."""
    left, top = max(a["x"], b["x"]), max(a["y"], b["y"])
    right = min(a["x"] + a["width"], b["x"] + b["width"])
    bottom = min(a["y"] + a["height"], b["y"] + b["height"])
    inter = max(0.0, right - left) * max(0.0, bottom - top)
    union = a["width"] * a["height"] + b["width"] * b["height"] - inter
    return inter / union if union > 0 else 0.0


def match_boxes(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[int | None]:
    """For each new box, the index of the old box it continues (IoU > 0.5, best pairs first)."""
    pairs = sorted(
        ((iou(o, n), i, j) for i, o in enumerate(old) for j, n in enumerate(new)),
        reverse=True,
    )
    result: list[int | None] = [None] * len(new)
    used: set[int] = set()
    for overlap, i, j in pairs:
        if overlap <= SAME_FACE_IOU:
            break
        if i in used or result[j] is not None:
            continue
        result[j] = i
        used.add(i)
    return result
