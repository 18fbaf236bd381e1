"""GraphiQL from this service's own files (api/static/graphiql): the page works without reaching any CDN."""

from __future__ import annotations

from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

ASSETS = Path(__file__).resolve().parent / "static" / "graphiql"
ASSETS_PATH = "/graphiql"

# Asset URLs are relative to /graphql, so the page also works behind a proxy that mounts the API under a prefix.
PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Mentorgraph · GraphiQL</title>
    <link rel="stylesheet" href="graphiql/graphiql.min.css">
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="graphiql/react.production.min.js"></script>
    <script src="graphiql/react-dom.production.min.js"></script>
    <script src="graphiql/graphiql.min.js"></script>
    <script src="graphiql/start.js"></script>
  </body>
</html>
"""


def graphiql_page() -> HTMLResponse:
    return HTMLResponse(PAGE)


def graphiql_assets() -> Mount:
    """The vendored scripts and styles; see the README beside them for versions and licences."""
    return Mount(ASSETS_PATH, app=StaticFiles(directory=ASSETS), name="graphiql")
