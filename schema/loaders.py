"""Per-request DataLoaders: each batch is one ``IN (...)`` query, answered in key order."""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from strawberry.dataloader import DataLoader

from core.repositories import albums as album_repo
from core.repositories import search
from core.repositories.rows import ClusterRow, FaceRow, PhotoRow

if TYPE_CHECKING:
    from schema.context import Context

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")

# (cluster id, limit, offset): one page of a cluster's faces or photos.
PageKey = tuple[uuid.UUID, int, int]


def peek(loader: DataLoader[K, V], key: K) -> asyncio.Future[V] | None:
    """The loader's finished answer for ``key``, if it has one."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception() is not None:
        return None
    return future


def load_then(loader: DataLoader[K, V], key: K, then: Callable[[V], R]) -> R:
    """``then(value for key)``: at once when the loader already has it (a page loaded it with
    itself, see schema.lookahead), else a coroutine, which graphql-core awaits as it awaits any
    resolver's answer. ``then`` may itself answer with such a coroutine."""
    loaded = peek(loader, key)
    if loaded is not None:
        return then(loaded.result())

    async def later() -> Any:
        answer: Any = then(await loader.load(key))
        return await answer if inspect.isawaitable(answer) else answer

    return cast("R", later())


class Loaders:
    def __init__(self, context: Context) -> None:
        self._context = context
        self.photo = self._by_key(self._photos, None)
        self.face = self._by_key(self._faces, None)
        self.cluster = self._by_key(self._clusters, None)
        self.faces_of_photo: DataLoader[uuid.UUID, list[FaceRow]] = self._by_key(self._faces_of_photos, [])
        self.labels_of_photo: DataLoader[uuid.UUID, list[str]] = self._by_key(self._labels_of_photos, [])
        self.face_count: DataLoader[uuid.UUID, int] = self._by_key(self._face_counts, 0)
        self.photo_count: DataLoader[uuid.UUID, int] = self._by_key(self._photo_counts, 0)
        self.album_photo_count: DataLoader[uuid.UUID, int] = self._by_key(self._album_counts, 0)
        self.album_cover: DataLoader[uuid.UUID, PhotoRow | None] = self._by_key(self._album_covers, None)
        self.faces_of_cluster: DataLoader[PageKey, list[FaceRow]] = DataLoader(self._pages(search.faces_of_clusters))
        self.photos_of_cluster: DataLoader[PageKey, list[PhotoRow]] = DataLoader(self._pages(search.photos_of_clusters))

    def _by_key(self, fetch: Callable[[Any, Any], dict[Any, Any]], missing: Any) -> DataLoader[Any, Any]:
        async def load(keys: list[Any]) -> list[Any]:
            found = await self._context.read(fetch, keys)
            return [found.get(key, missing) for key in keys]

        return DataLoader(load_fn=load)

    def _pages(
        self, fetch: Callable[..., dict[uuid.UUID, list[V]]]
    ) -> Callable[[list[PageKey]], Awaitable[list[list[V]]]]:
        """Keys asking for the same page size and offset share one window query."""

        async def load(keys: list[PageKey]) -> list[list[V]]:
            groups: dict[tuple[int, int], list[uuid.UUID]] = {}
            for cluster_id, limit, offset in keys:
                groups.setdefault((limit, offset), []).append(cluster_id)
            pages: dict[PageKey, list[V]] = {}
            for (limit, offset), cluster_ids in groups.items():
                found = await self._context.read(
                    lambda session, ids=cluster_ids, lim=limit, off=offset: fetch(
                        session, cluster_ids=ids, limit=lim, offset=off
                    )
                )
                for cluster_id in cluster_ids:
                    pages[(cluster_id, limit, offset)] = found.get(cluster_id, [])
            return [pages[key] for key in keys]

        return load

    @property
    def _owner(self) -> uuid.UUID:
        return self._context.owner_id

    def _photos(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, PhotoRow]:
        return search.photos_by_id(session, owner_id=self._owner, photo_ids=keys)

    def _faces(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, FaceRow]:
        return search.faces_by_id(session, owner_id=self._owner, face_ids=keys)

    def _clusters(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, ClusterRow]:
        return search.clusters_by_id(session, owner_id=self._owner, cluster_ids=keys)

    def _faces_of_photos(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[FaceRow]]:
        return search.faces_of_photos(session, owner_id=self._owner, photo_ids=keys)

    def _labels_of_photos(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        return search.labels_of_photos(session, photo_ids=keys)

    def _face_counts(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
        return search.face_counts(session, cluster_ids=keys)

    def _photo_counts(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
        return search.photo_counts(session, cluster_ids=keys)

    def _album_counts(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
        return album_repo.photo_counts(session, album_ids=keys)

    def _album_covers(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, PhotoRow]:
        return album_repo.covers(session, album_ids=keys)
