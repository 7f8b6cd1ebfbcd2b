"""Re-detection keeps ids of boxes that overlap (IoU > 0.5)."""

from pipeline.faces.matching import iou, match_boxes


def box(x: float, y: float, w: float = 100, h: float = 100) -> dict[str, float]:
    return {"x": x, "y": y, "width": w, "height": h}


def test_iou_of_identical_disjoint_and_shifted_boxes() -> None:
    assert iou(box(0, 0), box(0, 0)) == 1.0
    assert iou(box(0, 0), box(500, 500)) == 0.0
    assert 0.6 < iou(box(0, 0), box(10, 10)) < 0.75


def test_match_keeps_overlapping_and_drops_the_rest() -> None:
    old = [box(0, 0), box(300, 0), box(600, 0)]
    new = [box(305, 4), box(1000, 0), box(2, 2)]
    assert match_boxes(old, new) == [1, None, 0]


def test_one_old_face_matches_at_most_one_new_face() -> None:
    old = [box(0, 0)]
    new = [box(5, 5), box(8, 8)]
    assert sorted(match_boxes(old, new), key=lambda m: m is None) == [0, None]


def test_half_overlap_is_not_the_same_face() -> None:
    assert match_boxes([box(0, 0)], [box(50, 0)]) == [None]
