"""Choose the knowledge topic from the response selector's ranking and the field's terms.

The selector ranks topics by meaning learned from examples. Residents also often
name the thing itself — 征信, 对公账户, 客服 — and when two topics are close, that
word is the better witness. Each knowledge file lists such ``terms``; among the
selector's top candidates, every term found in the message adds ``TERM_WEIGHT``
to its topic's score (at most ``MAX_TERM_HITS`` terms count). Topics outside the
top candidates are never pulled in by a word alone.

When the runner-up scores nearly as high as the winner (within ``CLOSE_MARGIN``,
and above ``MIN_SCORE``), the choice also names it: the resident gets the
winner's answer and a one-tap button for the runner-up, instead of a wrong
answer with no way out.

A follow-up question ("我已经转钱了", "打哪个电话", "那怎么办") is answered for the
conversation's topic. Asked first, inside a story ("俺孙子说被派出所抓了 要交保证金
我刚给他转过去了"), it is answered for the topic the story itself is about, when the
classifier is sure enough (:func:`followup_topic`); otherwise money-gone and
which-number questions get the general topic (``GENERAL_TOPIC``).

The answer actions and the held-out evaluation both call these functions, so
the measured accuracy is what residents get.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional

from bot.knowledge.answers import NO_URGENT_STEPS
from bot.knowledge.harmful import asks_for_crime, presses_for_crime
from bot.knowledge.topics import ALERT_FRAUD, ALERT_ILLEGAL, ALERT_NONE, KnowledgeBase
from bot.knowledge.scam_check import normalise

TERM_WEIGHT = 0.5
MAX_TERM_HITS = 2
CANDIDATES = 3
# Below this score the pick is a guess: the resident gets the polite fallback
# instead of a confident answer on the wrong topic.
MIN_SCORE = 0.2
# A runner-up this close to the winner is offered as a one-tap alternative.
CLOSE_MARGIN = 0.25
# Follow-up intents, and the topic that answers each when there is no topic to follow.
# A request for help with a crime (:mod:`bot.knowledge.harmful`) is answered by this topic.
CRIME_TOPIC = "illegal_request"
GENERAL_TOPIC = {"followup_transferred": "after_fraud", "followup_hotline": "hotline",
                 "followup_what_to_do": None, "followup_more": None,
                 "followup_insist": None}


@dataclass(frozen=True)
class TopicChoice:
    key: Optional[str]  # None: not confident enough to answer
    confidence: float  # the selector's own confidence in ``key``
    score: float
    runner_up: Optional[str] = None  # a close second topic, offered as a button


def term_hits(terms: Iterable[str], text: str) -> int:
    clean = normalise(text)
    return min(MAX_TERM_HITS, sum(1 for term in terms if normalise(term) in clean))


def choose_topic(parse: Dict[str, Any], kb: KnowledgeBase) -> TopicChoice:
    """The topic to answer for a parsed message (Rasa's parse result)."""
    text = parse.get("text") or ""
    if asks_for_crime(text) and CRIME_TOPIC in kb.topics:
        return TopicChoice(CRIME_TOPIC, 1.0, 1.0 + TERM_WEIGHT)  # a stance, never a victim's answer
    selector = (parse.get("response_selector") or {}).get("faq") or {}
    ranking = selector.get("ranking") or []
    if not ranking and selector.get("response"):
        ranking = [selector["response"]]
    scored = []
    for candidate in ranking[:CANDIDATES]:
        key = str(candidate.get("intent_response_key") or "")
        if not key.startswith("faq/") or key[4:] not in kb.topics:
            continue
        confidence = float(candidate.get("confidence") or 0.0)
        score = confidence + TERM_WEIGHT * term_hits(kb.topics[key[4:]].terms, text)
        scored.append(TopicChoice(key[4:], confidence, score))
    scored.sort(key=lambda choice: -choice.score)  # stable: the selector's order breaks ties
    if not scored or scored[0].score < MIN_SCORE:
        best = scored[0] if scored else TopicChoice(None, 0.0, 0.0)
        return TopicChoice(None, best.confidence, best.score)
    best = scored[0]
    if len(scored) > 1 and scored[1].score >= MIN_SCORE and best.score - scored[1].score < CLOSE_MARGIN:
        return TopicChoice(best.key, best.confidence, best.score, runner_up=scored[1].key)
    return best


# A message this short, in a conversation already on a topic, is read as part of that
# conversation unless it names the new topic or the classifier is sure of it.
STAY_MAX_CHARS = 60
STAY_UNLESS_CONFIDENCE = 0.5
# A bare word or two (银行？, 然后呢) never starts a new topic unless it names it.
BARE_WORD_CHARS = 3


def stays_on_topic(parse: Dict[str, Any], kb: KnowledgeBase, current: Optional[str], choice: TopicChoice) -> bool:
    """她不信是骗子 说对方天天跟她视频 after a romance answer is about the romance, not sextortion.

    True when the conversation has a topic, the message is short, names no term of the
    newly chosen topic, and the classifier either ranks the current topic among its top
    candidates or is not sure of the new one.  Only a switch from a scam or a crime to
    another scam or to fundraising is held back (东西还没拆的能退吗 after a live-stream answer is
    not about fundraising): a move to advice (那正经的贷款去哪借) or to a crime of one's own (那我自己拉个群
    照这个套路搞, 那我把卡借他呢) is a new question.
    """
    text = parse.get("text") or ""
    if not current or current not in kb.topics or choice.key in (None, current) or text.startswith("/"):
        return False
    if len(re.sub(r"[\W_]", "", text)) <= BARE_WORD_CHARS and not term_hits(kb.topics[choice.key].terms, text):
        return True  # 银行？ after the urgent steps: a word about them, not a new question on loans
    if kb.topics[choice.key].alert == ALERT_NONE or choice.key in STANCE_TOPICS or kb.topics[current].alert == ALERT_NONE:
        return False  # after advice (96110 来电), 他在跟网上一个人搞投资 is the story itself
    if len(text) > STAY_MAX_CHARS or asks_for_crime(text) or term_hits(kb.topics[choice.key].terms, text):
        return False
    ranking = ((parse.get("response_selector") or {}).get("faq") or {}).get("ranking") or []
    ranked = [str(c.get("intent_response_key") or "")[4:] for c in ranking[:CANDIDATES]]
    return current in ranked or choice.confidence < STAY_UNLESS_CONFIDENCE


# The topics where the resident was told not to do something illegal (answers.NO_URGENT_STEPS):
# a push to do it anyway stays on them.
STANCE_TOPICS = NO_URGENT_STEPS
# Pressure runs longer than a reaction (come on, it's 内部 phishing drill, 我们公司 security team 的 …).
STANCE_MAX_CHARS = 100


def holds_the_stance(parse: Dict[str, Any], kb: KnowledgeBase, current: Optional[str], choice: TopicChoice) -> bool:
    """我们是有牌照的小贷公司 你放心写 / 他表弟说就是拿去打游戏充值用的, after a refusal to help with
    something illegal, is pressure to go ahead, not a question about licences or games.

    True when the conversation is on a stance topic, the new message is short and presses
    (:func:`bot.knowledge.harmful.presses_for_crime`), and the classifier moved to a scam or a
    crime; a move to advice (那正规的贷款咋借) is a new question.
    """
    text = parse.get("text") or ""
    if current not in STANCE_TOPICS or current not in kb.topics or choice.key == current or text.startswith("/"):
        return False
    if choice.key is not None and kb.topics[choice.key].alert not in (ALERT_FRAUD, ALERT_ILLEGAL):
        return False
    return len(text) <= STANCE_MAX_CHARS and presses_for_crime(text)


def followup_topic(parse: Dict[str, Any], kb: KnowledgeBase, current: Optional[str] = None) -> Optional[str]:
    """The topic a follow-up question is answered for.

    The conversation's topic (``current``) when there is one; else the topic the
    message itself is about, if :func:`choose_topic` is confident; else the
    general topic of the follow-up (None: the general advice).
    """
    if asks_for_crime(parse.get("text") or "") and CRIME_TOPIC in kb.topics:
        return CRIME_TOPIC  # 我咋说才能没事 after any story
    if current and current in kb.topics:
        return current
    intent = str((parse.get("intent") or {}).get("name") or "")
    return choose_topic(parse, kb).key or GENERAL_TOPIC.get(intent)


def told_where_money_went(parse: Dict[str, Any], current: Optional[str], money_sent: Optional[str],
                          choice: TopicChoice) -> bool:
    """钱是转到一个陌生人的银行卡 户名叫什么李某 我有截图: the classifier reads a crime, but the resident
    asked for none, and the conversation is about their own money lost to a scam (not a crime of theirs)."""
    return (choice.key == CRIME_TOPIC and money_sent == "yes" and bool(current)
            and current not in STANCE_TOPICS and not asks_for_crime(parse.get("text") or ""))
