"""A manager opens the dashboard, its figures, exports and report; others cannot."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook

from tests.bot.reporting import report_data
from tests.bot.web.conftest import sign_in

ROUTES = ["/dashboard", "/dashboard/api/summary.json", "/dashboard/export.csv", "/dashboard/export.xlsx",
          "/dashboard/report"]


@pytest.fixture
async def manager(client, make_user):
    report_data.fill(client.server.app["sessions"])
    make_user("mgr", "manager")
    await sign_in(client, "mgr")
    return client


async def test_the_page_has_the_filter_form_and_chart_canvases_without_inline_scripts(manager):
    response = await manager.get("/dashboard?branch=城东支行")
    page = await response.text()
    assert response.status == 200
    for name in ("campaign_id", "date_from", "date_to", "branch", "event_id", "venue_type", "channel", "audience"):
        assert f'name="{name}"' in page
    assert '<option selected>城东支行</option>' in page and "幸福社区防骗讲座" in page
    assert page.count("<canvas") == 4
    assert '<script src="/static/vendor/chart.umd.js" defer></script>' in page
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []  # CSP script-src 'self': no inline scripts
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert 'href="/dashboard/export.xlsx?branch=' in page


async def test_the_static_files_the_page_needs_are_served(manager):
    for path in ("/static/dashboard.js", "/static/dashboard.css", "/static/vendor/chart.umd.js"):
        assert (await manager.get(path)).status == 200, path


async def test_summary_json_has_every_figure_for_the_filters(manager):
    response = await manager.get("/dashboard/api/summary.json", params={"branch": "城东支行"})
    assert response.status == 200
    data = await response.json()
    assert data["filters"] == {"branch": "城东支行"}
    assert data["headline"]["events"] == 2 and data["headline"]["online_reach"] == 3
    assert data["headline"]["average_score"] == pytest.approx(0.7)
    assert [e["name"] for e in data["events"]] == ["幸福社区防骗讲座", "夕阳红老年活动中心宣传"]
    assert {"activity", "topics", "audiences", "quiz_topics", "hardest", "unanswered"} <= set(data)
    police = next(t for t in data["topics"] if t["topic"] == "police")
    assert police["label"] != "police"  # titled from the knowledge base


BAD_FILTERS = [("event_id=abc", "编号"), ("date_from=2026-02-30", "日期"), ("channel=fax", "渠道"),
               ("date_from=2026-09-10&date_to=2026-09-01", "不能晚于")]


async def test_bad_filters_get_a_400_with_a_chinese_message(manager):
    for query, message in BAD_FILTERS:
        response = await manager.get(f"/dashboard/api/summary.json?{query}")
        assert response.status == 400, query
        assert message in (await response.json())["error"]
        for path in ("/dashboard/export.csv", "/dashboard/export.xlsx", "/dashboard/report"):
            page = await manager.get(f"{path}?{query}")
            assert page.status == 400 and message in await page.text(), path
        form = await manager.get(f"/dashboard?{query}")  # the form again, saying what to fix
        assert form.status == 400 and message in await form.text() and 'id="filters"' in await form.text()


async def test_csv_and_excel_exports_are_attachments(manager):
    response = await manager.get("/dashboard/export.csv", params={"event_id": "2"})
    assert response.status == 200 and response.content_type == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert rows[1] == ["筛选条件", "活动：=第一中学反诈课"]
    assert ["活动场次", "1"] in rows
    workbook = await manager.get("/dashboard/export.xlsx", params={"event_id": "2"})
    assert workbook.headers["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(await workbook.read()))
    assert book["活动明细"]["A2"].value == "'=第一中学反诈课"


async def test_the_printable_report_has_every_section(manager):
    response = await manager.get("/dashboard/report", params={"date_from": "2026-09-01", "date_to": "2026-09-05"})
    page = await response.text()
    assert response.status == 200
    for heading in ("主要数字", "各场活动", "居民最关心的主题", "助手没答上的问题"):
        assert heading in page
    assert "日期：2026-09-01 至 2026-09-05" in page
    assert "幸福社区防骗讲座" in page and "夕阳红老年活动中心宣传" not in page  # held on 10 Sep
    assert "养老金什么时候到账" in page and "27.3%" in page  # unanswered 3 of 11
    assert '<link rel="stylesheet" href="/static/dashboard.css">' in page


async def test_a_volunteer_is_refused(client, make_user):
    make_user("vol", "volunteer")
    await sign_in(client, "vol")
    for path in ROUTES:
        assert (await client.get(path, allow_redirects=False)).status == 403, path


async def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ROUTES:
        response = await client.get(path, allow_redirects=False)
        if path.endswith(".json"):
            assert response.status == 401
        else:
            assert response.status == 302 and response.headers["Location"] == f"/login?next={path}"


async def test_an_admin_may_use_the_dashboard(client, make_user):
    make_user("boss", "admin")
    await sign_in(client, "boss")
    assert (await client.get("/dashboard/api/summary.json")).status == 200
