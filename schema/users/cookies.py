"""The web page's session cookie (HTTP-only) and its CSRF cookie (readable by the page)."""

from __future__ import annotations

from starlette.responses import Response

from core.services.accounts import SESSION_LIFETIME, csrf_token
from core.settings import Settings

SESSION_COOKIE = "facesort_session"
CSRF_COOKIE = "facesort_csrf"
CSRF_HEADER = "X-CSRF-Token"


def set_session_cookies(response: Response, *, token: str, settings: Settings) -> None:
    max_age = int(SESSION_LIFETIME.total_seconds())
    secure = settings.public_https
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax", secure=secure,
                        path="/")
    response.set_cookie(CSRF_COOKIE, csrf_token(token, settings.resolved_secret_key()), max_age=max_age,
                        httponly=False, samesite="lax", secure=secure, path="/")


def clear_session_cookies(response: Response, *, settings: Settings) -> None:
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", secure=settings.public_https, samesite="lax")
