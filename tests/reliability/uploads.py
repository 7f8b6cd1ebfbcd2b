"""The three ways files come in (HTTP, GraphQL multipart, folder import), with one result shape.

Multipart bodies are written by hand so a file name reaches the server byte for byte (httpx
would percent-encode control characters before the server ever saw them).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from core.db import SessionFactory, transaction
from core.repositories import photos as photo_repo
from core.settings import Settings
from schema.ids import decode_id

BOUNDARY = "facesort-test-boundary-7d1f"


@dataclass
class Outcome:
    """What one upload request said: stored photos in order, and (file name, reason) per rejected file."""

    photos: list[tuple[uuid.UUID, str, bool]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _part(disposition: bytes, data: bytes, content_type: bytes | None = None) -> bytes:
    head = b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-data; " + disposition + b"\r\n"
    if content_type:
        head += b"Content-Type: " + content_type + b"\r\n"
    return head + b"\r\n" + data + b"\r\n"


def _quoted(name: str) -> bytes:
    return name.encode("utf-8").replace(b"\\", b"\\\\").replace(b'"', b'\\"')


def multipart(
    fields: Sequence[tuple[str, bytes]], files: Sequence[tuple[str, str, bytes]]
) -> tuple[bytes, dict[str, str]]:
    body = b"".join(_part(b'name="' + name.encode() + b'"', value) for name, value in fields)
    body += b"".join(
        _part(b'name="' + field_name.encode() + b'"; filename="' + _quoted(file_name) + b'"', data, b"image/jpeg")
        for field_name, file_name, data in files
    )
    body += b"--" + BOUNDARY.encode() + b"--\r\n"
    return body, {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}


def _outcome(body: dict[str, object]) -> Outcome:
    photos = body["photos"]
    errors = body["errors"]
    assert isinstance(photos, list) and isinstance(errors, list)
    return Outcome(
        photos=[(decode_id("Photo", p["id"]), p["fileName"], p["duplicate"]) for p in photos],
        errors=[(e["fileName"], e["error"]) for e in errors],
    )


def upload_http(client: TestClient, files: Sequence[tuple[str, bytes]]) -> Outcome:
    body, headers = multipart([], [("files", name, data) for name, data in files])
    response = client.post("/api/photos", content=body, headers=headers)
    assert response.status_code == 200, response.text
    return _outcome(response.json())


UPLOAD_MUTATION = (
    "mutation($files: [Upload!]!) { uploadPhotos(files: $files) { "
    "photos { id fileName duplicate } errors { fileName error } } }"
)


def upload_graphql(client: TestClient, files: Sequence[tuple[str, bytes]]) -> Outcome:
    operations = {"query": UPLOAD_MUTATION, "variables": {"files": [None] * len(files)}}
    mapping = {str(i): [f"variables.files.{i}"] for i in range(len(files))}
    body, headers = multipart(
        [("operations", json.dumps(operations).encode()), ("map", json.dumps(mapping).encode())],
        [(str(i), name, data) for i, (name, data) in enumerate(files)],
    )
    response = client.post("/graphql", content=body, headers=headers)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert "errors" not in payload, payload
    return _outcome(payload["data"]["uploadPhotos"])


def upload_folder(
    settings: Settings, sessions: SessionFactory, folder: Path, files: Sequence[tuple[str, bytes]],
    capsys: pytest.CaptureFixture[str],
) -> Outcome:
    """`facesort import`'s upload loop over files written under `folder` with the given names."""
    from facesort.importer import owner_for_import, upload_files
    from pipeline.broker import setup_broker

    setup_broker(settings)
    paths = []
    for i, (name, data) in enumerate(files):
        directory = folder / f"{i:03d}"  # one folder per file, so equal names can coexist on disk
        directory.mkdir(parents=True)
        path = directory / name
        path.write_bytes(data)
        paths.append(path)
    owner_id = owner_for_import(sessions, username=None)
    capsys.readouterr()
    stored, skipped, failed = upload_files(settings, sessions, owner_id, paths)
    printed = capsys.readouterr()
    lines = (printed.out + printed.err).splitlines()
    outcome = Outcome()
    seen: set[uuid.UUID] = set()
    for path, (_name, data) in zip(paths, files, strict=True):
        with transaction(sessions) as session:
            row = photo_repo.find_by_sha256(session, owner_id=owner_id, sha256=hashlib.sha256(data).hexdigest())
        if row is not None:
            outcome.photos.append((row.id, row.file_name, row.id in seen))
            seen.add(row.id)
            continue
        reasons = [line.split(f"{path}: ", 1)[1] for line in lines if f"{path}: " in line]
        assert len(reasons) == 1, f"no reason printed for {path!r}: {lines}"
        outcome.errors.append((path.name, reasons[0]))
    assert (stored, skipped, failed) == (
        len({p[0] for p in outcome.photos}), sum(p[2] for p in outcome.photos), len(outcome.errors))
    return outcome


Upload = Callable[[Sequence[tuple[str, bytes]]], Outcome]
