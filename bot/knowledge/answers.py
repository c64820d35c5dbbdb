"""Compose the chat replies for knowledge topics and their follow-ups.

Pure functions: they take a :class:`~bot.knowledge.topics.Topic` and the resident's text
and return :class:`Reply` objects that actions send and tests inspect.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import re
from types import SimpleNamespace
from typing import Any, List, Optional, Tuple

from bot.knowledge.topics import ALERT_FRAUD, ALERT_ILLEGAL, ALERT_NONE, MAX_MESSAGE_CHARS, Topic
from bot.knowledge.scam_check import is_situation, seen_flags
from bot.situation.scope import NO_RECEIPT

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
    "followup_insist": "insist",
}
_NEXT_BUTTONS = {
    "answer": [MORE, WHAT_TO_DO, HOTLINE, QUIZ],
    "check": [TRANSFERRED, HOTLINE, MORE, QUIZ],
    "details": [WHAT_TO_DO, HOTLINE, QUIZ],
    "what_to_do": [HOTLINE, TRANSFERRED, MORE],
    "hotline": [TRANSFERRED, WHAT_TO_DO, QUIZ],
    "transferred": [HOTLINE, WHAT_TO_DO],
    "insist": [WHAT_TO_DO, HOTLINE, MORE],
}

GENERIC_WHAT_TO_DO = (
    "遇到可疑情况，记住“不听、不信、不转账”：①先挂断电话、不点链接；②不说验证码和密码；"
    "③找家人或拨打96110问一问。您也可以把经过告诉我，我帮您看看。"
)

# The resident pushes back on a "no" (就借一次 / 他是我亲表哥 / 别人都在做 / 他真是警察):
# the stance again, in other words, for topics without an "insist" part of their own.
INSIST = {
    ALERT_ILLEGAL: "不行，这件事不能做。是熟人、只做一次、别人都在做，都改变不了它违法，可能构成犯罪；出了事，担责任的是您自己。"
                   "躲起来、撒谎、删掉记录，只会让事情更严重。",
    ALERT_FRAUD: "我明白您的心情，但请先别转钱、别交费。不管对方说得多像真的、知道您多少信息、对您多好、催得多急，"
                 "只要让您转账、交钱、说验证码，就是骗子的套路。",
}


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
        opening = f"您说的情况很像“{topic.title}”的套路，十有八九是诈骗，先别转钱、别交钱！"
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


# Topics where "the money is gone" does not call for the victim's urgent steps:
# the resident asks how to do something illegal, or took money for a card.
NO_URGENT_STEPS = {"illegal_request", "card_renting"}

CHANNEL_WORDS = {
    "bank": "银行卡", "wechat": "微信", "alipay": "支付宝", "cash": "现金",
    "digital_rmb": "数字人民币", "gift_card": "充值卡", "crypto": "虚拟币",
}


def _amount_words(amount: Optional[int]) -> str:
    if not amount:
        return ""
    if amount >= 10000 and amount % 1000 == 0:
        return f"{amount / 10000:g}万元"
    return f"{amount}元"


def urgent_steps(situation: Any = None) -> Tuple[str, ...]:
    """The first bubbles whenever money has already left: 110, own card, evidence.

    The police start the 紧急止付 of the receiving account after a 110 report;
    the resident's own bank freezes or 挂失 the resident's own card
    (../shared/domain-facts.md).  The amount and channel are named back in plain
    words when the resident gave them; "刚才" and "上个月" get different urgency.
    """
    amount = _amount_words(getattr(situation, "amount", None))
    channel = CHANNEL_WORDS.get(getattr(situation, "channel", None) or "", "")
    how = f"用{channel}" if channel else ""
    what = f"{how}转出了{amount}" if amount else (f"{how}转出了钱" if how else "钱已经转出去了")
    when = getattr(situation, "when", None)
    if when in ("weeks", "days"):
        head = f"您说{what}。过了些时间也别放弃，现在就报案："
    else:
        head = f"您说{what}，别慌，抢时间最要紧："
    return (
        f"{head}①马上打110报警，说清转账时间、金额和对方账户，警察会对骗子的收款账户紧急止付（先把骗子收钱的账户拦住，不让钱转走）。",
        "②打您开户银行的官方客服电话（银行卡背面或官方App上的号码），或去柜台，冻结或挂失您自己的卡。",
        "③聊天记录、转账凭证、通话记录都留好，别删。别再转钱，说交钱能帮您追回的，也是骗子。",
    )


GAVE_AWAY_STEP = ("您把{what}给了对方：{stop}马上改掉银行App和支付软件的密码，"
                  "再打您开户银行的官方客服电话，把卡冻结。")
# A screen share may still be running: the scammer watches every code that arrives.
STOP_SHARING = "先断开共享、卸载对方让您装的软件，"
GIVEN_AWAY_WORDS = {"verification_code": "验证码", "password": "密码", "screen_share": "屏幕共享"}


def given_away_step(situation: Any) -> Tuple[str, ...]:
    """A code, a password or a screen share went to the scammer: lock the accounts now."""
    words = [GIVEN_AWAY_WORDS[g] for g in getattr(situation, "given_away", ()) or () if g in GIVEN_AWAY_WORDS]
    if not words:
        return ()
    given = getattr(situation, "given_away", ()) or ()
    stop = STOP_SHARING if "screen_share" in given else ""
    return (GAVE_AWAY_STEP.format(what="、".join(words), stop=stop),)


def money_is_gone(situation: Any) -> bool:
    return getattr(situation, "money_sent", None) == "yes"


def said_now(situation: Any) -> Any:
    """Only what this message said: a new question later in the conversation
    ("那正规的贷款咋借" after a loan story) is answered, not met with the urgent
    steps again.  Follow-ups ("那怎么办") still use what earlier turns said."""
    if situation is None or not hasattr(situation, "sent_now"):
        return situation
    return SimpleNamespace(**{**vars(situation), "money_sent": situation.money_sent if situation.sent_now else None,
                              "given_away": situation.given_now})


def with_concern(replies: List[Reply], concern: Any, situation: Any = None,
                 first_answer: bool = False) -> List[Reply]:
    """Put the bubble that answers the resident's own question (a concern,
    ``bot/knowledge/concerns.py``) into the reply: first on a follow-up, after the
    opening bubble on a first answer, and always after the urgent steps."""
    if concern is None or not replies or any(r.text == concern.text for r in replies):
        return replies
    urgent = urgent_steps(situation)
    if [r.text for r in replies[:len(urgent)]] == list(urgent):
        at = len(urgent)
    else:
        at = 1 if first_answer else 0
    at = min(at, max(len(replies) - 1, 0))  # the last bubble keeps the buttons
    return replies[:at] + [Reply(concern.text)] + replies[at:]


def concern_reply(concern: Any, topic: Optional[Topic], buttons_for: str = "answer") -> List[Reply]:
    """A same-topic question that one concern answers: that bubble and the topic's first step."""
    steps = tuple(topic.what_to_do[:1]) if topic is not None and not concern.answers_alone else ()
    return _with_buttons((concern.text,) + steps, _NEXT_BUTTONS[buttons_for] if topic is not None
                         else [HOTLINE, TRANSFERRED, QUIZ])


def with_alternative(replies: List[Reply], alternative: Optional[Topic]) -> List[Reply]:
    """Offer a close second topic as one tap, after the answer."""
    if alternative is None:
        return replies
    offer = Reply(f"如果您想问的是“{alternative.title}”，点下面这个按钮。",
                  [(alternative.title, f'/faq{{"topic": "{alternative.key}"}}')])
    return replies + [offer]


def topic_answer(topic: Topic, text: str = "", situation: Any = None) -> List[Reply]:
    """The first reply on a topic.

    * Money already gone: the urgent steps first, then what the scam is.
    * A described situation with red flags in it: the verdict and the flags seen.
    * Otherwise the explanation: without a red flag there is no verdict, so an
      ordinary banking question (流水, 分红, 征信逾期) is answered, not judged.
    """
    situation = said_now(situation)
    if money_is_gone(situation) and topic.key not in NO_URGENT_STEPS:
        body = urgent_steps(situation) + given_away_step(situation) + (topic.answer[0],)
        return _with_buttons(body, _NEXT_BUTTONS["transferred"] + [MORE])
    if given_away_step(situation) and topic.key not in NO_URGENT_STEPS:
        body = given_away_step(situation) + (topic.answer[0],) + topic.what_to_do[-1:]
        return _with_buttons(body, _NEXT_BUTTONS["check"])
    near_miss = (NEAR_MISS,) if (text and (topic.alert != ALERT_NONE or topic.key in NEAR_MISS_ADVICE)
                                 and not money_is_gone(situation)
                                 and stopped_in_time(text)) else ()
    if near_miss:
        return _with_buttons(near_miss + topic.answer[:1] + topic.what_to_do[:1], _NEXT_BUTTONS["check"])
    if topic.alert in (ALERT_FRAUD, ALERT_ILLEGAL) and text and is_situation(text):
        flags = seen_flags(topic, text)
        if flags:
            # Something illegal was asked or offered: name the law too (帮信罪, 非法集资 …).
            law = topic.answer[1:2] if topic.alert == ALERT_ILLEGAL else ()
            body = (_alert_line(topic, flags),) + law + topic.what_to_do
            return _with_buttons(body, _NEXT_BUTTONS["check"])
    return _with_buttons(topic.answer, _NEXT_BUTTONS["answer"])


# 我觉得不对劲没开 验证码也没给他 / 俺给挂了: the resident refused; say so before anything else.
_STOPPED_IN_TIME = re.compile(
    r"(?<!还)(?:没(?:有)?|没敢|不敢)(?:给|开|转|点|理|告诉|说|下载|交|汇|扫|操作|信|上当|按)"
    r"(?!" + NO_RECEIPT + ")"  # 也没给收据: theirs, not a refusal
    r"|(?:给|就|直接|马上)?挂(?:了|掉了|断了)|拉黑了|删了他|就删了|删掉了|幸好|好在|还好(?:没|我)"
    r"|最后(?:还是)?(?:没|挂)|抢(?:了)?过来|拦(?:住|下)(?:了|来)")
# 他把电话挂了 / 对方就把我拉黑了: the other side ended it, which says nothing of what the resident kept.
_THEY_ENDED = re.compile(r"(?:他|她|对方|那边|骗子|那人|客服)(?:就|又|直接|马上|立马)?(?:把(?:电话|我))?(?:就|给)?$")


def stopped_in_time(text: str) -> bool:
    """The resident says they refused or stopped in time (没给, 俺给挂了, 被柜员拦住了)."""
    for match in _STOPPED_IN_TIME.finditer(text):
        if re.match(r"(?:给|就|直接|马上)?(?:挂|拉黑)", match.group()) and _THEY_ENDED.search(text[:match.start()]):
            continue
        return True
    return False


NEAR_MISS_ADVICE = {"personal_info", "identity_theft"}  # advice topics where 没给 / 没开 is a refusal too
NEAR_MISS = "您做得对！没照对方说的做，钱就守住了。以后再遇到，也这样先停下、不照做。"
# 可是我爸说那个声音跟我一模一样啊 / 他说他是真心的: a reaction to the answer just given.
_PUSHBACK = re.compile(r"^(?:可是|可(?=[他她我俺人那这])|但是|但(?![凡愿])|不过|他说|她说|人家说|对方说|我觉得|真的|不是|又不|哪有|不可能)"
                       r"|一模一样|不信|是真的|真心|不像(?:是)?骗子|没事吧|就没事了|没事了吧|不至于|有那么严重|都在|又不是")


# Feelings said beside the facts: a resident ashamed or afraid of the family, a relative who
# blames themselves, and despair, which comes before everything else.
_DESPAIR = re.compile(r"不想活|活不下去|活不成|想死|寻死|轻生|跳楼|跳河|喝药|没法活|不如死")
_ASHAMED = re.compile(r"丢人|丢脸|没脸|太笨|好笨|真笨|笨死|(?:要|会|得|肯定)骂死?我|怕[^，。！？\s]{0,6}?(?:骂|怪|知道|说我|笑话)|都怪(?:我|自己)|怪我自己|自责|太傻|真傻|好蠢"
                      r"|后悔死|不敢(?:跟|告诉|和|让)[^，。！？\s]{0,4}?(?:家|儿|女|老|爸|妈|孩子)")
_RELATIVE_UPSET = re.compile(r"(?:他|她|我妈|我爸|老伴|老人|孩子|女儿|儿子|闺女|外婆|外公|奶奶|爷爷|姥姥|姥爷|婆婆|公公)[^，。！？\s]{0,8}?"
                             r"(?:哭|不吃|睡不着|怪(?:他|她)?自己|自责|想不开|不说话)")
COMFORT_DESPAIR = ("您先别想不开，钱的事可以慢慢想办法，您的安全最要紧。请马上告诉身边的家人或朋友，别一个人扛着；"
                   "要是有危险，马上打110或120。")
COMFORT_ASHAMED = "别自责，这不是您的错：骗子专门设计圈套，很多人都被骗过。请告诉家人，一起想办法，家人会帮您的。"
COMFORT_RELATIVE = "家里人被骗后常常很自责。请多陪陪、多安慰，别责怪，一起把该做的事办了。"


def comfort(text: str) -> Tuple[Reply, ...]:
    """A kind word first when the message says how the resident (or a relative) feels."""
    text = text or ""
    if _DESPAIR.search(text):
        return (Reply(COMFORT_DESPAIR),)
    if _ASHAMED.search(text):
        return (Reply(COMFORT_ASHAMED),)
    if _RELATIVE_UPSET.search(text):
        return (Reply(COMFORT_RELATIVE),)
    return ()


def is_pushback(text: str) -> bool:
    """A short reaction to the answer on the same topic ("可是他说…", "他不信")."""
    return len(text or "") <= 40 and bool(_PUSHBACK.search(text or ""))


def insist(topic: Optional[Topic], situation: Any = None) -> List[Reply]:
    """The resident pushes back on what the topic's answer said: say it again, kindly.

    The topic's own "insist" part if it has one, else the stance for its alert
    followed by its first step; an advice topic repeats its steps.  Without a topic
    there is nothing to insist on: the general advice, with an invitation to tell
    what happened.
    """
    locked = () if money_is_gone(situation) else given_away_step(situation)  # 卡里钱还没少 是不是就没事了
    if topic is None:
        return _with_buttons(locked + (GENERIC_WHAT_TO_DO,), [HOTLINE, TRANSFERRED, QUIZ])
    stance = topic.insist or ((INSIST[topic.alert],) if topic.alert in INSIST else ()) + topic.what_to_do[:1]
    return _with_buttons(locked + stance, _NEXT_BUTTONS["insist"])


# 我已经开了一下又关了 / 照片已经发过去了: something was done, and nothing in the message is money.
_ITEM_DONE = re.compile(r"照片|身份证|证件|验证码|密码|屏幕|共享|链接|软件|app|开了|点了|装了|下载|人脸|刷脸|发过去|拍了|填了")
_MONEY_SAID = re.compile(r"钱|转账|转了|转过去|汇|付款|付了|充|交了|元|块|万|千|\d")


def handed_over_no_money(text: str) -> bool:
    return bool(_ITEM_DONE.search(text or "")) and not _MONEY_SAID.search(text or "")


# 好的 / 不用了 is a plain yes or no; 不对 语音打错了 是一千八 那是不是就不用报警了 asks something.
ACKNOWLEDGE_MAX = 10
_POLITE = re.compile(r"谢|明白了|知道了|懂了|好的|不用了|没事了|再见|拜拜")
_ASKS = re.compile(r"[?？]|吗|呢|么|是不是|要不要|用不用|怎么|咋|啥|什么|能不能|可不可以|还[要用能]")


def only_yes_or_no(text: str) -> bool:
    """A short or polite yes/no (好的, 不用了 谢谢你) is acknowledged; a longer one may say more."""
    return len(text or "") <= ACKNOWLEDGE_MAX or bool(_POLITE.search(text or ""))


def asks_something(text: str) -> bool:
    return bool(_ASKS.search(text or ""))


_KEPT_SAID = re.compile(r"没|未|还在|都在|没少|not|n't|never", re.IGNORECASE)


def followup(topic: Optional[Topic], intent: str, fallback: Optional[Topic] = None,
             situation: Any = None, text: str = "") -> List[Reply]:
    """Answer "那怎么办 / 打哪个电话 / 我已经转钱了 / 详细说说" for the current topic.

    Without a current topic, hotline and money-lost questions go to ``fallback``
    (the general topic); "what to do" and "more" get the general advice.
    "那怎么办" after a story in which money left gets the urgent steps, with what
    was lost; "我已经转钱了" always opens with them.
    """
    part = FOLLOWUP_PARTS[intent]
    if part == "insist":
        return insist(topic, situation)
    if topic is not None and topic.key in NO_URGENT_STEPS:
        # 我帮人转过钱 警察找我 → 那怎么办 / 我就转了一次，也算犯法吗: the stance and the
        # topic's own advice (帮信罪, 如实说明), not a victim's urgent steps.
        return _with_buttons(topic.messages(part), _NEXT_BUTTONS[part])
    if intent == "followup_transferred" and getattr(situation, "money_sent", None) == "no" and _KEPT_SAID.search(text):
        # 还没转 卡里的钱还在 / I already installed it 但是还没开共享 卡里钱都在: the words of a
        # transfer, but the resident says no money left; never tell them it has.  (要是已经交了呢
        # asks about paying: the urgent steps.)
        intent, part = "followup_what_to_do", FOLLOWUP_PARTS["followup_what_to_do"]
    said_given = bool(getattr(situation, "given_now", ())) and given_away_step(situation)
    if intent == "followup_transferred" and not getattr(situation, "sent_now", False) \
            and not getattr(situation, "given_now", ()) and handed_over_no_money(text):
        intent, part = "followup_what_to_do", FOLLOWUP_PARTS["followup_what_to_do"]  # 可我已经发过去了 after ID photos
    if intent == "followup_transferred" and said_given and not money_is_gone(situation):
        # 我把验证码给他了: a code went, not money; never say "您说钱已经转出去了".
        base = topic if topic is not None else fallback
        return _with_buttons(given_away_step(situation) + tuple((base.what_to_do if base else ())[:1]),
                             _NEXT_BUTTONS["check"])
    if intent == "followup_what_to_do" and given_away_step(situation) and not money_is_gone(situation):
        # 我把验证码给他了 … 卡里钱还没少 是不是就没事了 / 那怎么办: lock the accounts first, again.
        base = topic if topic is not None else fallback
        return _with_buttons(given_away_step(situation) + tuple((base.what_to_do if base else ())[:1]),
                             _NEXT_BUTTONS["what_to_do"])
    if intent == "followup_transferred" or (intent == "followup_what_to_do" and money_is_gone(situation)):
        base = topic if topic is not None and topic.key not in NO_URGENT_STEPS else fallback
        # The urgent steps already say 110 and the own card; the topic adds what is its own.
        extra = tuple(t for t in (base.transferred if base is not None else ())
                      if "110" not in t and "挂失" not in t and "冻结" not in t)
        return _with_buttons(urgent_steps(situation) + given_away_step(situation) + extra[:1],
                             _NEXT_BUTTONS["transferred"])
    if topic is not None and text and part in ("what_to_do", "details") and topic.alert != ALERT_NONE \
            and not money_is_gone(situation) and stopped_in_time(text):
        # 我还没说 我说等我找下眼镜 就把电话挂了: the resident stopped in time; say so first.
        return _with_buttons((NEAR_MISS,) + tuple(topic.what_to_do[:1]), _NEXT_BUTTONS["check"])
    if topic is None:
        if fallback is not None and part in ("hotline", "transferred"):
            topic = fallback
        else:
            return [Reply(GENERIC_WHAT_TO_DO, [HOTLINE, TRANSFERRED, QUIZ])]
    return _with_buttons(topic.messages(part), _NEXT_BUTTONS[part])
