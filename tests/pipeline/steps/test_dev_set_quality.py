"""Quality floors on the labelled dev set, through the real models and the incremental path.

Floors sit a little under the values measured with the defaults (mean of seeds 0-2, with
the second assignment after each recluster, assignment by nearest faces as the product does,
dlib's predictor in its square box: BCubed F1 0.982, precision 0.991, pairwise F1 0.975; real
faces left unknown 2.0%; strangers (people seen once) put in a cluster 0%; "photos of NAME"
precision 0.992, recall 0.973; held-back photos of people named automatically 93.9%, two
wrong), so a regression fails here.
"""

from collections import Counter

import numpy as np
import pytest
from sklearn.cluster import DBSCAN

from pipeline.steps.clustering import cluster_faces
from pipeline.steps.evaluation import IncrementalReport, LabelledFaces, evaluate_incremental
from pipeline.steps.metrics import clustered_share, clustering_scores

pytestmark = pytest.mark.slow

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def reports(dev_set_faces: LabelledFaces) -> list[IncrementalReport]:
    return [evaluate_incremental(dev_set_faces, seed=seed) for seed in SEEDS]


def mean(values) -> float:
    return float(np.mean(list(values)))


def test_the_dev_set_has_the_faces_the_labels_promise(dev_set_faces: LabelledFaces):
    labelled = Counter(label for label in dev_set_faces.labels if label is not None)
    assert sum(labelled.values()) == 320  # every single-person photo and stranger has its face
    assert len(dev_set_faces.strangers) == 44  # _strangers/ and four people with one photo


def test_incremental_clustering_floors(reports: list[IncrementalReport]):
    assert mean(r.clustering.bcubed.f1 for r in reports) >= 0.978
    assert mean(r.clustering.bcubed.precision for r in reports) >= 0.985
    assert mean(r.clustering.pairwise.f1 for r in reports) >= 0.965
    assert mean(r.real_unknown_share for r in reports) <= 0.027
    assert max(r.strangers_clustered_share for r in reports) <= 0.04


def test_photos_of_a_person_and_names_for_new_photos_floors(reports: list[IncrementalReport]):
    assert mean(r.naming.precision for r in reports) >= 0.985
    assert mean(r.naming.recall for r in reports) >= 0.96
    assert mean(r.auto_named_share for r in reports) >= 0.92
    assert sum(r.auto_named_wrong for r in reports) <= 3


def test_clustering_at_once_beats_the_classic_dbscan_recipe(dev_set_faces: LabelledFaces):
    faces = [i for i, label in enumerate(dev_set_faces.labels) if label is not None]
    embeddings = dev_set_faces.embeddings[faces]
    truth = [dev_set_faces.labels[i] for i in faces]
    photos = [dev_set_faces.photo_ids[i] for i in faces]
    ours = cluster_faces(embeddings, photo_ids=photos).tolist()
    classic = DBSCAN(eps=0.5, min_samples=2).fit_predict(embeddings).tolist()
    # Measured on these embeddings: 0.986 against DBSCAN's 0.981 (0.978 against 0.964 when dlib's
    # predictor still looked in MTCNN's box: better embeddings lift the classic recipe too).
    ours_f1, classic_f1 = clustering_scores(truth, ours).bcubed.f1, clustering_scores(truth, classic).bcubed.f1
    assert ours_f1 >= 0.983
    assert ours_f1 >= classic_f1 + 0.003
    strangers = [i for i, label in enumerate(truth) if label in dev_set_faces.strangers]
    assert clustered_share([ours[i] for i in strangers]) <= 0.025
