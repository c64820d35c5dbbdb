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

The answer action and the held-out evaluation both call :func:`choose_topic`, so
the measured accuracy is what residents get.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional

from bot.knowledge.topics import KnowledgeBase
from bot.knowledge.scam_check import normalise

TERM_WEIGHT = 0.5
MAX_TERM_HITS = 2
CANDIDATES = 3
# Below this score the pick is a guess: the resident gets the polite fallback
# instead of a confident answer on the wrong topic.
MIN_SCORE = 0.2
# A runner-up this close to the winner is offered as a one-tap alternative.
CLOSE_MARGIN = 0.25


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
    selector = (parse.get("response_selector") or {}).get("faq") or {}
    ranking = selector.get("ranking") or []
    if not ranking and selector.get("response"):
        ranking = [selector["response"]]
    text = parse.get("text") or ""
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
