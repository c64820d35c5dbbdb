"""Compose the chat replies for knowledge topics and their follow-ups.

Pure functions: they take a :class:`~bot.knowledge.Topic` and the resident's text
and return :class:`Reply` objects that actions send and tests inspect.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from bot.knowledge import ALERT_FRAUD, ALERT_ILLEGAL, MAX_MESSAGE_CHARS, Topic
from bot.scam_check import is_situation, seen_flags

Button = Tuple[str, str]  # (title, payload)

MORE = ("详细说说", "/followup_more")
WHAT_TO_DO = ("那怎么办", "/followup_what_to_do")
HOTLINE = ("打哪个电话", "/followup_hotline")
TRANSFERRED = ("我已经转钱了", "/followup_transferred")
QUIZ = ("考考我", "/quiz_start")

FOLLOWUP_PARTS = {
    "followup_more": "details",
    "followup_what_to_do": "what_to_do",
    "followup_hotline": "hotline",
    "followup_transferred": "transferred",
}
_NEXT_BUTTONS = {
    "answer": [MORE, WHAT_TO_DO, HOTLINE, QUIZ],
    "check": [TRANSFERRED, HOTLINE, MORE, QUIZ],
    "details": [WHAT_TO_DO, HOTLINE, QUIZ],
    "what_to_do": [HOTLINE, TRANSFERRED, MORE],
    "hotline": [TRANSFERRED, WHAT_TO_DO, QUIZ],
    "transferred": [HOTLINE, WHAT_TO_DO],
}

GENERIC_WHAT_TO_DO = (
    "遇到可疑情况，记住“不听、不信、不转账”：①先挂断电话、不点链接；②不说验证码和密码；"
    "③找家人或拨打96110问一问。您也可以把经过告诉我，我帮您看看。"
)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: List[Button] = field(default_factory=list)

    def as_message(self) -> dict:
        message = {"text": self.text}
        if self.buttons:
            message["buttons"] = [{"title": t, "payload": p} for t, p in self.buttons]
        return message


def _with_buttons(texts: Tuple[str, ...], buttons: List[Button]) -> List[Reply]:
    replies = [Reply(t) for t in texts]
    replies[-1] = Reply(replies[-1].text, list(buttons))
    return replies


def _alert_line(topic: Topic, flags: List[str]) -> str:
    if topic.situation:
        opening = topic.situation
    elif topic.alert == ALERT_ILLEGAL:
        opening = f"您说的情况和“{topic.title}”有关，这样做是违法的，千万不要参与！"
    else:
        opening = f"您说的情况很像“{topic.title}”的套路，十有八九是诈骗！"
    if not flags:
        return opening
    marks = "①②③"
    listed = "；".join(f"{marks[i]}{f}" for i, f in enumerate(flags))
    text = f"{opening}我注意到这些危险信号：{listed}。"
    # Drop flags rather than overflow the phone screen.
    while len(text) > MAX_MESSAGE_CHARS and len(flags) > 1:
        flags = flags[:-1]
        listed = "；".join(f"{marks[i]}{f}" for i, f in enumerate(flags))
        text = f"{opening}我注意到这些危险信号：{listed}。"
    return text


def topic_answer(topic: Topic, text: str = "") -> List[Reply]:
    """The first reply on a topic; a described situation gets a scam check."""
    if topic.alert in (ALERT_FRAUD, ALERT_ILLEGAL) and text and is_situation(text):
        flags = seen_flags(topic, text)
        alert = _alert_line(topic, flags)
        if flags:
            body = (alert,) + topic.what_to_do
        else:
            body = (alert, topic.answer[0]) + topic.what_to_do
        return _with_buttons(body, _NEXT_BUTTONS["check"])
    return _with_buttons(topic.answer, _NEXT_BUTTONS["answer"])


def followup(topic: Optional[Topic], intent: str, fallback: Optional[Topic] = None) -> List[Reply]:
    """Answer "那怎么办 / 打哪个电话 / 我已经转钱了 / 详细说说" for the current topic.

    Without a current topic, hotline and money-lost questions go to ``fallback``
    (the general topic); "what to do" and "more" get the general advice.
    """
    part = FOLLOWUP_PARTS[intent]
    if topic is None:
        if fallback is not None and part in ("hotline", "transferred"):
            topic = fallback
        else:
            return [Reply(GENERIC_WHAT_TO_DO, [HOTLINE, TRANSFERRED, QUIZ])]
    return _with_buttons(topic.messages(part), _NEXT_BUTTONS[part])
