"""Health, the OpenAPI document of the REST routes, and the built web client (SPA fallback)."""

from __future__ import annotations

from pathlib import Path

import anyio.to_thread
import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response

from api.openapi import OPENAPI
from schema.context import Services

WEB_DIST = Path(__file__).resolve().parents[2] / "clients" / "web" / "dist"
RESERVED = ("api/", "media/", "graphql", "healthz")

PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>facesort</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>facesort is running</h1>
<p>The web client is not built yet (<code>clients/web/dist</code> is missing):
build it with <code>npm ci &amp;&amp; npm run build</code> in <code>clients/web</code>.</p>
<p>Meanwhile: upload with <code>curl -F files=@photo.jpg http://HOST/api/photos</code>,
explore the API in <a href="/graphql">GraphiQL</a>, or read <a href="/api/openapi.json">the REST routes</a>.</p>
</body></html>
"""


def _ping(services: Services) -> None:
    with services.sessions() as session:
        session.execute(sa.text("SELECT 1"))


async def healthz(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    try:
        await anyio.to_thread.run_sync(_ping, services)
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy", said plainly
        return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok"})


async def openapi(_: Request) -> JSONResponse:
    return JSONResponse(OPENAPI)


def _static_file(dist: Path, path: str) -> Path | None:
    if not path:
        return None
    candidate = (dist / path).resolve()
    if candidate.is_relative_to(dist.resolve()) and candidate.is_file():
        return candidate
    return None


async def web_client(request: Request) -> Response:
    path = request.path_params.get("path", "")
    if path.startswith(RESERVED):
        return JSONResponse({"error": "not found"}, status_code=404)
    dist: Path = request.app.state.web_dist
    index = dist / "index.html"
    if not index.is_file():
        return HTMLResponse(PLACEHOLDER)
    found = _static_file(dist, path)
    if found is not None:
        # Vite names built assets by content hash: they never change under one name.
        cache = "public, max-age=31536000, immutable" if "/assets/" in f"/{path}" else "no-cache"
        return FileResponse(found, headers={"Cache-Control": cache})
    return FileResponse(index, headers={"Cache-Control": "no-cache"})
