"""Quiz rules: choosing a round, understanding typed answers, scoring.

Plain functions over :class:`~bot.quiz.bank.Question`; no Rasa, no database.
The round's progress lives in a small JSON-able dict (the ``quiz_state`` slot), so
it survives a restart and moves between Rasa replicas with the tracker.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence

from bot.normalise import normalise
from bot.quiz.bank import LETTERS, Question, QuestionBank

ROUND_SIZE = 5
RECENT_LIMIT = 40  # how many seen question ids we remember per resident

_CN_ORDINALS = {"一": 0, "二": 1, "两": 1, "三": 2, "四": 3, "1": 0, "2": 1, "3": 2, "4": 3}
_FILLER = re.compile(r"[\s，。,.!！?？~～、…吧吗呀啊哦呢嘛啦了的我选择选是答案应该就]+")
_TRUE_WORDS = ("对", "正确", "是的", "没错", "√", "true", "yes", "right")
_FALSE_WORDS = ("错", "不对", "错误", "不正确", "不是", "×", "x", "false", "no", "wrong")


def _fold(text: str) -> str:
    out = []
    for ch in text.strip():
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        out.append(ch)
    return "".join(out).lower()


# "好了 接着答", "继续答题", "ok下一题": back to the quiz after a question in the middle.
_RESUME = re.compile(r"继续|接着|接著|下一题|下一个题|往下|回到?答题|再答|答题吧|接茬|next", re.IGNORECASE)
_STOP_WORDS = re.compile(r"不答|不玩|不做|不想|结束|退出|停|算了|不要了|quit|stop", re.IGNORECASE)


def wants_to_resume(text: str) -> bool:
    """The resident asks to go on with the quiz (and not to stop it)."""
    text = normalise(text or "")
    return bool(_RESUME.search(text)) and not _STOP_WORDS.search(text)


def parse_answer(question: Question, text: str) -> Optional[int]:
    """The index of the choice the resident meant, or None when unclear.

    Understands "A", "a", "选B", "B吧", "第二个", "2", the option's own text, and
    对/错 (with variants) for true/false questions.
    """
    raw = _fold(text)
    if not raw:
        return None
    if raw.startswith("/"):
        # A button payload such as "/quiz_answer{...}" never reaches here; be safe.
        return None
    n = len(question.choices)
    if question.type == "truefalse":
        core = _FILLER.sub("", raw.replace("不对", "X").replace("不正确", "X").replace("不是", "X"))
        if core in ("x",) or raw in _FALSE_WORDS or core in ("错", "错误", "false", "no", "wrong", "×", "b"):
            return 1
        if core in ("对", "正确", "√", "true", "yes", "right", "a", "没错") or raw in _TRUE_WORDS:
            return 0
        return None
    # Single choice: an option letter, alone or with filler words.
    letters = LETTERS[:n].lower()
    core = _FILLER.sub("", raw)
    match = re.fullmatch(r"(?:选项|选)?([a-d])(?:项|选项|个|吧)?", core)
    if match and match.group(1) in letters:
        return letters.index(match.group(1))
    match = re.fullmatch(r"第?([一二两三四1-4])(?:个|项|条)?", core)
    if match:
        index = _CN_ORDINALS[match.group(1)]
        return index if index < n else None
    # The option's own text, typed out (or most of it).
    compact = re.sub(r"[\s，。,.!！?？、]", "", raw)
    for index, option in enumerate(question.options):
        option_c = re.sub(r"[\s，。,.!！?？、]", "", _fold(option))
        if compact == option_c or (len(compact) >= 4 and compact in option_c and len(compact) * 2 >= len(option_c)):
            return index
    hits = [i for i, o in enumerate(question.options) if len(_fold(o)) >= 4 and _fold(o) in raw]
    if len(hits) == 1:
        return hits[0]
    return None


def choose_round(
    bank: QuestionBank,
    size: int = ROUND_SIZE,
    recent: Iterable[str] = (),
    audience: Optional[str] = None,
    rng: Optional[random.Random] = None,
) -> List[str]:
    """Pick ``size`` question ids: no repeats, topics mixed, recent ones avoided.

    Questions tagged for the resident's audience (or 通用) are preferred.
    """
    rng = rng or random.Random()
    recent_set = set(recent)
    pool = bank.all()
    if audience:
        fitting = [q for q in pool if audience in q.audience or "通用" in q.audience]
        if len(fitting) >= size:
            pool = fitting
    fresh = [q for q in pool if q.id not in recent_set]
    if len(fresh) < size:  # seen nearly everything: allow the oldest again
        fresh = pool
    by_topic: Dict[str, List[Question]] = {}
    for q in fresh:
        by_topic.setdefault(q.topic, []).append(q)
    topics = list(by_topic)
    rng.shuffle(topics)
    chosen: List[str] = []
    # One question per topic first, so a round mixes topics.
    while len(chosen) < size and topics:
        for topic in list(topics):
            candidates = [q for q in by_topic[topic] if q.id not in chosen]
            if not candidates:
                topics.remove(topic)
                continue
            chosen.append(rng.choice(candidates).id)
            if len(chosen) == size:
                break
    return chosen


@dataclass
class AnswerResult:
    correct: bool
    question: Question
    chosen_index: int

    @property
    def feedback(self) -> str:
        head = "✅ 答对了！" if self.correct else f"❌ 不对哦，正确答案是：{self.question.answer_label}。"
        return f"{head}{self.question.explanation}"

    @property
    def event_feedback(self) -> str:
        """Right or wrong only: the answer and its explanation would hand the next try every point."""
        return "✅ 答对了！" if self.correct else "❌ 这题没答对，答题结束后会告诉您该再看看哪些内容。"


def new_state(question_ids: Sequence[str], event_code: Optional[str] = None, attempt_id: Optional[int] = None) -> dict:
    return {
        "ids": list(question_ids),
        "index": 0,
        "score": 0,
        "missed": [],
        "event_code": event_code,
        "attempt_id": attempt_id,
    }


def current_question(bank: QuestionBank, state: Optional[dict]) -> Optional[Question]:
    if not state or state.get("index", 0) >= len(state.get("ids", [])):
        return None
    return bank.get(state["ids"][state["index"]])


def record_answer(bank: QuestionBank, state: dict, chosen_index: int) -> AnswerResult:
    """Score the current question and move on; returns what the resident sees."""
    question = current_question(bank, state)
    if question is None:
        raise ValueError("no question is waiting for an answer")
    correct = chosen_index == question.answer_index
    state["index"] += 1
    if correct:
        state["score"] += 1
    elif question.topic not in state["missed"]:
        state["missed"].append(question.topic)
    return AnswerResult(correct, question, chosen_index)


def is_finished(state: Optional[dict]) -> bool:
    return bool(state) and state["index"] >= len(state["ids"])


def question_text(question: Question, number: int, total: int) -> str:
    """The question as the resident reads it, with lettered options."""
    if question.type == "single":
        options = "\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(question.options))
        return f"第{number}题（共{total}题，单选）：{question.question}\n{options}"
    # Lettered like every other question, so "回复字母" holds and a typed "A" works.
    return f"第{number}题（共{total}题，判断对错）：{question.question}\nA. 对\nB. 错"


def question_buttons(question: Question) -> List[tuple]:
    """Quick replies; the payload is the plain answer text so NLU never interferes."""
    if question.type == "single":
        return [(f"{LETTERS[i]}. {o}", LETTERS[i]) for i, o in enumerate(question.options)]
    return [("A. 对", "对"), ("B. 错", "错")]


def remember_seen(recent: Sequence[str], ids: Sequence[str]) -> List[str]:
    merged = [i for i in recent if i not in ids] + list(ids)
    return merged[-RECENT_LIMIT:]
