"""Quality floors on the labelled dev set, through the real models and the incremental path.

Floors sit a little under the values measured with the default models and the distances measured
for their embedding (core.embedding_models; mean of seeds 0-2, with the second assignment after
each recluster, assignment by nearest faces as the product does: BCubed F1 0.9885, precision
0.9954, pairwise F1 0.9815; real faces left unknown 0.9%; strangers (people seen once) put in a
cluster 0%; "photos of NAME" precision 0.997, recall 0.988; held-back photos of people named
automatically 99.4%, one wrong: a photo labelled Erdogan whose face both embeddings put with the
Abdullah Gul photos), so a
regression fails here. (With dlib's embedding, the default until then: F1 0.982, unknown 2.0%,
named 93.9%.)
"""

from collections import Counter

import numpy as np
import pytest
from sklearn.cluster import DBSCAN

from core.embedding_models import EmbeddingModel
from pipeline.steps.clustering import ClusterParams, cluster_faces
from pipeline.steps.evaluation import IncrementalReport, LabelledFaces, evaluate_incremental
from pipeline.steps.metrics import clustered_share, clustering_scores
from pipeline.steps.simulate import PipelineParams

pytestmark = pytest.mark.slow

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def reports(dev_set_faces: LabelledFaces, dev_set_model: EmbeddingModel) -> list[IncrementalReport]:
    params = PipelineParams.for_model(dev_set_model)
    return [evaluate_incremental(dev_set_faces, params, seed=seed) for seed in SEEDS]


def mean(values) -> float:
    return float(np.mean(list(values)))


def test_the_dev_set_has_the_faces_the_labels_promise(dev_set_faces: LabelledFaces):
    labelled = Counter(label for label in dev_set_faces.labels if label is not None)
    assert sum(labelled.values()) == 320  # every single-person photo and stranger has its face
    assert len(dev_set_faces.strangers) == 44  # _strangers/ and four people with one photo


def test_incremental_clustering_floors(reports: list[IncrementalReport]):
    assert mean(r.clustering.bcubed.f1 for r in reports) >= 0.985
    assert mean(r.clustering.bcubed.precision for r in reports) >= 0.99
    assert mean(r.clustering.pairwise.f1 for r in reports) >= 0.975
    assert mean(r.real_unknown_share for r in reports) <= 0.015
    assert max(r.strangers_clustered_share for r in reports) <= 0.02


def test_photos_of_a_person_and_names_for_new_photos_floors(reports: list[IncrementalReport]):
    assert mean(r.naming.precision for r in reports) >= 0.993
    assert mean(r.naming.recall for r in reports) >= 0.98
    assert mean(r.auto_named_share for r in reports) >= 0.97
    assert sum(r.auto_named_wrong for r in reports) <= 2


def test_clustering_at_once_beats_dbscan_at_the_same_distance(
    dev_set_faces: LabelledFaces, dev_set_model: EmbeddingModel
):
    faces = [i for i, label in enumerate(dev_set_faces.labels) if label is not None]
    embeddings = dev_set_faces.embeddings[faces]
    truth = [dev_set_faces.labels[i] for i in faces]
    photos = [dev_set_faces.photo_ids[i] for i in faces]
    params = ClusterParams.for_model(dev_set_model)
    ours = cluster_faces(embeddings, photo_ids=photos, params=params).tolist()
    classic = DBSCAN(eps=params.link_distance, min_samples=2).fit_predict(embeddings).tolist()
    # Measured on these embeddings: 0.989 against DBSCAN's 0.959 at our link distance, where one close
    # pair chains two people together (DBSCAN's best eps here, 1.05-1.10, ties us; at 1.20 it falls to
    # 0.931 and clusters 4.5% of strangers; ours is the same from 1.10 to 1.18).
    ours_f1, classic_f1 = clustering_scores(truth, ours).bcubed.f1, clustering_scores(truth, classic).bcubed.f1
    assert ours_f1 >= 0.985
    assert ours_f1 >= classic_f1 + 0.02
    strangers = [i for i, label in enumerate(truth) if label in dev_set_faces.strangers]
    assert clustered_share([ours[i] for i in strangers]) <= 0.025
