"""Report filters: parsing them from a query string, the SQL conditions they mean, and
the choices the filter form offers.

Online figures (conversations and their turns) and quiz figures (attempts, answers,
prizes) are narrowed by their own start time, channel, audience and event, and by
campaign, branch and venue type through that event.  Event figures (活动场次 and
offline counts) are narrowed by the event itself, its ``held_on`` date in range.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Dict, List, Mapping, Optional, Sequence

from sqlalchemy import Date, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import InputError
from bot.db.models import Campaign, Event
from bot.quiz.participants import AUDIENCE_GROUPS, CHANNELS, VENUE_TYPES

CHANNEL_LABELS = {"web": "网页聊天", "event": "活动扫码", "kiosk": "现场平板", "live": "直播"}


@dataclass(frozen=True)
class Filters:
    """What the manager narrowed the figures to; ``None`` means "all"."""

    campaign_id: Optional[int] = None
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    branch: Optional[str] = None
    event_id: Optional[int] = None
    venue_type: Optional[str] = None
    channel: Optional[str] = None
    audience: Optional[str] = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "Filters":
        """Filters from a query string; raises ``InputError`` with a Chinese message."""
        def text(name: str) -> Optional[str]:
            value = str(query.get(name) or "").strip()
            return value or None

        def number(name: str, label: str) -> Optional[int]:
            value = text(name)
            if value is None:
                return None
            if not value.isdigit() or len(value) > 9:
                raise InputError(f"“{label}”筛选条件应为编号。")
            return int(value)

        def day(name: str, label: str) -> Optional[date]:
            value = text(name)
            try:
                return date.fromisoformat(value) if value else None
            except ValueError:
                raise InputError(f"“{label}”应为 2026-09-01 这样的日期。") from None

        def choice(name: str, label: str, allowed: Sequence[str]) -> Optional[str]:
            value = text(name)
            if value is not None and value not in allowed:
                raise InputError(f"“{label}”只能从这些里选：{'、'.join(allowed)}。")
            return value

        filters = cls(
            campaign_id=number("campaign_id", "宣传活动"), date_from=day("date_from", "开始日期"),
            date_to=day("date_to", "结束日期"), branch=text("branch"), event_id=number("event_id", "活动"),
            venue_type=choice("venue_type", "场地类型", VENUE_TYPES), channel=choice("channel", "渠道", CHANNELS),
            audience=choice("audience", "人群", AUDIENCE_GROUPS))
        if filters.branch is not None and len(filters.branch) > 64:
            raise InputError("“支行”名称太长。")
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise InputError("开始日期不能晚于结束日期。")
        return filters

    def as_query(self) -> Dict[str, str]:
        """The non-empty filters as query-string values (the inverse of ``from_query``)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = value.isoformat() if isinstance(value, date) else str(value)
        return out


def day_of(column: Any) -> Any:
    """The calendar day of a timestamp column, as ``ix_*_report`` index it (``date(...)``)."""
    return func.date(column, type_=Date)


def event_scope(f: Filters) -> List[Any]:
    conds = []
    if f.campaign_id is not None:
        conds.append(Event.campaign_id == f.campaign_id)
    if f.branch is not None:
        conds.append(Event.branch == f.branch)
    if f.venue_type is not None:
        conds.append(Event.venue_type == f.venue_type)
    return conds


def activity_conditions(f: Filters, model: Any) -> List[Any]:
    """Conditions on conversations or quiz attempts (same column names on both)."""
    conds = []
    # By day, written as the indexed expression, so SQLite reads the range off the index.
    if f.date_from is not None:
        conds.append(day_of(model.started_at) >= f.date_from)
    if f.date_to is not None:
        conds.append(day_of(model.started_at) <= f.date_to)
    if f.channel is not None:
        conds.append(model.channel == f.channel)
    if f.audience is not None:
        conds.append(model.audience == f.audience)
    if f.event_id is not None:
        conds.append(model.event_id == f.event_id)
    scope = event_scope(f)
    if scope:
        # The few matching event ids become a list each row is tested against; "+ 0" keeps SQLite
        # from seeking them in ix_*_event instead, which reads every matching row from the table.
        conds.append((model.event_id + 0).in_(select(Event.id).where(*scope)))
    return conds


def event_conditions(f: Filters) -> List[Any]:
    conds = event_scope(f)
    if f.event_id is not None:
        conds.append(Event.id == f.event_id)
    if f.date_from is not None:
        conds.append(Event.held_on >= f.date_from)
    if f.date_to is not None:
        conds.append(Event.held_on <= f.date_to)
    return conds



def describe(session: Session, filters: Filters) -> str:
    """The filters in words, for the report and the exports."""
    parts = []
    if filters.campaign_id is not None:
        name = session.execute(select(Campaign.name).where(Campaign.id == filters.campaign_id)).scalar()
        parts.append(f"宣传活动：{name or filters.campaign_id}")
    if filters.date_from or filters.date_to:
        parts.append(f"日期：{filters.date_from or '最早'} 至 {filters.date_to or '最近'}")
    if filters.branch is not None:
        parts.append(f"支行：{filters.branch}")
    if filters.event_id is not None:
        name = session.execute(select(Event.name).where(Event.id == filters.event_id)).scalar()
        parts.append(f"活动：{name or filters.event_id}")
    if filters.venue_type is not None:
        parts.append(f"场地：{filters.venue_type}")
    if filters.channel is not None:
        parts.append(f"渠道：{CHANNEL_LABELS.get(filters.channel, filters.channel)}")
    if filters.audience is not None:
        parts.append(f"人群：{filters.audience}")
    return "；".join(parts) or "全部数据"


def filter_options(sessions: sessionmaker) -> Dict[str, Any]:
    """What the filter form offers: campaigns, branches, events and the fixed lists."""
    with sessions() as session:
        campaigns = session.execute(select(Campaign.id, Campaign.name).order_by(Campaign.id.desc())).all()
        branches = session.execute(select(Event.branch).where(Event.branch != "").distinct()
                                   .order_by(Event.branch)).scalars().all()
        events = session.execute(select(Event.id, Event.name, Event.held_on)
                                 .order_by(Event.held_on.desc(), Event.id.desc())).all()
    return {
        "campaigns": [{"id": c.id, "name": c.name} for c in campaigns], "branches": list(branches),
        "events": [{"id": e.id, "name": e.name, "held_on": e.held_on.isoformat()} for e in events],
        "venue_types": list(VENUE_TYPES), "audiences": list(AUDIENCE_GROUPS),
        "channels": [{"value": c, "label": CHANNEL_LABELS.get(c, c)} for c in CHANNELS],
    }
