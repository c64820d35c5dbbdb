"""Knowledge answers and their follow-ups."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import services
from bot.answers import MIN_SELECTOR_CONFIDENCE, Reply, followup, topic_answer
from bot.errors import UnknownTopic

logger = logging.getLogger(__name__)


def send(dispatcher: CollectingDispatcher, replies: List[Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(**reply.as_message())


def selected_topic(message: Dict[Text, Any]) -> Optional[str]:
    """The topic key chosen by a button entity or by the response selector."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == "topic" and entity.get("value"):
            return str(entity["value"])
    selector = (message.get("response_selector") or {}).get("faq") or {}
    response = selector.get("response") or {}
    key = response.get("intent_response_key") or ""
    if not key.startswith("faq/"):
        return None
    if (response.get("confidence") or 0.0) < MIN_SELECTOR_CONFIDENCE:
        return None
    return key.split("/", 1)[1]


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        message = tracker.latest_message
        key = selected_topic(message)
        try:
            topic = services().knowledge.get(key)
        except UnknownTopic:
            logger.info("no confident topic for message (selector key %r)", key)
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
