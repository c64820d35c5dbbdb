"""Quiz in chat (self-serve and event quizzes): start, ask, check, finish, stop, join.

The round's progress is the ``quiz_state`` slot; answers, attempts and prizes are
stored through :class:`bot.quiz.store.QuizStore`.  Anything the form cannot read
as an answer is either an interruption (a knowledge question, "不答了"), which the
form rejects so the rules can answer it and resume, or unclear, which re-asks.
"""
from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_actions import ActionFallback
from actions.services import services
from bot.quiz import rules as quiz_rules
from bot.errors import FraudBotError
from bot.quiz.participants import AUDIENCE_GROUPS

logger = logging.getLogger(__name__)

# Intents that interrupt a quiz (answered, then the quiz resumes, or stopped).
INTERRUPTIONS = {"faq", "quiz_stop", "followup_more", "followup_hotline",
                 "followup_what_to_do", "followup_transferred"}
MIN_INTERRUPT_CONFIDENCE = 0.6
UNCLEAR = "unclear"
RESUME = "resume"
DONE = "done"
CANCELLED = "cancelled"


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value else None


def _channel(tracker: Tracker, default: str) -> str:
    metadata = tracker.latest_message.get("metadata") or {}
    return str(metadata.get("channel") or default)


def _source(tracker: Tracker) -> str:
    """Where the message came from, as the channel keyed it (bot/quiz/join_guard.py)."""
    metadata = tracker.latest_message.get("metadata") or {}
    return str(metadata.get("source") or "")[:32]


def _ask(dispatcher: CollectingDispatcher, state: Dict[str, Any]) -> None:
    bank = services().bank
    question = quiz_rules.current_question(bank, state)
    if question is None:
        return
    text = quiz_rules.question_text(question, state["index"] + 1, len(state["ids"]))
    buttons = [{"title": t, "payload": p} for t, p in quiz_rules.question_buttons(question)]
    dispatcher.utter_message(text=text, buttons=buttons)


_QUIZ_WORDS = re.compile(r"题|答|竞赛|测|考|quiz|question", re.IGNORECASE)


def resumes_something_else(tracker: Tracker) -> bool:
    """Read as "go on" (接着来) outside a quiz, in a conversation about a scam, without a quiz word."""
    message = tracker.latest_message
    intent = (message.get("intent") or {}).get("name")
    return (intent == "quiz_resume" and not tracker.get_slot("quiz_state") and bool(tracker.get_slot("topic"))
            and not _QUIZ_WORDS.search(message.get("text") or ""))


class ActionQuizStart(Action):
    def name(self) -> Text:
        return "action_quiz_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        if resumes_something_else(tracker):
            # 他还让我明天继续转 说今天没清完: "继续" about the scam, not "go on with the quiz".
            return await ActionFallback().run(dispatcher, tracker, domain) + [SlotSet("quiz_answer", CANCELLED)]
        svc = services()
        audience = _entity(tracker, "audience") or tracker.get_slot("audience") or ""
        audience = audience if audience in AUDIENCE_GROUPS else ""
        event_code = tracker.get_slot("event_code")
        try:
            if event_code:
                # Only a participant who joined in this conversation may start (and joins are limited).
                joined = await asyncio.to_thread(svc.store.join, event_code, tracker.sender_id, "", audience,
                                                 create=False)
                recent = await asyncio.to_thread(svc.store.recent_question_ids, tracker.sender_id)
                ids = quiz_rules.choose_round(svc.bank, joined.n_questions, recent, audience or None)
                attempt_id = await asyncio.to_thread(
                    svc.store.start_attempt, tracker.sender_id, ids, _channel(tracker, "event"), audience,
                    joined.event_id, joined.participant_id)
                intro = f"“{joined.event_name}”答题开始！共{len(ids)}题，答对{joined.pass_mark}题及以上可以领奖品（送完为止）。"
            else:
                recent = await asyncio.to_thread(svc.store.recent_question_ids, tracker.sender_id)
                ids = quiz_rules.choose_round(svc.bank, quiz_rules.ROUND_SIZE, recent, audience or None)
                attempt_id = await asyncio.to_thread(
                    svc.store.start_attempt, tracker.sender_id, ids, _channel(tracker, "web"), audience)
                intro = f"好的，我们来做{len(ids)}道防骗小题目。点按钮或回复字母就行，想停下来就说“不答了”。"
        except FraudBotError as error:
            dispatcher.utter_message(text=error.message)
            return [SlotSet("quiz_answer", CANCELLED), SlotSet("event_code", None)]
        dispatcher.utter_message(text=intro)
        state = quiz_rules.new_state(ids, event_code, attempt_id)
        return [SlotSet("quiz_state", state), SlotSet("quiz_answer", None), SlotSet("audience", audience or None)]


class ActionAskQuizAnswer(Action):
    def name(self) -> Text:
        return "action_ask_quiz_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        _ask(dispatcher, tracker.get_slot("quiz_state") or {})
        return []


class ValidateQuizForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_quiz_form"

    async def extract_quiz_answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Dict:
        if tracker.get_slot("requested_slot") != "quiz_answer":
            return {}
        state = tracker.get_slot("quiz_state")
        question = quiz_rules.current_question(services().bank, state)
        if question is None:
            return {"quiz_answer": DONE}
        text = tracker.latest_message.get("text") or ""
        chosen = quiz_rules.parse_answer(question, text)
        if chosen is not None:
            return {"quiz_answer": str(chosen)}
        if quiz_rules.wants_to_resume(text):
            return {"quiz_answer": RESUME}  # "好了 接着答" is never a stop
        intent = tracker.latest_message.get("intent") or {}
        if intent.get("name") in INTERRUPTIONS and (intent.get("confidence") or 0) >= MIN_INTERRUPT_CONFIDENCE:
            return {}  # the form rejects; a rule answers, then the quiz resumes
        return {"quiz_answer": UNCLEAR}

    async def validate_quiz_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict
    ) -> Dict:
        svc = services()
        state = dict(tracker.get_slot("quiz_state") or {})
        if value in (DONE, CANCELLED):
            return {"quiz_answer": value}
        if value == RESUME:
            dispatcher.utter_message(text="好的，我们接着答题。")
            return {"quiz_answer": None}
        if value == UNCLEAR or not re.fullmatch(r"\d", str(value)):
            dispatcher.utter_message(text="请点一下选项按钮，或者回复选项的字母（比如“A”）。想停下来就说“不答了”。")
            return {"quiz_answer": None}
        position = state["index"]
        result = quiz_rules.record_answer(svc.bank, state, int(value))
        if state.get("attempt_id"):
            await asyncio.to_thread(svc.store.record_answer, state["attempt_id"], position, result.question,
                                    result.chosen_index, result.correct)
        # In an event quiz the right answer is not revealed: a script could collect them and win every prize.
        dispatcher.utter_message(text=result.event_feedback if state.get("event_code") else result.feedback)
        if quiz_rules.is_finished(state):
            return {"quiz_answer": DONE, "quiz_state": state}
        return {"quiz_answer": None, "quiz_state": state}


def _reset() -> List[Dict]:
    return [SlotSet("quiz_state", None), SlotSet("quiz_answer", None), SlotSet("event_code", None)]


class ActionQuizFinish(Action):
    def name(self) -> Text:
        return "action_quiz_finish"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        svc = services()
        state = tracker.get_slot("quiz_state")
        if not state or not quiz_rules.is_finished(state):
            return _reset()
        result = None
        if state.get("attempt_id"):
            result = await asyncio.to_thread(svc.store.finish_attempt, state["attempt_id"])
        total = len(state["ids"])
        lines = [f"答题结束！您答对了{state['score']}/{total}题。"]
        if result and result.passed is None and state.get("event_code"):
            # The database was away: the result is queued, and no prize code is issued later behind their back.
            lines.append("系统刚才有点忙，成绩已经记下，但这次没能发放核销码，奖品请向现场志愿者咨询。")
        if result and result.passed is not None:
            if result.prize_code:
                lines.append(f"恭喜您达到获奖分数！您的核销码是：{result.prize_code}，请出示给现场志愿者领取奖品。")
            elif result.passed:
                lines.append("您达到了获奖分数，可惜奖品已经发完了，感谢参与！")
            else:
                lines.append("这次没有达到获奖分数，没关系，防骗知识学到了最重要！")
        buttons = []
        if state["missed"]:
            titles = [svc.knowledge.topics[k].title for k in state["missed"] if k in svc.knowledge.topics]
            lines.append("建议再看看这些内容：" + "、".join(titles) + "。")
            buttons = [{"title": f"了解{svc.knowledge.topics[k].title}", "payload": f'/faq{{"topic": "{k}"}}'}
                       for k in state["missed"][:3] if k in svc.knowledge.topics]
        else:
            lines.append("全部答对，真厉害！")
        if not state.get("event_code"):
            buttons.append({"title": "再来一轮", "payload": "/quiz_start"})
        dispatcher.utter_message(text="".join(lines), buttons=buttons)
        return _reset()


# "不答了" / "stop" is short; a longer message read as quiz_stop outside a quiz is something else.
STOP_WORDS_MAX = 10


class ActionQuizStop(Action):
    def name(self) -> Text:
        return "action_quiz_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        state = tracker.get_slot("quiz_state")
        if not state and len(tracker.latest_message.get("text") or "") > STOP_WORDS_MAX:
            # I paid with my credit card 银行能把这笔stop掉吗 outside a quiz is not "stop the quiz".
            return await ActionFallback().run(dispatcher, tracker, domain)
        if not state:
            dispatcher.utter_message(text="现在没有在答题哦。想做题的话，跟我说“答题”就行。")
            return []
        if state.get("attempt_id"):
            await asyncio.to_thread(services().store.finish_attempt, state["attempt_id"], True)
        dispatcher.utter_message(
            text=f"好的，答题先到这里。您答了{state['index']}题，答对{state['score']}题。想再来就说“答题”。",
            buttons=[{"title": "再来一轮", "payload": "/quiz_start"}],
        )
        return _reset()


class ActionJoinEvent(Action):
    def name(self) -> Text:
        return "action_join_event"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        code = _entity(tracker, "join_code")
        if not code:
            match = re.search(r"(?<!\d)(\d{6})(?!\d)", tracker.latest_message.get("text") or "")
            code = match.group(1) if match else None
        if not code:
            dispatcher.utter_message(text="请告诉我活动现场公布的6位活动码，比如“参加活动 123456”，或者扫描现场的二维码。")
            return []
        nickname = _entity(tracker, "nickname") or ""
        try:
            joined = await asyncio.to_thread(services().store.join, code, tracker.sender_id, nickname, "",
                                             _channel(tracker, "event"), _source(tracker))
        except FraudBotError as error:
            dispatcher.utter_message(text=error.message)
            return []
        buttons = [{"title": g, "payload": f'/quiz_start{{"audience": "{g}"}}'} for g in AUDIENCE_GROUPS[:3]]
        buttons.append({"title": "跳过，直接开始答题", "payload": "/quiz_start"})
        dispatcher.utter_message(
            text=f"欢迎参加“{joined.event_name}”！共{joined.n_questions}题。方便的话点一下您属于哪类人群（可以跳过）：",
            buttons=buttons,
        )
        return [SlotSet("event_code", code)]
