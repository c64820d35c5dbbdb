"""A volunteer creates an event, sees live figures, redeems a prize, exports results."""
import csv
import io
import re

import pytest

from bot.quiz import rules as quiz_rules
from tests.bot.web.conftest import csrf_of, sign_in


async def create_event(client, **fields):
    token = await csrf_of(client)
    data = {"csrf": token, "name": "幸福社区防骗讲座", "place": "幸福社区活动室", "held_on": "2026-11-27",
            "venue_type": "社区", "branch": "城东支行", "campaign": "2026年金融教育宣传月",
            "n_questions": "5", "pass_mark": "4", "n_prizes": "2"}
    data.update(fields)
    response = await client.post("/console/events", data=data, allow_redirects=False)
    assert response.status == 302, await response.text()
    return int(response.headers["Location"].rsplit("/", 1)[1])


def play(app, code, sender, right):
    store, bank = app["store"], app["bank"]
    joined = store.join(code, sender, nickname=f"阿姨{sender}")
    ids = quiz_rules.choose_round(bank, joined.n_questions)
    attempt = store.start_attempt(sender, ids, "event", "", joined.event_id, joined.participant_id)
    for i, qid in enumerate(ids):
        q = bank.get(qid)
        chosen = q.answer_index if i < right else (q.answer_index + 1) % len(q.choices)
        store.record_answer(attempt, i, q, chosen, chosen == q.answer_index)
    return store.finish_attempt(attempt)


async def test_event_lifecycle(client, make_user):
    make_user("vol", "volunteer")
    await sign_in(client, "vol")
    event_id = await create_event(client)
    page = await (await client.get(f"/console/events/{event_id}")).text()
    code = re.search(r'class="code">(\d{6})<', page).group(1)
    assert f"?event={code}" in page
    qr = await client.get(f"/console/events/{event_id}/qr.svg")
    assert qr.status == 200 and qr.content_type == "image/svg+xml"

    app = client.server.app
    winner = play(app, code, "w1", 5)
    play(app, code, "l1", 2)
    stats = await (await client.get(f"/console/events/{event_id}/stats.json")).json()
    assert stats["participants"] == 2 and stats["completions"] == 2
    assert [r["score"] for r in stats["leaderboard"]] == [5, 2]
    assert stats["leaderboard"][0]["nickname"] == "阿姨w1"
    assert stats["prizes"] == {"offered": 2, "issued": 1, "redeemed": 0}
    assert sum(sum(q["counts"]) for q in stats["questions"]) == 10

    token = await csrf_of(client, f"/console/events/{event_id}")
    ok = await client.post(f"/console/events/{event_id}/redeem", data={"csrf": token, "code": winner.prize_code})
    assert "核销成功" in await ok.text()
    again = await client.post(f"/console/events/{event_id}/redeem", data={"csrf": token, "code": winner.prize_code})
    assert "已经兑换过" in await again.text()

    export = await client.get(f"/console/events/{event_id}/export.csv")
    rows = list(csv.reader(io.StringIO((await export.read()).decode("utf-8-sig"))))
    assert rows[0][0] == "答题编号" and len(rows) == 3
    assert {r[5] for r in rows[1:]} == {"5", "2"} and winner.prize_code in {r[9] for r in rows[1:]}

    await client.post(f"/console/events/{event_id}/close", data={"csrf": token})
    closed = await (await client.get(f"/console/events/{event_id}")).text()
    assert "已结束" in closed


async def test_a_volunteer_sees_only_their_own_events(client, make_user):
    make_user("vol_a", "volunteer")
    make_user("vol_b", "volunteer")
    await sign_in(client, "vol_a")
    event_id = await create_event(client)
    client.session.cookie_jar.clear()
    await sign_in(client, "vol_b")
    assert (await client.get(f"/console/events/{event_id}")).status == 404
    assert "幸福社区防骗讲座" not in await (await client.get("/console")).text()


async def test_bad_event_input_gets_a_clear_message(client, make_user):
    make_user("vol_c", "volunteer")
    await sign_in(client, "vol_c")
    token = await csrf_of(client)
    response = await client.post("/console/events", data={"csrf": token, "name": "x", "held_on": "not-a-date",
                                                           "venue_type": "社区"})
    assert response.status == 400 and "日期" in await response.text()
    response = await client.post("/console/events", data={"csrf": token, "name": "x", "held_on": "2026-11-27",
                                                           "venue_type": "社区", "n_questions": "abc"})
    assert response.status == 400 and "n_questions" in await response.text()


async def test_offline_activity_is_recorded(client, make_user):
    from sqlalchemy import select
    from bot.db.models import OfflineActivity

    make_user("vol_d", "volunteer")
    await sign_in(client, "vol_d")
    event_id = await create_event(client)
    token = await csrf_of(client, f"/console/events/{event_id}")
    response = await client.post(f"/console/events/{event_id}/offline",
                                 data={"csrf": token, "leaflets": "800", "consultations": "35", "attendance_elderly": "120"})
    assert "已保存" in await response.text()
    with client.server.app["sessions"]() as s:
        row = s.execute(select(OfflineActivity)).scalar_one()
    assert (row.leaflets, row.consultations, row.attendance_elderly) == (800, 35, 120)


async def test_admin_creates_users(client, make_user):
    make_user("boss", "admin")
    await sign_in(client, "boss")
    token = await csrf_of(client, "/admin/users")
    response = await client.post("/admin/users", data={"csrf": token, "username": "newvol", "password": "short",
                                                       "role": "volunteer"})
    assert response.status == 400 and "至少8位" in await response.text()
    response = await client.post("/admin/users", data={"csrf": token, "username": "newvol",
                                                       "password": "long-enough-1", "role": "volunteer"})
    assert "已创建账号 newvol" in await response.text()


def flood(app, code, n, source="one-ip"):
    for i in range(n):
        app["store"].join(code, f"script-{i}", source=source)


async def test_a_volunteer_sees_a_flood_from_one_network_and_pauses_joining(client, make_user):
    from bot.errors import EventClosed
    from bot.quiz.join_guard import FLOOD_WARNING

    make_user("volf", "volunteer")
    await sign_in(client, "volf")
    event_id = await create_event(client)
    page = await (await client.get(f"/console/events/{event_id}")).text()
    code = re.search(r'class="code">(\d{6})<', page).group(1)
    app = client.server.app
    flood(app, code, FLOOD_WARNING)
    stats = await (await client.get(f"/console/events/{event_id}/stats.json")).json()
    assert stats["joins"]["recent_joins"] == FLOOD_WARNING and stats["joins"]["flood"] is True
    page = await (await client.get(f"/console/events/{event_id}")).text()
    assert "可能有人用脚本刷奖品" in page and "暂停加入" in page

    token = await csrf_of(client, f"/console/events/{event_id}")
    response = await client.post(f"/console/events/{event_id}/joining", data={"csrf": token, "open": "0"},
                                 allow_redirects=False)
    assert response.status == 302
    with pytest.raises(EventClosed, match="暂时停止"):
        app["store"].join(code, "script-after-pause", source="one-ip")
    assert "恢复加入" in await (await client.get(f"/console/events/{event_id}")).text()
    await client.post(f"/console/events/{event_id}/joining", data={"csrf": token, "open": "1"})
    app["store"].join(code, "a-resident", source="home")


async def test_a_nickname_cannot_become_a_spreadsheet_formula_in_the_export(client, make_user):
    from bot.errors import InputError
    from bot.web.views_console import defuse_formulas

    make_user("volc", "volunteer")
    await sign_in(client, "volc")
    event_id = await create_event(client)
    page = await (await client.get(f"/console/events/{event_id}")).text()
    code = re.search(r'class="code">(\d{6})<', page).group(1)
    for nickname in ("=1+1", "+SUM(A1)", "@cmd", "-2+3"):
        with pytest.raises(InputError):
            client.server.app["store"].join(code, f"n-{nickname}", nickname=nickname)
    assert defuse_formulas('nickname,score\n=HYPERLINK("x"),5\n阿姨,4\n') == (
        'nickname,score\n"\'=HYPERLINK(""x"")",5\n阿姨,4\n')
    text = (await (await client.get(f"/console/events/{event_id}/export.csv")).read()).decode("utf-8-sig")
    assert not any(cell.startswith(("=", "+", "@")) for row in csv.reader(io.StringIO(text)) for cell in row)
