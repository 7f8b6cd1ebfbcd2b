"""Which face of a one-person photo its label names (the dev set's fixture and `facesort eval`)."""

from pipeline.steps.evaluation import named_face_index


def test_a_large_face_near_the_centre_is_the_named_one():
    # 150 x 150 LFW-like photo: the named person centred, a slightly larger bystander at the edge.
    boxes = [(0, 10, 60, 60), (50, 45, 52, 52)]
    assert named_face_index(boxes, 150, 150) == 1


def test_a_small_central_face_does_not_beat_a_much_larger_one():
    # A portrait: the subject fills the frame off-centre; a tiny face in the middle is background.
    boxes = [(10, 10, 400, 400), (480, 480, 40, 40)]
    assert named_face_index(boxes, 1000, 1000) == 0


def test_one_face_is_the_named_one():
    assert named_face_index([(5, 5, 20, 20)], 100, 100) == 0
