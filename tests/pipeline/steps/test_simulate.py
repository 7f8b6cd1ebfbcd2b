import numpy as np

from pipeline.steps.clustering import UNKNOWN
from pipeline.steps.evaluation import LabelledFaces, evaluate_incremental, split_photos
from pipeline.steps.metrics import bcubed_scores
from pipeline.steps.simulate import Library, PipelineParams
from tests.pipeline.steps.synthetic import people_faces

FACES_PER_PERSON = [12, 10, 9, 8, 6, 5, 4, 3]


def library_of(embeddings):
    return Library(embeddings, photo_ids=list(range(len(embeddings))), params=PipelineParams())


def test_batches_of_photos_end_as_one_cluster_per_person_with_stable_ids():
    embeddings, person = people_faces(FACES_PER_PERSON, spread=0.3, seed=21)
    order = np.random.default_rng(0).permutation(len(person))
    library = library_of(embeddings)
    first_seen: dict[int, int] = {}
    for batch in np.array_split(order, 5):
        library.add_faces(batch)
        for face in np.flatnonzero(library.cluster != UNKNOWN):
            # Once in a cluster, a face stays in that cluster as more photos arrive.
            assert first_seen.setdefault(int(face), int(library.cluster[face])) == library.cluster[face]
    assert bcubed_scores(person.tolist(), library.cluster.tolist()).f1 > 0.97


def test_a_name_given_once_reaches_new_photos_of_the_person():
    embeddings, person = people_faces([10, 10, 10], spread=0.3, seed=5)
    later = [int(np.flatnonzero(person == p)[-1]) for p in range(3)]
    library = library_of(embeddings)
    library.add_faces([f for f in range(len(person)) if f not in later])
    clusters = {p: int(library.cluster[np.flatnonzero(person == p)[0]]) for p in range(3)}
    library.name_clusters({clusters[0]: "Mom", clusters[1]: "Dad"})
    library.add_faces(later)
    assert library.name_of(later[0]) == "Mom"
    assert library.name_of(later[1]) == "Dad"
    assert library.name_of(later[2]) is None  # person 2 was never named


def test_naming_a_second_cluster_with_an_existing_name_merges_them():
    embeddings, _ = people_faces([4, 4], seed=2)
    library = library_of(embeddings)
    library.add_faces(range(8))
    first, second = int(library.cluster[0]), int(library.cluster[4])
    library.name_clusters({first: "Mom"})
    library.name_clusters({second: "Mom"})
    assert (library.cluster[:8] == first).all()


def synthetic_labelled(seed: int = 0) -> LabelledFaces:
    embeddings, person = people_faces([*FACES_PER_PERSON, *([1] * 10)], spread=0.3, seed=seed)
    labels = [f"p{p}" if p < len(FACES_PER_PERSON) else f"stranger:{p}" for p in person.tolist()]
    photos = [f"photo{i}" for i in range(len(labels))]
    return LabelledFaces(
        embeddings=embeddings,
        photo_ids=photos,
        labels=labels,
        strangers=frozenset(label for label in labels if label.startswith("stranger:")),
        photo_people={photo: frozenset({label}) for photo, label in zip(photos, labels, strict=True)},
        fully_labelled=dict.fromkeys(photos, True),
    )


def test_split_holds_back_a_share_of_each_person_and_keeps_every_photo_once():
    faces = synthetic_labelled()
    batches, held = split_photos(faces, batches=5, holdout=0.2, seed=1)
    shown = [photo for batch in batches for photo in batch]
    assert sorted(shown + held) == sorted(set(faces.photo_ids))
    assert len(batches) == 5
    held_people = {next(iter(faces.photo_people[p])) for p in held}
    assert {f"p{i}" for i in range(len(FACES_PER_PERSON))} <= held_people


def test_incremental_evaluation_on_well_separated_people_is_near_perfect():
    report = evaluate_incremental(synthetic_labelled(), seed=3)
    assert report.clustering.bcubed.f1 > 0.97
    assert report.strangers_clustered_share == 0.0
    assert report.real_unknown_share < 0.05
    assert report.naming.precision == 1.0
    assert report.auto_named_share == 1.0
    assert report.auto_named_wrong == 0
    assert report.held_back >= len(FACES_PER_PERSON)


def test_low_quality_faces_never_start_a_cluster_but_may_join_a_person():
    embeddings, person = people_faces([6, 3], spread=0.3, seed=8)
    clusterable = [True] * 6 + [False] * 3
    library = Library(embeddings, list(range(9)), PipelineParams(), clusterable)
    library.add_faces(range(9))
    # Person 1's three blurred faces would form a cluster, but low quality starts none.
    assert (library.cluster[6:] == UNKNOWN).all()
    assert len(set(library.cluster[:6].tolist())) == 1
    # A blurred new face of person 0 still joins them by assignment.
    late = np.vstack([embeddings, embeddings[:6].mean(0, keepdims=True)])
    library = Library(late, list(range(10)), PipelineParams(), [*clusterable, False])
    library.add_faces(range(9))
    library.add_faces([9])
    assert library.cluster[9] == library.cluster[0] != UNKNOWN
