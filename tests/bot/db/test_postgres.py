"""The PostgreSQL path of the project database, whenever one is configured.

`.ci/run` points TEST_POSTGRES_URL at the machine's PostgreSQL; each run gets a
fresh database so tests never see each other's rows.
"""
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.quiz import rules as quiz_rules
from bot.errors import RedeemError
from bot.db.models import Prize, QuizAnswer
from bot.quiz.store import QuizStore

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL"), reason="TEST_POSTGRES_URL is not set (CI sets it)"),
]


def test_migrations_and_a_busy_event_on_postgres(pg_sessions, bank):
    store = QuizStore(pg_sessions)
    event = store.create_event(name="线上直播答题", held_on=date(2026, 11, 27), venue_type="线上直播",
                               n_prizes=10, pass_mark=5)

    def play(i):
        sender = f"viewer-{i}"
        joined = store.join(event.code, sender)
        ids = quiz_rules.choose_round(bank, joined.n_questions)
        attempt = store.start_attempt(sender, ids, "live", "", joined.event_id, joined.participant_id)
        for position, qid in enumerate(ids):
            q = bank.get(qid)
            store.record_answer(attempt, position, q, q.answer_index, True)
            store.record_answer(attempt, position, q, q.answer_index, True)  # a resend
        return store.finish_attempt(attempt)

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(play, range(60)))
    codes = [r.prize_code for r in results if r.prize_code]
    assert len(codes) == len(set(codes)) == 10
    with pg_sessions() as s:
        assert s.execute(select(func.count()).select_from(QuizAnswer)).scalar_one() == 300
        assert s.execute(select(func.count()).select_from(Prize).where(Prize.attempt_id.is_not(None))).scalar_one() == 10
    store.redeem(event.id, codes[0])
    with pytest.raises(RedeemError):
        store.redeem(event.id, codes[0])
