"""The volunteer console: create and run event quizzes, redeem prizes, export."""
from __future__ import annotations

import asyncio
import csv
import io
from datetime import date
from urllib.parse import urlencode

import segno
from aiohttp import web
from sqlalchemy import select

from bot.errors import EventNotFound, InputError, RedeemError
from bot.reporting.event_stats import event_stats, results_csv
from bot.quiz.join_guard import join_activity
from bot.db.models import Campaign, Event, OfflineActivity
from bot.quiz.participants import AUDIENCE_GROUPS, VENUE_TYPES
from bot.web.access import STAFF, requires


def _int(form, name: str, default: int, low: int, high: int) -> int:
    raw = str(form.get(name, "")).strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InputError(f"“{name}”应为{low}到{high}之间的整数。")
    return int(raw)


def _event_for(request: web.Request) -> Event:
    """The event in the URL, if this user may run it (volunteers: their own)."""
    event_id = int(request.match_info["event_id"])
    with request.app["sessions"]() as session:
        event = session.get(Event, event_id)
    user = request["user"]
    if event is None or (user["role"] == "volunteer" and event.owner_id != user["uid"]):
        raise EventNotFound("没有找到这个活动，或者它不归您管理。")
    return event


def join_url(request: web.Request, event: Event, kiosk: bool = False) -> str:
    base = request.app["settings"].public_url.rstrip("/")
    return f"{base}/?{'kiosk' if kiosk else 'event'}={event.code}"


@requires(*STAFF)
async def event_list(request: web.Request) -> web.Response:
    user = request["user"]
    query = select(Event).order_by(Event.held_on.desc(), Event.id.desc())
    if user["role"] == "volunteer":
        query = query.where(Event.owner_id == user["uid"])
    with request.app["sessions"]() as session:
        events = session.execute(query).scalars().all()
    return request.app["render"](request, "console_list.html", {"events": events})


@requires(*STAFF)
async def new_event_form(request: web.Request) -> web.Response:
    with request.app["sessions"]() as session:
        campaigns = session.execute(select(Campaign).order_by(Campaign.id.desc())).scalars().all()
    return request.app["render"](request, "console_new.html", {
        "venue_types": VENUE_TYPES, "audiences": AUDIENCE_GROUPS, "campaigns": campaigns,
        "today": date.today().isoformat(), "error": ""})


@requires(*STAFF)
async def create_event(request: web.Request) -> web.Response:
    form = await request.post()
    try:
        held_on = date.fromisoformat(str(form.get("held_on", "")))
    except ValueError:
        raise InputError("请填写正确的活动日期。")
    campaign_id = None
    campaign_name = str(form.get("campaign", "")).strip()
    if campaign_name:
        with request.app["sessions"]() as session:
            campaign = session.execute(select(Campaign).where(Campaign.name == campaign_name)).scalar_one_or_none()
            if campaign is None:
                campaign = Campaign(name=campaign_name[:128])
                session.add(campaign)
                session.commit()
            campaign_id = campaign.id
    n_questions = _int(form, "n_questions", 5, 1, 20)
    event = await asyncio.to_thread(
        request.app["store"].create_event,
        name=str(form.get("name", "")), held_on=held_on, venue_type=str(form.get("venue_type", "")),
        place=str(form.get("place", "")), branch=str(form.get("branch", "")), campaign_id=campaign_id,
        target_groups=[g for g in form.getall("target_groups", []) if g in AUDIENCE_GROUPS],
        n_questions=n_questions, pass_mark=_int(form, "pass_mark", min(4, n_questions), 0, 20),
        n_prizes=_int(form, "n_prizes", 0, 0, 10000), allow_retry=form.get("allow_retry") == "on",
        owner_id=request["user"]["uid"],
    )
    raise web.HTTPFound(f"/console/events/{event.id}")


@requires(*STAFF)
async def event_page(request: web.Request) -> web.Response:
    event = _event_for(request)
    return request.app["render"](request, "console_event.html", {
        "event": event, "join_url": join_url(request, event), "kiosk_url": join_url(request, event, kiosk=True),
        "redeem_result": request.query.get("redeemed", ""), "redeem_error": request.query.get("error", ""),
        "saved": request.query.get("saved") == "1",
        "joins": await asyncio.to_thread(join_activity, request.app["sessions"], event.id,
                                         request.app["settings"].joins_per_address)})


@requires(*STAFF)
async def event_stats_json(request: web.Request) -> web.Response:
    event = _event_for(request)
    stats = await asyncio.to_thread(event_stats, request.app["sessions"], request.app["bank"], event.id)
    joins = await asyncio.to_thread(join_activity, request.app["sessions"], event.id,
                                    request.app["settings"].joins_per_address)
    return web.json_response({**stats, "joins": joins, "status": event.status})


@requires(*STAFF)
async def event_qr(request: web.Request) -> web.Response:
    event = _event_for(request)
    buffer = io.BytesIO()
    segno.make(join_url(request, event), error="m").save(buffer, kind="svg", scale=8, border=2)
    return web.Response(body=buffer.getvalue(), content_type="image/svg+xml")


@requires(*STAFF)
async def event_export(request: web.Request) -> web.Response:
    event = _event_for(request)
    text = defuse_formulas(await asyncio.to_thread(results_csv, request.app["sessions"], event.id))
    return web.Response(
        body=("\ufeff" + text).encode("utf-8"),  # BOM: Excel opens UTF-8 Chinese correctly
        content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="event-{event.code}-results.csv"'})


@requires(*STAFF)
async def redeem(request: web.Request) -> web.Response:
    event = _event_for(request)
    form = await request.post()
    code = str(form.get("code", "")).strip().upper()
    try:
        await asyncio.to_thread(request.app["store"].redeem, event.id, code, request["user"]["uid"])
    except RedeemError as error:
        message = error.message
        if request.headers.get("Accept", "").startswith("application/json"):
            return web.json_response({"ok": False, "error": message}, status=409)
        raise web.HTTPFound(f"/console/events/{event.id}?" + urlencode({"error": message}))
    if request.headers.get("Accept", "").startswith("application/json"):
        return web.json_response({"ok": True, "code": code})
    raise web.HTTPFound(f"/console/events/{event.id}?redeemed={code}")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formulas(text: str) -> str:
    """A cell a spreadsheet would run as a formula (``=1+1``, ``@SUM(...)``) is prefixed with ``'``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(text)):
        writer.writerow(["'" + cell if cell.startswith(FORMULA_STARTS) else cell for cell in row])
    return out.getvalue()


@requires(*STAFF)
async def set_joining(request: web.Request) -> web.Response:
    """Pause or resume joining (a flood from one place, a break in the programme)."""
    event = _event_for(request)
    form = await request.post()
    await asyncio.to_thread(request.app["store"].set_joining, event.id, form.get("open") == "1")
    raise web.HTTPFound(f"/console/events/{event.id}")


@requires(*STAFF)
async def close_event(request: web.Request) -> web.Response:
    event = _event_for(request)
    await asyncio.to_thread(request.app["store"].close_event, event.id)
    raise web.HTTPFound(f"/console/events/{event.id}")


@requires(*STAFF)
async def record_offline(request: web.Request) -> web.Response:
    """Offline reach a volunteer counts on site: leaflets, consultations, attendance."""
    event = _event_for(request)
    form = await request.post()
    entry = OfflineActivity(
        event_id=event.id, leaflets=_int(form, "leaflets", 0, 0, 1_000_000),
        consultations=_int(form, "consultations", 0, 0, 1_000_000),
        attendance_elderly=_int(form, "attendance_elderly", 0, 0, 1_000_000),
        attendance_youth=_int(form, "attendance_youth", 0, 0, 1_000_000),
        attendance_new_citizens=_int(form, "attendance_new_citizens", 0, 0, 1_000_000),
        attendance_other=_int(form, "attendance_other", 0, 0, 1_000_000),
        note=str(form.get("note", ""))[:500], entered_by=request["user"]["uid"])
    with request.app["sessions"]() as session:
        session.add(entry)
        session.commit()
    raise web.HTTPFound(f"/console/events/{event.id}?saved=1")
