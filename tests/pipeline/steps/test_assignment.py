from pipeline.steps.assignment import AssignParams, Neighbour, NewFace, assign_faces

PARAMS = AssignParams(max_distance=0.5, margin=0.04)


def face(face_id, photo_id, *pairs):
    return NewFace(face_id, photo_id, [Neighbour(cluster, distance) for cluster, distance in pairs])


def test_close_and_clearly_closest_person_is_chosen():
    result = assign_faces([face("f", "p", ("mom", 0.35), ("mom", 0.41), ("dad", 0.55))], params=PARAMS)
    assert result == {"f": "mom"}


def test_too_far_stays_unknown():
    assert assign_faces([face("f", "p", ("mom", 0.52))], params=PARAMS) == {"f": None}


def test_between_two_look_alikes_stays_unknown():
    # Nearest faces of two sisters 0.02 apart: less than the margin.
    result = assign_faces([face("f", "p", ("anna", 0.38), ("elsa", 0.40))], params=PARAMS)
    assert result == {"f": None}


def test_no_neighbours_stays_unknown():
    assert assign_faces([face("f", "p")], params=PARAMS) == {"f": None}


def test_never_a_cluster_the_face_was_rejected_from():
    result = assign_faces([face("f", "p", ("mom", 0.30), ("mom", 0.31))], rejections={("f", "mom")}, params=PARAMS)
    assert result == {"f": None}


def test_a_rejected_cluster_is_no_competitor_for_the_next_person():
    # "Not anna" was said: elsa, 0.02 farther, is now the only candidate and is close.
    faces = [face("f", "p", ("anna", 0.38), ("elsa", 0.40))]
    assert assign_faces(faces, rejections={("f", "anna")}, params=PARAMS) == {"f": "elsa"}
    # A rejection of another face changes nothing for this one.
    assert assign_faces(faces, rejections={("g", "anna")}, params=PARAMS) == {"f": None}


def test_never_a_person_already_in_the_photo():
    faces = [face("f", "p", ("mom", 0.30))]
    assert assign_faces(faces, clusters_in_photo={"p": {"mom"}}, params=PARAMS) == {"f": None}
    assert assign_faces(faces, clusters_in_photo={"other": {"mom"}}, params=PARAMS) == {"f": "mom"}


def test_two_faces_of_one_photo_never_get_the_same_person_the_closer_wins():
    faces = [face("a", "p", ("mom", 0.40)), face("b", "p", ("mom", 0.30))]
    assert assign_faces(faces, params=PARAMS) == {"a": None, "b": "mom"}


def test_the_loser_is_decided_again_knowing_it_is_not_that_person():
    # Twins in one photo: the first face is clearly Tom; the second is near both twins,
    # and once Tom is taken, Tim is its clear choice.
    faces = [
        face("first", "p", ("tom", 0.25), ("tim", 0.45)),
        face("second", "p", ("tom", 0.40), ("tim", 0.42)),
    ]
    assert assign_faces(faces, params=PARAMS) == {"first": "tom", "second": "tim"}


def test_faces_of_different_photos_may_share_a_person():
    faces = [face("a", "p1", ("mom", 0.40)), face("b", "p2", ("mom", 0.30))]
    assert assign_faces(faces, params=PARAMS) == {"a": "mom", "b": "mom"}


def test_every_face_gets_an_answer():
    faces = [face(i, i % 3, (f"c{i % 4}", 0.2 + i / 100)) for i in range(12)]
    result = assign_faces(faces, params=PARAMS)
    assert set(result) == set(range(12))
    for photo in range(3):
        chosen = [result[i] for i in range(12) if i % 3 == photo and result[i] is not None]
        assert len(chosen) == len(set(chosen))
