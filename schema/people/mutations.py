# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""What a person does to clusters and faces by hand (core.services.people), and recluster."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from core import errors as domain
from core.services import people
from core.tables import FaceCluster
from schema.context import Info
from schema.errors import NotFound, ValidationError, invalid, not_found
from schema.faces.types import Face
from schema.ids import decode_id, decode_ids, encode_id
from schema.people.types import Cluster

ClusterResult = Annotated[Cluster | NotFound | ValidationError, strawberry.union("ClusterResult")]


@strawberry.type
class RejectedFaces:
    faces: list[Face] = strawberry.field(description="The faces, now unknown.")


@strawberry.type
class DeletedCluster:
    id: strawberry.ID
    faces_unassigned: int


@strawberry.type
class ReclusterQueued:
    queued: bool


RejectFacesResult = Annotated[RejectedFaces | NotFound | ValidationError, strawberry.union("RejectFacesResult")]
DeleteClusterResult = Annotated[DeletedCluster | NotFound | ValidationError, strawberry.union("DeleteClusterResult")]


async def _guarded(action: Callable[[], Awaitable[Any]]) -> Any:
    """Run an identity operation; its expected failures become union members."""
    try:
        return await action()
    except domain.NotFound as exc:
        return not_found(exc)
    except domain.ValidationError as exc:
        return invalid(exc)


async def _cluster_op(info: Info, fn: Callable[..., FaceCluster], **ids: Any) -> Any:
    ctx = info.context
    owner_id = ctx.owner_id

    async def act() -> Cluster:
        row = await ctx.write(fn, ctx.services.sessions, owner_id=owner_id, **ids)
        return Cluster.from_row(row)

    return await _guarded(act)


def _keep_apart(sessions: Any, *, owner_id: uuid.UUID, cluster_a: uuid.UUID, cluster_b: uuid.UUID) -> FaceCluster:
    return people.keep_apart(sessions, owner_id=owner_id, cluster_a=cluster_a, cluster_b=cluster_b)[0]


def _one(kind: str, value: strawberry.ID, field: str) -> uuid.UUID:
    return decode_id(kind, value, field=field)


@strawberry.type
class PeopleMutations:
    @strawberry.mutation(description="Name or rename a cluster. An existing person's name merges the two; "
                                     "the answer is the cluster that now carries the name.")
    async def name_cluster(self, info: Info, id: strawberry.ID, name: str) -> ClusterResult:
        try:
            cluster_id = _one("Cluster", id, "id")
        except domain.ValidationError as exc:
            return invalid(exc)
        return await _cluster_op(info, people.name_cluster, cluster_id=cluster_id, name=name)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Move every face of the sources into the target; the sources go away.")
    async def merge_clusters(
        self, info: Info, target_id: strawberry.ID, source_ids: list[strawberry.ID]
    ) -> ClusterResult:
        try:
            target = _one("Cluster", target_id, "targetId")
            sources = decode_ids("Cluster", source_ids, field="sourceIds")
        except domain.ValidationError as exc:
            return invalid(exc)
        return await _cluster_op(info, people.merge_clusters, target_id=target, source_ids=sources)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Two clusters are different people: never suggest merging them again, "
                                     "never recluster them together. The answer is the first cluster.")
    async def keep_apart(self, info: Info, cluster_id: strawberry.ID, other_id: strawberry.ID) -> ClusterResult:
        try:
            first = _one("Cluster", cluster_id, "clusterId")
            second = _one("Cluster", other_id, "otherId")
        except domain.ValidationError as exc:
            return invalid(exc)
        return await _cluster_op(info, _keep_apart, cluster_a=first, cluster_b=second)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Take these faces out of the cluster into a new cluster (the answer).")
    async def split_cluster(self, info: Info, id: strawberry.ID, face_ids: list[strawberry.ID]) -> ClusterResult:
        try:
            cluster_id = _one("Cluster", id, "id")
            faces = decode_ids("Face", face_ids, field="faceIds")
        except domain.ValidationError as exc:
            return invalid(exc)
        return await _cluster_op(info, people.split_cluster, cluster_id=cluster_id, face_ids=faces)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Put faces in a cluster by hand (the answer is that cluster).")
    async def move_faces(
        self, info: Info, face_ids: list[strawberry.ID], cluster_id: strawberry.ID
    ) -> ClusterResult:
        try:
            faces = decode_ids("Face", face_ids, field="faceIds")
            target = _one("Cluster", cluster_id, "clusterId")
        except domain.ValidationError as exc:
            return invalid(exc)
        return await _cluster_op(info, people.move_faces, face_ids=faces, cluster_id=target)  # type: ignore[no-any-return]

    @strawberry.mutation(description="A new cluster of these faces, optionally named (as nameCluster would).")
    async def create_person(
        self, info: Info, face_ids: list[strawberry.ID], name: str | None = None
    ) -> ClusterResult:
        try:
            faces = decode_ids("Face", face_ids, field="faceIds")
        except domain.ValidationError as exc:
            return invalid(exc)
        return await _cluster_op(info, people.create_person_from_faces, face_ids=faces, name=name)  # type: ignore[no-any-return]

    @strawberry.mutation(description="\"Not this person\": the faces leave their clusters and never return to them.")
    async def reject_faces(self, info: Info, face_ids: list[strawberry.ID]) -> RejectFacesResult:
        ctx = info.context
        owner_id = ctx.owner_id
        try:
            faces = decode_ids("Face", face_ids, field="faceIds")
        except domain.ValidationError as exc:
            return invalid(exc)

        async def act() -> RejectedFaces:
            rows = await ctx.write(people.reject_faces, ctx.services.sessions, owner_id=owner_id, face_ids=faces)
            await ctx.call(ctx.services.enqueue_recluster, owner_id)  # the rejected faces may form a group
            return RejectedFaces(faces=[Face.from_row(row) for row in rows])

        return await _guarded(act)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Delete a cluster: its faces become unknown, the photos stay.")
    async def delete_cluster(self, info: Info, id: strawberry.ID) -> DeleteClusterResult:
        ctx = info.context
        owner_id = ctx.owner_id
        try:
            cluster_id = _one("Cluster", id, "id")
        except domain.ValidationError as exc:
            return invalid(exc)

        async def act() -> DeletedCluster:
            done = await ctx.write(people.delete_cluster, ctx.services.sessions, owner_id=owner_id,
                                  cluster_id=cluster_id)
            await ctx.call(ctx.services.enqueue_recluster, owner_id)
            return DeletedCluster(id=encode_id("Cluster", done.id), faces_unassigned=done.faces_unassigned)

        return await _guarded(act)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Hide a cluster from people lists and suggestions (or show it again).")
    async def hide_cluster(self, info: Info, id: strawberry.ID, hidden: bool) -> ClusterResult:
        try:
            cluster_id = _one("Cluster", id, "id")
        except domain.ValidationError as exc:
            return invalid(exc)
        return await _cluster_op(info, people.hide_cluster, cluster_id=cluster_id, hidden=hidden)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Choose the face shown for a cluster.")
    async def set_cover_face(
        self, info: Info, cluster_id: strawberry.ID, face_id: strawberry.ID
    ) -> ClusterResult:
        try:
            cluster = _one("Cluster", cluster_id, "clusterId")
            face = _one("Face", face_id, "faceId")
        except domain.ValidationError as exc:
            return invalid(exc)
        return await _cluster_op(info, people.set_cover_face, cluster_id=cluster, face_id=face)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Group the unknown faces again (runs in the background).")
    async def recluster(self, info: Info) -> ReclusterQueued:
        ctx = info.context
        owner_id = ctx.owner_id
        await ctx.write(people.request_recluster, ctx.services.sessions, owner_id=owner_id)
        await ctx.call(ctx.services.enqueue_recluster, owner_id)
        return ReclusterQueued(queued=True)
