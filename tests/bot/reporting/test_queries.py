"""Dashboard figures against the hand-counted campaign in ``tests/bot/reporting/report_data.py``."""
import os
from datetime import date

import pytest

from bot.reporting import queries as rq
from bot.errors import InputError
from bot.reporting.filters import Filters
from tests.bot.reporting import report_data as data
from tests.bot.reporting.report_data import E1, E2, E3, QA, QB, QC, QD


@pytest.fixture
def db(sessions, bank):
    for qid in (QA, QB, QC, QD, data.QE):
        assert bank.get(qid).topic == qid.rsplit("-", 1)[0]
    data.fill(sessions)
    return sessions


def figures(db, **filters):
    return rq.headline(db, Filters(**filters))


ALL = dict(events=3, online_reach=7, offline_attendance=260, audience_reach=267, consulting=6, questions=14,
           answered=10, unanswered_rate=pytest.approx(4 / 14), quiz_attempts=5, quiz_participants=4,
           quiz_completions=4, average_score=pytest.approx(0.65), prizes_issued=2, prizes_redeemed=1,
           leaflets=650, consultations=43)


def test_headline_without_filters_counts_everything(db):
    assert figures(db) == ALL
    assert sorted(key for key, _ in rq.HEADLINE) == sorted(ALL)


@pytest.mark.parametrize("filters, expected", [
    # 2 Sep - 5 Sep: conversations 1-5 (the one at 23:50 on the last day too), events E1 and E2.
    (dict(date_from=date(2026, 9, 1), date_to=date(2026, 9, 5)),
     dict(events=2, online_reach=5, offline_attendance=220, audience_reach=225, consulting=4, questions=11,
          answered=8, unanswered_rate=pytest.approx(3 / 11), leaflets=600, consultations=35)),
    # 城东支行 runs E1 and E3: conversations 1, 2, 6; attempts 1-3 (senders s1, s2).
    (dict(branch="城东支行"),
     dict(events=2, online_reach=3, offline_attendance=130, audience_reach=133, consulting=3, questions=6,
          answered=5, unanswered_rate=pytest.approx(1 / 6), quiz_attempts=3, quiz_participants=2,
          quiz_completions=2, average_score=pytest.approx(0.7), prizes_issued=1, prizes_redeemed=1,
          leaflets=450, consultations=33)),
    # E2 alone: conversation 4 asked nothing, so one consulting resident.
    (dict(event_id=E2),
     dict(events=1, online_reach=2, offline_attendance=130, audience_reach=132, consulting=1, questions=4,
          answered=3, unanswered_rate=pytest.approx(1 / 4), quiz_attempts=1, quiz_participants=1,
          quiz_completions=1, average_score=pytest.approx(1.0), prizes_issued=1, prizes_redeemed=0,
          leaflets=200, consultations=10)),
    # 老年活动中心 is E3 only: one live conversation, no quiz, so no average.
    (dict(venue_type="老年活动中心"),
     dict(events=1, online_reach=1, offline_attendance=40, audience_reach=41, consulting=1, questions=1,
          answered=1, unanswered_rate=0.0, quiz_attempts=0, quiz_participants=0, quiz_completions=0,
          average_score=None, prizes_issued=0, prizes_redeemed=0, leaflets=50, consultations=8)),
    # Campaign 1 keeps most conversations, so the turn queries test the few it leaves out;
    # web chats have no event and must stay out.
    (dict(campaign_id=data.CAMPAIGN),
     dict(events=2, online_reach=4, offline_attendance=220, audience_reach=224, consulting=3, questions=9,
          answered=7, unanswered_rate=pytest.approx(2 / 9), quiz_attempts=4, quiz_participants=3,
          quiz_completions=3, average_score=pytest.approx(0.8), prizes_issued=2, prizes_redeemed=1,
          leaflets=600, consultations=35)),
    (dict(campaign_id=data.OTHER_CAMPAIGN),
     dict(events=1, online_reach=1, offline_attendance=40, audience_reach=41, consulting=1, questions=1,
          answered=1, unanswered_rate=0.0, quiz_attempts=0, quiz_participants=0, quiz_completions=0,
          average_score=None, prizes_issued=0, prizes_redeemed=0, leaflets=50, consultations=8)),
    # A channel keeps offline figures out; events still count.
    (dict(channel="web"),
     dict(events=3, online_reach=2, offline_attendance=0, audience_reach=2, consulting=2, questions=4,
          answered=2, unanswered_rate=pytest.approx(0.5), quiz_attempts=1, quiz_participants=1,
          quiz_completions=1, average_score=pytest.approx(0.2), prizes_issued=0, prizes_redeemed=0,
          leaflets=0, consultations=0)),
    # An audience keeps its own attendance column: elderly 50 + 10 (E1) + 40 (E3).
    (dict(audience="老年人"),
     dict(events=3, online_reach=2, offline_attendance=100, audience_reach=102, consulting=2, questions=5,
          answered=4, unanswered_rate=pytest.approx(0.2), quiz_attempts=3, quiz_participants=2,
          quiz_completions=2, average_score=pytest.approx(0.7), prizes_issued=1, prizes_redeemed=1)),
    # Combined: campaign 1, 2-4 Sep, on-site QR channel: conversation 1, attempts 1 and 2, event E1.
    (dict(campaign_id=data.CAMPAIGN, date_from=date(2026, 9, 2), date_to=date(2026, 9, 4), channel="event"),
     dict(events=1, online_reach=1, offline_attendance=0, audience_reach=1, consulting=1, questions=3,
          answered=2, unanswered_rate=pytest.approx(1 / 3), quiz_attempts=2, quiz_participants=2,
          quiz_completions=2, average_score=pytest.approx(0.7), prizes_issued=1, prizes_redeemed=1,
          leaflets=0, consultations=0)),
])
def test_each_filter_narrows_the_headline(db, filters, expected):
    assert figures(db, **filters) == {**ALL, **expected}


def test_activity_is_per_day_with_quiet_days_as_zero(db):
    days = {d["day"]: d for d in rq.activity_over_time(db, Filters())}
    assert list(days) == [f"2026-08-{d}" for d in (30, 31)] + [f"2026-09-{d:02d}" for d in range(1, 11)]
    assert days["2026-08-30"] == {"day": "2026-08-30", "conversations": 1, "turns": 2, "quiz_attempts": 0}
    assert days["2026-09-02"] == {"day": "2026-09-02", "conversations": 2, "turns": 5, "quiz_attempts": 3}
    assert days["2026-09-03"] == {"day": "2026-09-03", "conversations": 1, "turns": 2, "quiz_attempts": 1}
    assert days["2026-09-05"] == {"day": "2026-09-05", "conversations": 2, "turns": 3, "quiz_attempts": 1}
    # Turns count on the day they were sent: conversation 4 started at 23:50 and went on past midnight.
    assert days["2026-09-06"] == {"day": "2026-09-06", "conversations": 0, "turns": 1, "quiz_attempts": 0}
    assert days["2026-09-04"] == {"day": "2026-09-04", "conversations": 0, "turns": 0, "quiz_attempts": 0}
    assert sum(d["turns"] for d in days.values()) == ALL["questions"]
    narrowed = rq.activity_over_time(db, Filters(event_id=E1))
    assert narrowed == [{"day": "2026-09-02", "conversations": 2, "turns": 5, "quiz_attempts": 3}]


def test_topics_are_counted_per_turn_with_the_untopical_last(db):
    topics = rq.topics(db, Filters(), titles={"police": "冒充公检法"})
    assert [(t["topic"], t["turns"], t["unanswered"]) for t in topics] == [
        ("police", 3, 0), ("elderly", 1, 0), ("game", 1, 0), ("loan", 1, 0), ("shuadan", 1, 0), ("", 7, 4)]
    assert topics[0]["label"] == "冒充公检法" and topics[1]["label"] == "elderly"
    assert [(t["topic"], t["turns"]) for t in rq.topics(db, Filters(branch="城西支行"))] == [("game", 1), ("", 3)]


def test_audiences_add_offline_attendance_to_online_conversations(db):
    rows = {a["audience"]: (a["online"], a["offline"]) for a in rq.audiences(db, Filters())}
    assert rows == {"老年人": (2, 100), "学生/青少年": (2, 125), "新市民": (1, 10), "通用": (1, 25), "": (1, 0)}
    only = rq.audiences(db, Filters(audience="学生/青少年"))
    assert [(a["label"], a["online"], a["offline"]) for a in only] == [("学生/青少年", 2, 125)]


def test_quiz_accuracy_per_topic_weakest_first(db):
    rows = rq.quiz_accuracy_by_topic(db, Filters())
    assert [(r["topic"], r["answers"], r["correct"]) for r in rows] == [
        ("elderly", 10, 5), ("police", 10, 7), ("after_fraud", 4, 3)]
    assert rows[0]["rate"] == pytest.approx(0.5)
    campaign = rq.quiz_accuracy_by_topic(db, Filters(campaign_id=data.CAMPAIGN))
    assert [(r["topic"], r["answers"], r["correct"]) for r in campaign] == [
        ("elderly", 8, 5), ("after_fraud", 3, 2), ("police", 8, 7)]
    on_site = rq.quiz_accuracy_by_topic(db, Filters(event_id=E2))
    assert [(r["topic"], r["answers"], r["correct"]) for r in on_site] == [
        ("after_fraud", 1, 1), ("elderly", 2, 2), ("police", 2, 2)]


def test_hardest_questions_need_five_answers_and_show_the_question(db, bank):
    rows = rq.hardest_questions(db, Filters(), bank=bank)
    assert [(r["question_id"], r["answers"], r["correct"]) for r in rows] == [
        (QD, 5, 2), (QC, 5, 3), (QB, 5, 3), (QA, 5, 4)]  # ties by id; QE has only four answers
    assert rows[0]["question"] == bank.get(QD).question and rows[0]["rate"] == pytest.approx(0.4)
    assert rq.hardest_questions(db, Filters(branch="城东支行"), bank=bank) == []  # three answers each


def test_events_compared_in_date_order(db):
    rows = rq.events_compared(db, Filters())
    assert [(r["event_id"], r["held_on"], r["branch"], r["venue_type"], r["conversations"], r["quiz_attempts"],
             r["leaflets"], r["attendance"]) for r in rows] == [
        (E1, "2026-09-02", "城东支行", "社区", 2, 3, 400, 90),
        (E2, "2026-09-05", "城西支行", "学校", 2, 1, 200, 130),
        (E3, "2026-09-10", "城东支行", "老年活动中心", 1, 0, 50, 40)]
    assert [r["average_score"] for r in rows] == [pytest.approx(0.7), pytest.approx(1.0), None]
    assert rows[0]["name"] == "幸福社区防骗讲座"
    dated = rq.events_compared(db, Filters(date_to=date(2026, 9, 4), audience="老年人"))
    assert [(r["event_id"], r["conversations"], r["attendance"]) for r in dated] == [(E1, 2, 60)]


def test_unanswered_texts_are_grouped_with_their_variants(db):
    groups = rq.unanswered(db, Filters())
    assert [(g["example"], g["count"], g["samples"]) for g in groups] == [
        ("养老金什么时候到账", 2, ["养老金什么时候到账？"]), ("今天天气怎么样", 1, []), ("社保卡丢了去哪补办", 1, [])]
    assert [g["example"] for g in rq.unanswered(db, Filters(channel="web"))] == ["今天天气怎么样", "社保卡丢了去哪补办"]


def test_summary_holds_every_figure_once(db, bank):
    filters = Filters(branch="城东支行")
    summary = rq.summary(db, filters, bank=bank)
    assert summary["headline"] == figures(db, branch="城东支行")
    assert summary["events"] == rq.events_compared(db, filters)
    assert summary["filters"] == {"branch": "城东支行"} and summary["filters_text"] == "支行：城东支行"
    assert set(summary) == {"filters", "filters_text", "headline", "activity", "topics", "audiences", "quiz_topics",
                            "hardest", "events", "unanswered"}


@pytest.mark.parametrize("filters", [
    Filters(branch="城东支行"), Filters(campaign_id=data.CAMPAIGN), Filters(channel="web", audience="新市民"),
    Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 5)), Filters(event_id=E3)])
def test_how_rows_are_found_never_changes_the_figures(db, bank, monkeypatch, filters):
    # 1: always seek turns by conversation id; 2: seek up to half; 1000: scan and test each
    # row against the list of conversations in scope, or of those out of it.
    results = []
    for seek_share in (1, 2, 1000):
        monkeypatch.setattr(rq, "SEEK_SHARE", seek_share)
        results.append(rq.summary(db, filters, bank=bank))
    assert results[0] == results[1] == results[2]


def test_an_empty_database_gives_zeros_not_errors(sessions):
    summary = rq.summary(sessions, Filters())
    assert summary["headline"]["questions"] == 0 and summary["headline"]["unanswered_rate"] is None
    assert summary["activity"] == [] and summary["events"] == [] and summary["unanswered"] == []


def test_filter_options_list_what_the_form_offers(db):
    options = rq.filter_options(db)
    assert [c["name"] for c in options["campaigns"]] == ["敬老月宣传", "2026年金融教育宣传月"]
    assert options["branches"] == ["城东支行", "城西支行"]
    assert [e["id"] for e in options["events"]] == [E3, E2, E1]
    assert {"value": "web", "label": "网页聊天"} in options["channels"]


def test_filters_round_trip_through_the_query_string():
    filters = Filters(campaign_id=1, date_from=date(2026, 9, 1), date_to=date(2026, 9, 30), branch="城东支行",
                      event_id=7, venue_type="社区", channel="web", audience="老年人")
    assert Filters.from_query(filters.as_query()) == filters
    assert Filters.from_query({"branch": "  ", "event_id": ""}) == Filters()


@pytest.mark.parametrize("query, message", [
    ({"event_id": "abc"}, "编号"),
    ({"campaign_id": "-1"}, "编号"),
    ({"date_from": "2026-13-01"}, "日期"),
    ({"date_from": "2026-09-10", "date_to": "2026-09-01"}, "不能晚于"),
    ({"venue_type": "火星"}, "场地类型"),
    ({"channel": "fax"}, "渠道"),
    ({"audience": "外星人"}, "人群"),
    ({"branch": "支" * 65}, "太长"),
])
def test_bad_filters_are_refused_with_a_chinese_message(query, message):
    with pytest.raises(InputError) as error:
        Filters.from_query(query)
    assert message in error.value.message


def rounded(value):
    """The same figures whichever database summed them (last-bit float differences aside)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL"), reason="TEST_POSTGRES_URL is not set (CI sets it)")
def test_postgresql_gives_the_same_figures_as_sqlite(db, pg_sessions, bank):
    data.fill(pg_sessions)
    for filters in (Filters(), Filters(campaign_id=data.CAMPAIGN), Filters(branch="城东支行", audience="老年人"),
                    Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 5), channel="event")):
        on_sqlite = rq.summary(db, filters, bank=bank)
        assert rounded(rq.summary(pg_sessions, filters, bank=bank)) == rounded(on_sqlite)
