"""The OpenAPI document of the few REST routes (GraphQL is described by GraphiQL and schema.graphql)."""

from __future__ import annotations

from typing import Any

_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}}
_IMAGE = {"description": "The image bytes", "content": {"image/*": {}}}
_AUTH_ERRORS = {
    "401": {"description": "Not signed in", "content": {"application/json": {"schema": _ERROR}}},
    "404": {"description": "No such image, or not yours", "content": {"application/json": {"schema": _ERROR}}},
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "facesort REST routes",
        "version": "1",
        "description": "Binary data only; everything else is GraphQL at /graphql. Authenticate with "
        "`Authorization: Bearer <token>` (createApiToken) or the web page's session cookie "
        "(then POSTs need the X-CSRF-Token header).",
    },
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
    "paths": {
        "/api/photos": {
            "post": {
                "summary": "Upload photos (many files in one request)",
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object",
                    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                    "required": ["files"],
                }}}},
                "responses": {
                    "200": {"description": "Stored photos (duplicates included) and a reason per rejected file",
                            "content": {"application/json": {"schema": {"type": "object", "properties": {
                                "photos": {"type": "array", "items": {"type": "object", "properties": {
                                    "id": {"type": "string"}, "fileName": {"type": "string"},
                                    "duplicate": {"type": "boolean"}}}},
                                "errors": {"type": "array", "items": {"type": "object", "properties": {
                                    "fileName": {"type": "string"}, "error": {"type": "string"}}}},
                            }}}}},
                    "400": {"description": "No `files` field", "content": {"application/json": {"schema": _ERROR}}},
                    "401": _AUTH_ERRORS["401"],
                    "403": {"description": "Cross-site request or missing X-CSRF-Token"},
                },
            }
        },
        "/media/photos/{id}/{kind}": {
            "get": {
                "summary": "A photo's original, 1600 px preview or 400 px thumbnail (WebP)",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "kind", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": ["original", "preview", "thumb"]}},
                ],
                "responses": {"200": _IMAGE, "304": {"description": "Not modified (ETag)"}, **_AUTH_ERRORS},
            }
        },
        "/media/faces/{id}": {
            "get": {
                "summary": "A face crop (WebP)",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _IMAGE, "304": {"description": "Not modified (ETag)"}, **_AUTH_ERRORS},
            }
        },
        "/healthz": {
            "get": {
                "summary": "Liveness and database check",
                "security": [],
                "responses": {"200": {"description": "Healthy"}, "503": {"description": "Database unreachable"}},
            }
        },
    },
}
