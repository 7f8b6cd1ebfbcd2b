"""The face embeddings facesort knows: name, size, and the distances its people steps use.

Readable without loading a model. The name is stored with every face (``faces.embedding_model``)
and names the vector collection, so the embedders and the runtime must agree on it: change an
embedding, change its name here. Distances are Euclidean between the vectors an embedder
returns, and each model's thresholds were measured on its own vectors (faces-dev, the
incremental simulation of ``pipeline.steps.simulate``): they do not carry from one model to another.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class EmbeddingModel:
    name: str
    dim: int
    # pipeline.steps.clustering.ClusterParams: groups merge under this root mean square distance,
    link_distance: float
    # and a group of only two faces must be this close.
    pair_distance: float
    # pipeline.steps.assignment.AssignParams: a new face joins the person of its nearest face
    # within this distance, when the next person is this much farther.
    assign_distance: float
    assign_margin: float
    # pipeline.steps.reconcile.AttachParams: a new group joins an existing person this close.
    attach_distance: float
    attach_margin: float
    # core.services.people_suggestions: two clusters' centroids closer than this are suggested.
    suggestion_distance: float

    @property
    def identity(self) -> tuple[str, int]:
        """(name, dim): what a face row records and the vector collection is named by."""
        return self.name, self.dim


# ArcFace-trained MobileFaceNet (InsightFace's w600k_mbf, WebFace600K), 512-d, L2-normalised:
# the default. Same-person pairs of faces-dev 0.88 apart (median), other people 1.41.
# Thresholds: link 1.10-1.18 and assignment 1.05-1.10 all give the same result; a lone pair
# within 1.05-1.155 forms a cluster (0.945, dlib's ratio, leaves 1.5% of real faces unknown
# against 0.8%); attaching beyond 1.155 starts naming wrongly (1.20: 5 wrong against 3).
# Suggestions: the centroids of two random halves of one person's faces are at most 0.53 apart,
# two people's at least 0.95 (5% under 1.03); with dlib 0.26 and 0.46 (0.55), under its 0.6.
ARCFACE = EmbeddingModel(
    name="arcface_w600k_mbf",
    dim=512,
    link_distance=1.155,
    pair_distance=1.05,
    assign_distance=1.05,
    assign_margin=0.084,
    attach_distance=1.155,
    attach_margin=0.084,
    suggestion_distance=1.1,
)

# dlib's ResNet, 128-d, unnormalised (dlib calls two faces one person under 0.6). _squarebox: the
# 5-point predictor looks in the box dlib's detector would give (pipeline.ml.embedder), not in
# MTCNN's taller one; faces embedded the earlier way are "dlib_resnet_v1".
DLIB = EmbeddingModel(
    name="dlib_resnet_v1_squarebox",
    dim=128,
    link_distance=0.55,
    pair_distance=0.45,
    assign_distance=0.5,
    assign_margin=0.04,
    attach_distance=0.55,
    attach_margin=0.04,
    suggestion_distance=0.6,
)

# FaceNet InceptionResnetV1 (VGGFace2), 512-d, L2-normalised; optional (its weights are not
# shipped). Not measured here: its thresholds are ArcFace's, the other normalised embedding.
FACENET = replace(ARCFACE, name="facenet_vggface2")

# By the value of the ``embedder`` setting.
BY_SETTING: dict[str, EmbeddingModel] = {"arcface": ARCFACE, "dlib": DLIB, "facenet": FACENET}
BY_NAME: dict[str, EmbeddingModel] = {model.name: model for model in BY_SETTING.values()}


def measured_for(name: str, dim: int) -> EmbeddingModel:
    """The model of that name; for a name no longer known (an earlier version of a model, such as
    dlib's "dlib_resnet_v1"), the known model of the same size whose distances fit best."""
    known = BY_NAME.get(name)
    if known is not None:
        return known
    return next((model for model in BY_SETTING.values() if model.dim == dim), ARCFACE)
