"""A small campaign written by hand, so every dashboard figure can be counted on paper.

Three events in two branches, offline counts, seven conversations with fourteen
turns (four fell back), five quiz attempts with answers, and three prizes.  The
figures the tests expect are worked out in the comments next to the rows.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Dict, List, Optional, Tuple

from bot.db.models import Campaign, Conversation, Event, OfflineActivity, Prize, QuizAnswer, QuizAttempt, Turn

CAMPAIGN, OTHER_CAMPAIGN = 1, 2
E1, E2, E3 = 1, 2, 3
# Questions by topic: police (QA, QB), elderly (QC, QD), after_fraud (QE).
QA, QB, QC, QD, QE = "police-001", "police-002", "elderly-001", "elderly-002", "after_fraud-001"
FALLBACK_TEXTS = ("养老金什么时候到账", "养老金什么时候到账？", "今天天气怎么样", "社保卡丢了去哪补办")

EVENTS = [  # id, name, held_on, venue, branch, campaign
    (E1, "幸福社区防骗讲座", date(2026, 9, 2), "社区", "城东支行", CAMPAIGN),
    (E2, "=第一中学反诈课", date(2026, 9, 5), "学校", "城西支行", CAMPAIGN),  # a name a spreadsheet would run
    (E3, "夕阳红老年活动中心宣传", date(2026, 9, 10), "老年活动中心", "城东支行", OTHER_CAMPAIGN),
]
OFFLINE = [  # event, leaflets, consultations, elderly, youth, new citizens, other
    (E1, 300, 20, 50, 5, 10, 15),
    (E1, 100, 5, 10, 0, 0, 0),  # E1: 400 leaflets, 25 consultations, attendance 60/5/10/15 = 90
    (E2, 200, 10, 0, 120, 0, 10),  # E2: attendance 130
    (E3, 50, 8, 40, 0, 0, 0),  # E3: attendance 40
]
Turns = List[Tuple[Any, ...]]  # topic, fell back, text[, minutes after the start]
CONVERSATIONS: List[Tuple[int, datetime, str, Optional[int], str, int, Turns]] = [
    # id, started, channel, event, audience, n_questions, turns
    (1, datetime(2026, 9, 2, 10, 0), "event", E1, "老年人", 2,
     [("police", False, "有人说我洗钱"), ("police", False, "那怎么办"), ("", True, FALLBACK_TEXTS[0])]),
    (2, datetime(2026, 9, 2, 11, 0), "kiosk", E1, "老年人", 1, [("elderly", False, "保健品"), ("", False, "你好")]),
    (3, datetime(2026, 9, 5, 9, 30), "event", E2, "学生/青少年", 1,
     [("game", False, "游戏皮肤"), ("", True, FALLBACK_TEXTS[1])]),
    (4, datetime(2026, 9, 5, 23, 50), "event", E2, "学生/青少年", 0,
     [("", False, "你好"), ("", False, "在吗", 20)]),  # the second turn is sent on 6 Sep
    (5, datetime(2026, 9, 3, 20, 0), "web", None, "", 2, [("shuadan", False, "刷单"), ("", True, FALLBACK_TEXTS[2])]),
    (6, datetime(2026, 9, 10, 15, 0), "live", E3, "通用", 1, [("police", False, "安全账户")]),
    (7, datetime(2026, 8, 30, 12, 0), "web", None, "新市民", 1,
     [("loan", False, "贷款要先交钱"), ("", True, FALLBACK_TEXTS[3])]),
]
ATTEMPTS = [  # id, event, channel, audience, sender, started, score, status, answers (question, correct)
    (1, E1, "event", "老年人", "s1", datetime(2026, 9, 2, 10, 30), 4, "finished",
     [(QA, True), (QB, True), (QC, True), (QD, True), (QE, False)]),
    (2, E1, "event", "老年人", "s2", datetime(2026, 9, 2, 10, 40), 3, "finished",
     [(QA, True), (QB, False), (QC, True), (QD, False), (QE, True)]),
    (3, E1, "kiosk", "老年人", "s2", datetime(2026, 9, 2, 11, 0), 2, "stopped",
     [(QA, True), (QB, True), (QC, False), (QD, False)]),
    (4, E2, "event", "学生/青少年", "s3", datetime(2026, 9, 5, 10, 0), 5, "finished",
     [(QA, True), (QB, True), (QC, True), (QD, True), (QE, True)]),
    (5, None, "web", "", "s4", datetime(2026, 9, 3, 21, 0), 1, "finished",
     [(QA, False), (QB, False), (QC, False), (QD, False), (QE, True)]),
]
PRIZES = [  # event, slot, code, attempt, redeemed
    (E1, 1, "PRIZE001", 1, True), (E1, 2, "PRIZE002", None, False), (E2, 1, "PRIZE003", 4, False),
]


def fill(sessions) -> Dict[str, int]:
    """Write the campaign into an empty, migrated database."""
    with sessions() as s:
        s.add_all([Campaign(id=CAMPAIGN, name="2026年金融教育宣传月"), Campaign(id=OTHER_CAMPAIGN, name="敬老月宣传")])
        s.flush()
        for event_id, name, held_on, venue, branch, campaign in EVENTS:
            s.add(Event(id=event_id, code=f"10000{event_id}", name=name, held_on=held_on, venue_type=venue,
                        branch=branch, campaign_id=campaign, n_questions=5, pass_mark=4, n_prizes=2))
        s.flush()
        for event_id, leaflets, consultations, elderly, youth, new, other in OFFLINE:
            s.add(OfflineActivity(event_id=event_id, leaflets=leaflets, consultations=consultations,
                                  attendance_elderly=elderly, attendance_youth=youth,
                                  attendance_new_citizens=new, attendance_other=other))
        source = 0
        for conv_id, started, channel, event_id, audience, n_questions, turns in CONVERSATIONS:
            s.add(Conversation(id=conv_id, sender_key=f"c{conv_id}", channel=channel, event_id=event_id,
                               audience=audience, started_at=started, ended_at=started, n_questions=n_questions))
            s.flush()
            for index, (topic, fell_back, text, *minutes) in enumerate(turns):
                source += 1
                at = started + timedelta(minutes=minutes[0] if minutes else index)
                s.add(Turn(source_event_id=source, conversation_id=conv_id, at=at, text=text, topic=topic,
                           intent="nlu_fallback" if fell_back else "faq", fell_back=fell_back))
        for attempt_id, event_id, channel, audience, sender, started, score, status, answers in ATTEMPTS:
            s.add(QuizAttempt(id=attempt_id, event_id=event_id, sender_key=sender, channel=channel, audience=audience,
                              n_questions=5, score=score, status=status, started_at=started,
                              finished_at=started if status == "finished" else None))
            s.flush()
            for position, (question, correct) in enumerate(answers):
                s.add(QuizAnswer(attempt_id=attempt_id, position=position, question_id=question,
                                 topic=question.rsplit("-", 1)[0], chosen=0, correct=correct, answered_at=started))
        for event_id, slot, code, attempt_id, redeemed in PRIZES:
            issued = datetime(2026, 9, 2, 12, 0) if attempt_id else None
            s.add(Prize(event_id=event_id, slot_no=slot, code=code, attempt_id=attempt_id, issued_at=issued,
                        redeemed_at=issued if redeemed else None))
        s.commit()
    return {"conversations": len(CONVERSATIONS), "attempts": len(ATTEMPTS)}
