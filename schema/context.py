"""The per-request context: the caller, one read session, the DataLoaders, the app's services."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from core.blobs import BlobStore
from core.db import SessionFactory, autocommit_sessions
from core.services import library
from core.services.accounts import Caller, LoginThrottle
from core.settings import Settings
from schema.errors import Unauthenticated
from schema.library.feeds import Feeds

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass
class AuthState:
    """What a process remembers about set-up: once an account exists, it exists for good."""

    set_up: bool = False
    local_owner: Caller | None = None


@dataclass
class Services:
    """What the app builds once and every request shares."""

    settings: Settings
    sessions: SessionFactory
    blobs: BlobStore
    enqueue_photos: Callable[[Sequence[uuid.UUID]], None]
    enqueue_recluster: Callable[[uuid.UUID], None]
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    auth: AuthState = field(default_factory=AuthState)
    # Sessions for requests' reads (auth, queries): no transaction round trips.
    reads: SessionFactory = field(init=False)
    # The libraryStatus subscriptions' shared pollers.
    status_feeds: Feeds[library.LibraryStatus] = field(init=False)

    def __post_init__(self) -> None:
        self.reads = autocommit_sessions(self.sessions)
        self.status_feeds = Feeds(self._library_status)

    def _library_status(self, owner_id: uuid.UUID) -> library.LibraryStatus:
        with self.reads() as session:
            return library.library_status(session, owner_id=owner_id)


@dataclass
class Context:
    services: Services
    caller: Caller | None
    request: Request | WebSocket | None = None
    response: Response | None = None
    client_address: str = "unknown"
    # The read session the auth middleware opened for this request (it closes it after the response).
    session: Session | None = None
    loaders: Any = field(init=False)
    _lock: anyio.Lock = field(default_factory=anyio.Lock, init=False)

    def __post_init__(self) -> None:
        from schema.loaders import Loaders  # loaders need the context type; import late

        self.loaders = Loaders(self)

    @property
    def owner_id(self) -> uuid.UUID:
        """The library the request acts on; raises when nobody is signed in."""
        if self.caller is None:
            raise Unauthenticated
        return self.caller.user_id

    async def read(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run ``fn(session, ...)`` on the request's session in a worker thread (one at a time)."""
        async with self._lock:
            return await anyio.to_thread.run_sync(partial(self._on_session, fn, *args, **kwargs))

    def _on_session(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self.session is None:
            self.session = self.services.reads()
        return fn(self.session, *args, **kwargs)

    async def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a use case (which owns its transaction) in a worker thread."""
        return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs))

    async def write(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a use case that changes data, then drop what this request read before it."""
        try:
            return await self.call(fn, *args, **kwargs)
        finally:
            async with self._lock:  # never under a read that is still running
                self.close()
                from schema.loaders import Loaders

                self.loaders = Loaders(self)

    def close(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            try:
                session.close()
            except Exception:
                log.warning("could not close the request's session", exc_info=True)


Info = StrawberryInfo[Context, None]
