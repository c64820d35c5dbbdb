"""The CSV and Excel exports parse back to the dashboard's figures, and run no formulas."""
import csv
import io

import pytest
from openpyxl import load_workbook

from bot.reporting import export as report_export
from bot.reporting import queries as report_queries
from bot.reporting.filters import Filters
from tests.bot.reporting import report_data


@pytest.fixture
def summary(sessions, bank):
    report_data.fill(sessions)
    return report_queries.summary(sessions, Filters(), bank=bank)


def number(text: str):
    """A CSV cell as the number it holds (``None`` when empty)."""
    if text == "":
        return None
    return float(text) if "." in text else int(text)


def expected_headline(summary):
    return {label: (None if summary["headline"][key] is None else pytest.approx(summary["headline"][key], abs=1e-4))
            for key, label in report_queries.HEADLINE}


def expected_events(summary):
    rows = []
    for event in summary["events"]:
        row = []
        for key, _ in report_export.EVENT_COLUMNS:
            value = event[key]
            row.append(pytest.approx(value, abs=1e-4) if isinstance(value, float) else value)
        rows.append(row)
    return rows


def test_csv_has_both_tables_and_the_same_numbers(summary):
    body = report_export.to_csv(summary)
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads the Chinese as UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["概览"] and rows[1] == ["筛选条件", "全部数据"] and rows[2] == ["指标", "数值"]
    n = len(report_queries.HEADLINE)
    assert {label: number(value) for label, value in rows[3:3 + n]} == expected_headline(summary)
    assert rows[3 + n] == [] and rows[4 + n] == ["活动明细"]
    assert rows[5 + n] == [label for _, label in report_export.EVENT_COLUMNS]
    events = [[number(v) if i >= 4 else v for i, v in enumerate(r)] for r in rows[6 + n:]]
    neutralised = [[("'" + v if isinstance(v, str) and v.startswith("=") else v) for v in r]
                   for r in expected_events(summary)]
    assert events == neutralised


def test_xlsx_has_two_sheets_with_the_same_numbers(summary):
    book = load_workbook(io.BytesIO(report_export.to_xlsx(summary)))
    assert book.sheetnames == ["概览", "活动明细"]
    overview = list(book["概览"].iter_rows(values_only=True))
    assert overview[0] == ("筛选条件", "全部数据") and overview[1] == ("指标", "数值")
    assert dict(overview[2:]) == expected_headline(summary)
    assert book["概览"]["B10"].number_format == "0.0%"  # 未解答比例 shows as a percentage
    events = list(book["活动明细"].iter_rows(values_only=True))
    assert list(events[0]) == [label for _, label in report_export.EVENT_COLUMNS]
    expected = [[("'" + v if isinstance(v, str) and v.startswith("=") else v) for v in r]
                for r in expected_events(summary)]
    assert [list(r) for r in events[1:]] == expected


def test_an_event_name_that_looks_like_a_formula_stays_text(summary):
    assert summary["events"][1]["name"] == "=第一中学反诈课"
    book = load_workbook(io.BytesIO(report_export.to_xlsx(summary)))
    cell = book["活动明细"]["A3"]
    assert cell.data_type == "s" and cell.value == "'=第一中学反诈课"
    assert "'=第一中学反诈课" in report_export.to_csv(summary).decode("utf-8-sig")


@pytest.mark.parametrize("text, shown", [
    ("=1+1", "'=1+1"), ("+86 123", "'+86 123"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("城东支行", "城东支行"), ("", ""),
])
def test_safe_text(text, shown):
    assert report_export.safe_text(text) == shown


def test_an_empty_summary_exports_headers_only(sessions):
    empty = report_queries.summary(sessions, Filters())
    rows = list(csv.reader(io.StringIO(report_export.to_csv(empty).decode("utf-8-sig"))))
    assert rows[-1] == [label for _, label in report_export.EVENT_COLUMNS]
    book = load_workbook(io.BytesIO(report_export.to_xlsx(empty)))
    assert book["活动明细"].max_row == 1
