"""The dashboard figures as files a manager opens in Excel: CSV and .xlsx.

Both hold the headline figures ("概览") and one row per event ("活动明细").
Numbers stay numbers (rates as fractions; Excel shows them as percentages in the
.xlsx), so both files parse back to the figures on the dashboard.  Event names
and branches are typed by volunteers, so text that a spreadsheet would run as a
formula (starting with = + - @) is prefixed with an apostrophe.
"""
from __future__ import annotations

import csv
import io
from typing import Any, List, Mapping

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.reporting.queries import HEADLINE, RATE_FIGURES

SUMMARY_SHEET = "概览"
EVENTS_SHEET = "活动明细"
FILTERS_LABEL = "筛选条件"
HEADER = ("指标", "数值")
EVENT_COLUMNS = (
    ("name", "活动"), ("held_on", "日期"), ("branch", "支行"), ("venue_type", "场地类型"),
    ("conversations", "线上会话"), ("quiz_attempts", "答题人次"), ("average_score", "平均得分率"),
    ("leaflets", "宣传资料（份）"), ("attendance", "现场受众"),
)
EVENT_RATES = frozenset({"average_score"})
# Tab and carriage return too: some spreadsheets strip them and then see the formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RATE_DIGITS = 4
PERCENT = "0.0%"


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as typed, never evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value: Any, rate: bool = False) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    if rate and value is not None:
        return round(value, RATE_DIGITS)
    return value


def headline_rows(summary: Mapping[str, Any]) -> List[List[Any]]:
    """``[label, value]`` per headline figure, in dashboard order."""
    figures = summary["headline"]
    return [[label, _cell(figures[key], key in RATE_FIGURES)] for key, label in HEADLINE]


def event_rows(summary: Mapping[str, Any]) -> List[List[Any]]:
    """One row per event, columns as ``EVENT_COLUMNS``."""
    return [[_cell(event[key], key in EVENT_RATES) for key, _ in EVENT_COLUMNS] for event in summary["events"]]


def to_csv(summary: Mapping[str, Any]) -> bytes:
    """Both tables in one CSV, a titled section each; UTF-8 with a BOM so Excel reads the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([SUMMARY_SHEET])
    writer.writerow([FILTERS_LABEL, safe_text(summary["filters_text"])])
    writer.writerow(HEADER)
    writer.writerows(["" if v is None else v for v in row] for row in headline_rows(summary))
    writer.writerow([])
    writer.writerow([EVENTS_SHEET])
    writer.writerow([label for _, label in EVENT_COLUMNS])
    writer.writerows(["" if v is None else v for v in row] for row in event_rows(summary))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(summary: Mapping[str, Any]) -> bytes:
    """A workbook with the sheets "概览" (headline figures) and "活动明细" (events)."""
    book = Workbook()
    overview = book.active
    overview.title = SUMMARY_SHEET
    overview.append([FILTERS_LABEL, safe_text(summary["filters_text"])])
    overview.append(list(HEADER))
    for (key, _), row in zip(HEADLINE, headline_rows(summary)):
        overview.append(row)
        if key in RATE_FIGURES:
            overview.cell(row=overview.max_row, column=2).number_format = PERCENT
    events = book.create_sheet(EVENTS_SHEET)
    events.append([label for _, label in EVENT_COLUMNS])
    for row in event_rows(summary):
        events.append(row)
        for column, (key, _) in enumerate(EVENT_COLUMNS, start=1):
            if key in EVENT_RATES:
                events.cell(row=events.max_row, column=column).number_format = PERCENT
    for sheet, header_row in ((overview, 2), (events, 1)):
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
    overview.column_dimensions["A"].width = 18
    overview.column_dimensions["B"].width = 40
    events.freeze_panes = "A2"
    events.column_dimensions["A"].width = 32
    for letter in "BCDEFGHI":
        events.column_dimensions[letter].width = 13
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
