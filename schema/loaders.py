"""Per-request DataLoaders: each batch is one query (`= ANY(array)` or `IN (...)`), answered in key order.

A page reads what its query asks for below it (faces, their people, those people's cover faces)
in its own read, with the same batch reads, and primes the loaders with it (``page_faces``,
``covers``): the fields below then answer at once from the loaders (``load_then``), and the page
costs one trip to the worker thread instead of one per level.
"""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from strawberry.dataloader import AbstractCache, DataLoader

from core.repositories import albums as album_repo
from core.repositories import batches
from core.repositories.rows import ClusterRow, FaceRow, PhotoRow

if TYPE_CHECKING:
    from schema.context import Context

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")

# (cluster id, limit, offset): one page of a cluster's faces.
PageKey = tuple[uuid.UUID, int, int]
# (cluster id, its photo count, limit, offset): one page of a cluster's photos; the count
# chooses how the page is read (core.repositories.search.start_from_smallest).
AlbumKey = tuple[uuid.UUID, int, int, int]


class OwnKeys(AbstractCache[K, V]):
    """The loaders' cache: keys (ids, tuples of ids and numbers) are their own cache keys, and
    ``set`` is the dict's own (C) method, where strawberry's DefaultCache adds two Python calls to
    each look-up (a page looks up hundreds).

    What a page read with itself is kept as plain values (``prime``): a future is made for one
    only when ``DataLoader.load`` asks for it, where strawberry's ``prime_many`` makes and settles a
    future for every key (a page primes hundreds; ``load_then`` reads the values directly).
    """

    def __init__(self) -> None:
        self.cache_map: dict[Hashable, asyncio.Future[V]] = {}
        self.values: dict[Any, V] = {}
        self.set = self.cache_map.__setitem__  # type: ignore[method-assign, assignment]

    def get(self, key: K) -> asyncio.Future[V] | None:
        future = self.cache_map.get(key)
        if future is None and key in self.values:
            future = asyncio.get_running_loop().create_future()
            future.set_result(self.values[key])
            self.cache_map[key] = future
        return future

    def set(self, key: K, value: asyncio.Future[V]) -> None:
        self.cache_map[key] = value

    def delete(self, key: K) -> None:
        self.cache_map.pop(key, None)
        self.values.pop(key, None)

    def clear(self) -> None:
        self.cache_map.clear()
        self.values.clear()


def loader(load_fn: Callable[[list[K]], Awaitable[Sequence[V]]]) -> DataLoader[K, V]:
    return DataLoader(load_fn=load_fn, cache_map=OwnKeys())


def prime(loader: DataLoader[K, V], values: Mapping[K, V]) -> None:
    """``loader.prime_many(values)`` (keys it already has keep their values), without a future a key."""
    batch = loader.batch
    if batch is not None and not batch.dispatched:  # keys may be waiting in it: strawberry settles them
        loader.prime_many(values)
        return
    cache: OwnKeys[K, V] = loader.cache_map  # type: ignore[assignment]
    if not cache.values and not cache.cache_map:
        cache.values.update(values)
        return
    for key, value in values.items():
        if key not in cache.values and key not in cache.cache_map:
            cache.values[key] = value


@dataclass
class Covers:
    """What decides some clusters' cover faces: each chosen cover (by face id; None when it is
    gone), and the best face of each cluster whose cover is unset or has left it."""

    chosen: dict[uuid.UUID, FaceRow | None] = field(default_factory=dict)
    best: dict[PageKey, list[FaceRow]] = field(default_factory=dict)


@dataclass
class PageFaces:
    """What a page of photos shows below it, as far as its query asks: the photos' faces, their
    clusters, those clusters' covers."""

    faces: dict[uuid.UUID, list[FaceRow]] = field(default_factory=dict)
    clusters: dict[uuid.UUID, ClusterRow | None] = field(default_factory=dict)
    covers: Covers = field(default_factory=Covers)


_NONE: Any = object()


def peek(loader: DataLoader[K, V], key: K) -> Any:
    """The loader's finished answer for ``key``, or ``_NONE`` when it has none yet."""
    cache: OwnKeys[K, V] = loader.cache_map  # type: ignore[assignment]
    value = cache.values.get(key, _NONE)
    if value is not _NONE:
        return value
    future = cache.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception() is not None:
        return _NONE
    return future.result()


def load_then(loader: DataLoader[K, V], key: K, then: Callable[[V], R]) -> R:
    """``then(value for key)``: at once when the loader already has it (a page loaded it with
    itself, see schema.lookahead), else a coroutine, which graphql-core awaits as it awaits any
    resolver's answer. ``then`` may itself answer with such a coroutine."""
    loaded = loader.cache_map.values.get(key, _NONE)  # type: ignore[attr-defined]  # peek's first look, inline
    if loaded is _NONE:
        loaded = peek(loader, key)
    if loaded is not _NONE:
        return then(loaded)

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
        self.album_photo_count: DataLoader[uuid.UUID, int] = self._by_key(self._album_counts, 0)
        self.album_cover: DataLoader[uuid.UUID, PhotoRow | None] = self._by_key(self._album_covers, None)
        self.faces_of_cluster: DataLoader[PageKey, list[FaceRow]] = loader(self._pages(
            lambda session, keys, limit, offset: batches.faces_of_clusters(
                session, cluster_ids=[key[0] for key in keys], limit=limit, offset=offset)))
        self.photos_of_cluster: DataLoader[AlbumKey, list[PhotoRow]] = loader(self._pages(
            lambda session, keys, limit, offset: batches.photos_of_clusters(
                session, photo_counts={key[0]: key[1] for key in keys}, limit=limit, offset=offset)))

    def _by_key(self, fetch: Callable[[Any, Any], dict[Any, Any]], missing: Any) -> DataLoader[Any, Any]:
        async def load(keys: list[Any]) -> list[Any]:
            found = await self._context.read(fetch, keys)
            return [found.get(key, missing) for key in keys]

        return loader(load)

    # --- what a page reads below it, in its own read (a worker thread), then primes ----------------

    def page_faces(self, session: Any, photo_ids: Sequence[uuid.UUID], *, clusters: bool, covers: bool
                   ) -> PageFaces:
        """The faces of a page of photos; with ``clusters``, their clusters; with ``covers``, theirs."""
        found = self._faces_of_photos(session, photo_ids)
        page = PageFaces(faces={photo_id: found.get(photo_id, []) for photo_id in photo_ids})
        if not clusters:
            return page
        cluster_ids = list(dict.fromkeys(
            face.cluster_id for faces in page.faces.values() for face in faces if face.cluster_id is not None))
        if cluster_ids:
            rows = self._clusters(session, cluster_ids)
            page.clusters = {cluster_id: rows.get(cluster_id) for cluster_id in cluster_ids}
        if covers:
            page.covers = self.covers(session, [row for row in page.clusters.values() if row is not None])
        return page

    def covers(self, session: Any, rows: Sequence[ClusterRow]) -> Covers:
        """What decides the clusters' cover faces: each chosen cover, and the best face of those
        whose cover is unset or has left them (at most two batched queries for a whole page)."""
        chosen_ids = list(dict.fromkeys(row.cover_face_id for row in rows if row.cover_face_id is not None))
        found = self._faces(session, chosen_ids) if chosen_ids else {}
        cluster_of = {face.id: face.cluster_id for face in found.values()}
        need_best = [row.id for row in rows
                     if row.cover_face_id is None or cluster_of.get(row.cover_face_id) != row.id]
        best = batches.faces_of_clusters(session, cluster_ids=need_best, limit=1, offset=0) if need_best else {}
        return Covers(chosen={face_id: found.get(face_id) for face_id in chosen_ids},
                      best={(cluster_id, 1, 0): best.get(cluster_id, []) for cluster_id in need_best})

    def prime_page(self, page: PageFaces) -> None:
        prime(self.faces_of_photo, page.faces)
        prime(self.cluster, page.clusters)
        self.prime_covers(page.covers)

    def prime_covers(self, covers: Covers) -> None:
        prime(self.face, covers.chosen)
        prime(self.faces_of_cluster, covers.best)

    def _pages(
        self, fetch: Callable[[Any, list[Any], int, int], dict[uuid.UUID, list[V]]]
    ) -> Callable[[list[Any]], Awaitable[list[list[V]]]]:
        """Page keys (cluster id first, limit and offset last) asking for the same page size and
        offset share one statement: ``fetch(session, keys, limit, offset)`` by cluster id."""

        async def load(keys: list[Any]) -> list[list[V]]:
            groups: dict[tuple[int, int], list[Any]] = {}
            for key in keys:
                groups.setdefault((key[-2], key[-1]), []).append(key)
            pages: dict[Any, list[V]] = {}
            for (limit, offset), group in groups.items():
                found = await self._context.read(
                    lambda session, g=group, lim=limit, off=offset: fetch(session, g, lim, off)
                )
                for key in group:
                    pages[key] = found.get(key[0], [])
            return [pages[key] for key in keys]

        return load

    @property
    def _owner(self) -> uuid.UUID:
        return self._context.owner_id

    def _photos(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, PhotoRow]:
        return batches.photos_by_id(session, owner_id=self._owner, photo_ids=keys)

    def _faces(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, FaceRow]:
        return batches.faces_by_id(session, owner_id=self._owner, face_ids=keys)

    def _clusters(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, ClusterRow]:
        return batches.clusters_by_id(session, owner_id=self._owner, cluster_ids=keys)

    def _faces_of_photos(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[FaceRow]]:
        return batches.faces_of_photos(session, owner_id=self._owner, photo_ids=keys)

    def _labels_of_photos(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        return batches.labels_of_photos(session, photo_ids=keys)

    def _album_counts(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
        return album_repo.photo_counts(session, album_ids=keys)

    def _album_covers(self, session: Any, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, PhotoRow]:
        return album_repo.covers(session, album_ids=keys)
