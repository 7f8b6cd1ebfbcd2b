"""Strawberry's ASGI view with facesort's context: caller from the auth middleware, per-request loaders."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api.auth import caller_of, session_of
from schema.context import Context, Services
from schema.schema import schema

# A query document with its variables is small; only multipart uploads may be large.
MAX_JSON_BODY = 1024 * 1024


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, services: Services) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            multipart_uploads_enabled=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            headers = dict(scope.get("headers") or [])
            content_type = headers.get(b"content-type", b"").decode("latin-1")
            length = headers.get(b"content-length", b"")
            if not content_type.startswith("multipart/") and (
                not length.isdigit() or int(length) > MAX_JSON_BODY
            ):
                response = JSONResponse(
                    {"errors": [{"message": f"request body missing a length or over {MAX_JSON_BODY} bytes"}]},
                    status_code=413,
                )
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def encode_json(self, data: object) -> str:
        """orjson: a page's answer (tens of kilobytes) in a tenth of the json module's time. Text,
        not bytes, so that subscriptions still send text frames; a NaN or infinity, which JSON
        cannot hold, becomes null (graphql-core never lets one into an answer)."""
        return orjson.dumps(data).decode()

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket | None) -> Context:
        client = request.client
        return Context(
            services=self.services,
            caller=caller_of(request),
            session=session_of(request),
            request=request,
            response=response if isinstance(response, Response) else None,
            client_address=client.host if client else "unknown",
        )
