"""Knowledge answers and their follow-ups."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from bot.knowledge.answers import (Reply, asks_something, comfort, concern_reply, followup, insist, is_pushback,
                                   money_is_gone, only_yes_or_no, topic_answer, with_alternative, with_concern)
from bot.knowledge.concerns import concern_for
from bot.errors import UnknownTopic
from bot.knowledge.topics import ALERT_ILLEGAL, KnowledgeBase
from bot.knowledge.harmful import asks_for_crime
from bot.knowledge.ordinary import BANK_RESPONSE, out_of_scope_response, sounds_like_a_scam
from bot.knowledge.topic_choice import (CRIME_TOPIC, GENERAL_TOPIC, TopicChoice, choose_topic, followup_topic,
                                        holds_the_stance, stays_on_topic, told_where_money_went)

logger = logging.getLogger(__name__)


def send(dispatcher: CollectingDispatcher, replies: List[Reply], text: str = "") -> None:
    """The replies, after a kind word when the message says how the resident feels."""
    for reply in comfort(text) + tuple(replies):
        dispatcher.utter_message(**reply.as_message())


def send_stance(dispatcher: CollectingDispatcher, topic, situation, concern, text: str) -> None:
    """The topic's stance again in other words (a pushback, pressure after a refusal), with the resident's own question."""
    send(dispatcher, with_concern(insist(topic, situation), concern, situation), text)


# An unclear message this short, in a conversation with a topic, is taken as a follow-up to it.
SHORT_FOLLOWUP = 40
SITUATION_FIELDS = ("money_sent", "amount", "channel", "when", "impersonated")


def selected_topic(message: Dict[Text, Any], kb: KnowledgeBase) -> TopicChoice:
    """The topic chosen by a button entity, or by the selector and the terms."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == "topic" and entity.get("value"):
            return TopicChoice(str(entity["value"]), 1.0, 1.0)
    return choose_topic(message, kb)


class Situation:
    """What the resident said happened (the SituationExtractor's entities),
    falling back to what earlier turns said (the slots)."""

    def __init__(self, message: Dict[Text, Any], tracker: Optional[Tracker] = None) -> None:
        found: Dict[str, Any] = {}
        for entity in message.get("entities") or []:
            name = entity.get("entity")
            if name in SITUATION_FIELDS and name not in found:
                found[name] = entity.get("value")
        for name in SITUATION_FIELDS:
            value = found.get(name)
            if value in (None, "", "unclear") and tracker is not None:
                value = tracker.get_slot(name) or value
            setattr(self, name, value)
        given = [e.get("value") for e in message.get("entities") or [] if e.get("entity") == "given_away"]
        self.given_now = tuple(v for v in given if v)  # said in this message
        self.sent_now = found.get("money_sent") == "yes"
        self.given_away = self.given_now or tuple((tracker.get_slot("given_away") if tracker else None) or ())
        try:
            self.amount = int(self.amount) if self.amount not in (None, "") else None
        except (TypeError, ValueError):
            self.amount = None

    def slot_events(self) -> List[Dict]:
        events = [SlotSet(name, getattr(self, name)) for name in SITUATION_FIELDS
                  if getattr(self, name) not in (None, "", "unclear")]
        if self.given_away:
            events.append(SlotSet("given_away", list(self.given_away)))
        return events


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        message = tracker.latest_message
        kb = services().knowledge
        choice = selected_topic(message, kb)
        current = tracker.get_slot("topic")
        if holds_the_stance(message, kb, current, choice):
            # 我们是有牌照的 你放心写, after "I can't help with that": the stance again, not a licence answer.
            situation = Situation(message, tracker)
            if not situation.sent_now:
                text = message.get("text") or ""
                send_stance(dispatcher, kb.get(current), situation, concern_for(text, current), text)
                return situation.slot_events()
        if stays_on_topic(message, kb, current, choice):
            choice = TopicChoice(current, choice.confidence, choice.score)
        if told_where_money_went(message, current, tracker.get_slot("money_sent"), choice):
            # 钱是转到一个陌生人的银行卡 户名叫什么李某 我有截图: a victim says where the money went, no crime.
            choice = TopicChoice(GENERAL_TOPIC["followup_transferred"], choice.confidence, choice.score)
        try:
            topic = kb.get(choice.key)
        except UnknownTopic:
            # Not sure of the topic: what the fallback does (urgent steps when money went, a concern, or "say more").
            logger.info("no confident topic for a message (chose %r)", choice.key)
            return await ActionFallback().run(dispatcher, tracker, domain)
        text = message.get("text") or ""
        situation = Situation(message, tracker)
        concern = concern_for(text, topic.key, money_is_gone(situation))
        same_topic = topic.key == tracker.get_slot("topic") and not situation.sent_now
        if concern is not None and (same_topic or (concern.answers_alone and not situation.sent_now
                                                   and not situation.given_now)):
            # 那正经招工的厂子会收钱不: answer that, not the topic's opening again.
            send(dispatcher, concern_reply(concern, topic), text)
            return situation.slot_events()
        if same_topic and is_pushback(text):
            # 可是我爸说那个声音跟我一模一样啊: the same answer again would not help; the stance would.
            send(dispatcher, insist(topic, situation), text)
            return situation.slot_events()
        replies = topic_answer(topic, "" if text.startswith("/") else text, situation)
        replies = with_concern(replies, concern, situation, first_answer=True)
        send(dispatcher, with_alternative(replies, kb.topics.get(choice.runner_up or "")), text)
        return [SlotSet("topic", topic.key)] + situation.slot_events()


class ActionTopicFollowup(Action):
    def name(self) -> Text:
        return "action_topic_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        kb = services().knowledge
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name") or ""
        if intent == "followup_more" and is_pushback(message.get("text") or ""):
            intent = "followup_insist"  # 他说得可准了 … 能是假的吗: a reaction, not "tell me more"
        current = tracker.get_slot("topic")
        key = followup_topic(message, kb, current)
        topic = kb.topics.get(key or "")
        situation = Situation(message, tracker)
        text = message.get("text") or ""
        replies = followup(topic, intent, fallback=kb.topics.get(GENERAL_TOPIC.get(intent) or ""), situation=situation,
                           text=text)
        concern = concern_for(text, key, money_is_gone(situation))
        send(dispatcher, with_concern(replies, concern, situation), text)
        remembered = [SlotSet("topic", key)] if key and key != current and key != GENERAL_TOPIC.get(intent) else []
        return remembered + situation.slot_events()


class ActionFallback(Action):
    """Not sure what the message is about: the polite fallback, unless it says money has gone.

    "他用我手机扫码付了两千多 现在咋整" may match no topic, but the situation
    extractor read that money left; the resident then gets the urgent steps
    (for the conversation's topic if there is one), never "I did not understand".
    """

    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        message = tracker.latest_message
        kb = services().knowledge
        topic = kb.topics.get(tracker.get_slot("topic") or "")
        text = message.get("text") or ""
        if asks_for_crime(text) or (topic is not None and topic.key == CRIME_TOPIC):
            # 我咋说能撇清 教教我 / 就开个玩笑: the stance again, never "I did not understand".
            crime = kb.get(CRIME_TOPIC)
            replies = (topic_answer(crime, text) if asks_for_crime(text) else
                       [Reply(crime.answer[0], [])] + [Reply(t, []) for t in crime.what_to_do[:1]])
            send(dispatcher, with_concern(replies, concern_for(text, CRIME_TOPIC), first_answer=True), text)
            return [SlotSet("topic", CRIME_TOPIC)]
        situation = Situation(message, tracker)
        concern = concern_for(text, topic.key if topic else None, money_is_gone(situation))
        if not situation.sent_now:
            if topic is not None and (topic.alert == ALERT_ILLEGAL or is_pushback(text)):
                # 反正是不用的号 就卖一个咋了 after a card answer: the stance again, not "I did not understand".
                send_stance(dispatcher, topic, situation, concern, text)
                return situation.slot_events()
            if concern is not None:
                # 银行电话咋打 / 已经报警了 还能干点啥: a question the topic's parts do not answer.
                send(dispatcher, concern_reply(concern, topic), text)
                return situation.slot_events()
            if topic is not None and len(text) <= SHORT_FOLLOWUP:
                # he wants me to share screen 我还没点同意 / 那钱呢, right after an answer: what to do, not "say more".
                send(dispatcher, followup(topic, "followup_what_to_do", situation=situation), text)
                return situation.slot_events()
            if sounds_like_a_scam(text):
                # a call about a card 盗刷 that wants an app and a screen share: how to stay safe, and "tell me more".
                send(dispatcher, followup(None, "followup_what_to_do"), text)
                return situation.slot_events()
            if comfort(text):
                send(dispatcher, [], text)
            # How do I apply for a credit card with a higher limit: a bank errand, pointed to the bank.
            ordinary = out_of_scope_response(text)
            dispatcher.utter_message(response=ordinary if ordinary == BANK_RESPONSE else "utter_default")
            return []
        replies = followup(topic, "followup_transferred",
                           fallback=kb.topics.get(GENERAL_TOPIC["followup_transferred"]), situation=situation)
        send(dispatcher, with_concern(replies, concern, situation), text)
        return situation.slot_events()


class ActionAcknowledge(Action):
    """A yes or a no outside a flow: acknowledged, unless the message goes on to ask or tell something."""

    def name(self) -> Text:
        return "action_acknowledge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        message = tracker.latest_message
        text = message.get("text") or ""
        situation = Situation(message, tracker)
        kept_money = situation.money_sent == "no" and tracker.get_slot("topic")
        if kept_money or (not only_yes_or_no(text) and (asks_something(text) or tracker.get_slot("topic")
                                                         or situation.sent_now or concern_for(text))):
            # 还没转钱 after a scam answer: not a bare no; what to do now (lock the card if a code went).
            # 老乡说不去拉倒 名额给别人 俺有点舍不得: more than a no, about the conversation's scam.
            return await ActionFallback().run(dispatcher, tracker, domain)
        intent = (message.get("intent") or {}).get("name")
        dispatcher.utter_message(response="utter_deny" if intent == "deny" else "utter_affirm")
        return []


class ActionOutOfScope(Action):
    """Not this assistant's subject: say so, and point a bank errand or a health question to the right place."""

    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        text = tracker.latest_message.get("text") or ""
        kb = services().knowledge
        topic = kb.topics.get(tracker.get_slot("topic") or "")
        situation = Situation(tracker.latest_message, tracker)
        concern = concern_for(text, topic.key if topic else None, money_is_gone(situation))
        if topic is not None and holds_the_stance(tracker.latest_message, kb, topic.key, TopicChoice(None, 0.0, 0.0)):
            # 耽误了办案你负得起责吗, after "I can't write that": the stance again, not small talk.
            send_stance(dispatcher, topic, situation, concern, text)
            return []
        if concern is not None and (topic is not None or concern.answers_alone):
            # 我不太会弄手机 银行电话咋打, in a conversation about a scam: a question about it, not small talk.
            send(dispatcher, concern_reply(concern, topic), text)
            return []
        dispatcher.utter_message(response=out_of_scope_response(text))
        return []
