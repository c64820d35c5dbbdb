"""The manager dashboard: figures and charts, exports, a printable campaign report.

Every route takes the same filters in its query string (see ``Filters.from_query``);
a bad value is an ``InputError``, which the error middleware turns into a 400
with a Chinese message (JSON for ``summary.json``).  Queries run in a worker
thread so a large aggregate never blocks the event loop.
"""
from __future__ import annotations

import asyncio
from datetime import date
from typing import Any, Dict, Optional
from urllib.parse import urlencode

from aiohttp import web

from bot.reporting import export as report_export
from bot.reporting import queries as report_queries
from bot.errors import InputError
from bot.reporting.filters import Filters
from bot.web.access import REPORTING, requires

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_TOPICS = 10
REPORT_UNANSWERED = 30


def _titles(app: web.Application) -> Dict[str, str]:
    return {key: topic.title for key, topic in app["knowledge"].topics.items()}


async def _summary(request: web.Request, filters: Filters, unanswered_limit: int = 20) -> Dict[str, Any]:
    app = request.app
    return await asyncio.to_thread(report_queries.summary, app["sessions"], filters, bank=app["bank"],
                                   titles=_titles(app), unanswered_limit=unanswered_limit)


def _attachment(body: bytes, content_type: str, extension: str, charset: Optional[str] = None) -> web.Response:
    name = f"fraudbot-dashboard-{date.today():%Y%m%d}.{extension}"
    return web.Response(body=body, content_type=content_type, charset=charset,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@requires(*REPORTING)
async def dashboard_page(request: web.Request) -> web.Response:
    """The filter form and empty charts; ``dashboard.js`` fills them from ``summary.json``."""
    error, status = "", 200
    try:
        filters = Filters.from_query(request.query)
    except InputError as problem:  # show the form again, with what to fix
        error, status, filters = problem.message, 400, Filters()
    options = await asyncio.to_thread(report_queries.filter_options, request.app["sessions"])
    return request.app["render"](request, "dashboard.html", {
        "options": options, "selected": filters.as_query(), "query": urlencode(filters.as_query()),
        "headline": report_queries.HEADLINE, "error": error}, status=status)


@requires(*REPORTING)
async def summary_json(request: web.Request) -> web.Response:
    """All figures, charts and unanswered groups for the filters in the query string."""
    return web.json_response(await _summary(request, Filters.from_query(request.query)))


@requires(*REPORTING)
async def export_csv(request: web.Request) -> web.Response:
    summary = await _summary(request, Filters.from_query(request.query))
    return _attachment(report_export.to_csv(summary), "text/csv", "csv", charset="utf-8")


@requires(*REPORTING)
async def export_xlsx(request: web.Request) -> web.Response:
    summary = await _summary(request, Filters.from_query(request.query))
    return _attachment(report_export.to_xlsx(summary), XLSX_TYPE, "xlsx")


@requires(*REPORTING)
async def report_page(request: web.Request) -> web.Response:
    """The campaign report as one printable page; the browser saves it as PDF."""
    filters = Filters.from_query(request.query)
    summary = await _summary(request, filters, unanswered_limit=REPORT_UNANSWERED)
    return request.app["render"](request, "report.html", {
        "summary": summary, "headline": report_queries.HEADLINE, "rates": report_queries.RATE_FIGURES,
        "topics": summary["topics"][:REPORT_TOPICS], "query": urlencode(filters.as_query()),
        "today": date.today().isoformat()})


def setup(app: web.Application) -> None:
    r = app.router
    r.add_get("/dashboard", dashboard_page)
    r.add_get("/dashboard/api/summary.json", summary_json)
    r.add_get("/dashboard/export.csv", export_csv)
    r.add_get("/dashboard/export.xlsx", export_xlsx)
    r.add_get("/dashboard/report", report_page)
