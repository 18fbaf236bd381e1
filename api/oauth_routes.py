"""/oauth/google/callback and /oauth/microsoft/callback: where a person lands after consenting, and their grant
is stored (encrypted) as their personal calendar connection."""

from __future__ import annotations

import html
import logging

from starlette.requests import Request
from starlette.responses import HTMLResponse

from api.settings import Settings
from domain.calendar.connections import save_personal
from domain.calendar.models import Provider
from domain.clock import utc_now
from domain.errors import DomainError
from integrations.calendar.oauth import CalendarOAuth

log = logging.getLogger("mentorgraph.oauth")


def calendar_oauth(settings: Settings) -> CalendarOAuth | None:
    """None without MENTORGRAPH_SECRET_KEY: personal connections need it for the state and the tokens."""
    if not settings.secret_key:
        return None
    return CalendarOAuth(settings.calendar_oauth, settings.token_cipher())


def _page(status: int, title: str, text: str) -> HTMLResponse:
    body = f"<!doctype html><title>{html.escape(title)}</title><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"
    return HTMLResponse(body, status_code=status)


async def oauth_callback(request: Request) -> HTMLResponse:
    """Mounted as /oauth/{google,microsoft}/callback, the redirect URIs registered with each provider."""
    settings: Settings = request.app.state.settings
    oauth = calendar_oauth(settings)
    provider = Provider(request.url.path.split("/")[2].upper())
    if oauth is None:
        return _page(404, "Not available", "Personal calendar connections are not set up on this server.")
    if "error" in request.query_params:
        return _page(400, "Not connected", f"The provider said: {request.query_params['error']}.")
    code, state = request.query_params.get("code", ""), request.query_params.get("state", "")
    try:
        grant = await oauth.finish(provider=provider, code=code, state=state)
        await save_personal(
            person_id=grant.person_id,
            provider=grant.provider,
            refresh_token=grant.refresh_token,
            account_email=grant.account_email,
            cipher=oauth.cipher,
            now=utc_now(),
        )
    except DomainError as error:
        return _page(400, "Not connected", error.message)
    log.info("person %s connected their %s calendar", grant.person_id, provider.value)
    return _page(200, "Calendar connected", "Your meetings will appear in your calendar. You can close this page.")
