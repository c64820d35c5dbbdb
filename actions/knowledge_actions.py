"""Knowledge answers and their follow-ups."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from bot.answers import Reply, followup, topic_answer
from bot.errors import UnknownTopic
from bot.knowledge import KnowledgeBase
from bot.topic_choice import choose_topic

logger = logging.getLogger(__name__)


def send(dispatcher: CollectingDispatcher, replies: List[Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(**reply.as_message())


def selected_topic(message: Dict[Text, Any], kb: KnowledgeBase) -> Optional[str]:
    """The topic key chosen by a button entity, or by the selector and the terms."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == "topic" and entity.get("value"):
            return str(entity["value"])
    return choose_topic(message, kb).key


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        message = tracker.latest_message
        kb = services().knowledge
        key = selected_topic(message, kb)
        try:
            topic = kb.get(key)
        except UnknownTopic:
            logger.info("no confident topic for a message (chose %r)", key)
            dispatcher.utter_message(response="utter_default")
            return []
        text = message.get("text") or ""
        send(dispatcher, topic_answer(topic, "" if text.startswith("/") else text))
        return [SlotSet("topic", topic.key)]


class ActionTopicFollowup(Action):
    def name(self) -> Text:
        return "action_topic_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        kb = services().knowledge
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        topic = kb.topics.get(tracker.get_slot("topic") or "")
        general = kb.topics.get("hotline" if intent == "followup_hotline" else "after_fraud")
        send(dispatcher, followup(topic, intent, fallback=general))
        return []
