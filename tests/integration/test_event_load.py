"""200 participants play one event quiz at once, through the REST channel.

All 200 are in flight together (no client-side connection limit), as phones in an
event hall are: Rasa must pool its calls to the action server (bot/rasa/server.py)
or the burst overflows the action server's accept queue and turns get the "busy"
apology, which breaks a participant's quiz below.
"""
import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import aiohttp
from sqlalchemy import func, select

from bot.db.engine import make_engine, make_sessionmaker
from bot.errors import RedeemError
from bot.reporting.event_stats import event_stats
from bot.db.models import Prize, QuizAnswer, QuizAttempt
from bot.quiz.bank import default_bank
from bot.quiz.store import QuizStore
from tests.integration.test_quiz_chat import answer_for, current_question

PARTICIPANTS = 200
PRIZES = 25


def test_200_participants_answer_at_once(assistant):
    sessions = make_sessionmaker(make_engine(f"sqlite:///{assistant.data_dir / 'fraudbot.db'}"))
    store = QuizStore(sessions)
    event = store.create_event(name="商圈直播有奖问答", held_on=date(2026, 11, 27), venue_type="商圈",
                               n_questions=5, pass_mark=5, n_prizes=PRIZES)
    planned = {f"load-{event.code}-{i}": 5 if i % 4 == 0 else 3 for i in range(PARTICIPANTS)}

    async def participant(http, sender, right):
        async def say(text):
            for _ in range(3):
                async with http.post(assistant.rest_url, json={"sender": sender, "message": text}) as response:
                    if response.status == 200:
                        return await response.json()
                await asyncio.sleep(1)
            raise AssertionError(f"{sender}: no reply to {text}")

        joined = await say(f"参加活动 {event.code}")
        assert any("商圈直播有奖问答" in (m.get("text") or "") for m in joined), joined
        reply = await say("/quiz_start")
        for position in range(5):
            _, question = current_question(reply)
            assert question is not None, reply
            reply = await say(answer_for(question, position < right))
        return "".join(m.get("text") or "" for m in reply)

    async def run_all():
        connector = aiohttp.TCPConnector(limit=0)  # every participant at once
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=600)) as http:
            return await asyncio.gather(*(participant(http, s, r) for s, r in planned.items()))

    finals = asyncio.run(run_all())
    assert all("答题结束" in text for text in finals)

    with sessions() as s:
        attempts = s.execute(select(QuizAttempt).where(QuizAttempt.event_id == event.id)).scalars().all()
        answers = s.execute(select(func.count()).select_from(QuizAnswer).join(
            QuizAttempt, QuizAnswer.attempt_id == QuizAttempt.id).where(QuizAttempt.event_id == event.id)).scalar_one()
        codes = s.execute(select(Prize.code).where(Prize.event_id == event.id, Prize.attempt_id.is_not(None))).scalars().all()
    assert len(attempts) == PARTICIPANTS and answers == PARTICIPANTS * 5
    assert sorted(a.score for a in attempts) == sorted(planned.values())
    passers = sum(1 for v in planned.values() if v == 5)
    assert passers > PRIZES and len(codes) == len(set(codes)) == PRIZES
    assert sum("核销码" in text for text in finals) == PRIZES

    stats = event_stats(sessions, default_bank(), event.id)
    scores = [row["score"] for row in stats["leaderboard"]]
    assert scores == sorted(scores, reverse=True) and scores[0] == 5
    assert stats["completions"] == PARTICIPANTS

    def redeem(code):
        try:
            store.redeem(event.id, code)
            return True
        except RedeemError:
            return False

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(redeem, codes * 2))
    assert sum(outcomes) == PRIZES
