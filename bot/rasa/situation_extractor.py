"""Rasa component: what the resident says happened, as entities.

Loaded by config.yml, after JiebaTokenizer:
``- name: bot.rasa.situation_extractor.SituationExtractor``.

It runs :func:`bot.situation.extract` (rules on a blank spaCy ``zh`` pipeline,
no weights) on each message and adds one entity per field that has a value:
``money_sent`` (yes / no / unclear), ``amount`` (yuan, int), ``channel``,
``when``, ``impersonated``, and one ``given_away`` entity per item.  The
knowledge actions read them and keep them as slots.  Nothing is trained or
stored; the spaCy pipeline is built once per process.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.situation import Situation, extract

EXTRACTOR = "SituationExtractor"
FIELDS = ("money_sent", "amount", "channel", "when", "impersonated")


def situation_entities(situation: Situation, text: str) -> List[Dict[Text, Any]]:
    """Rasa entity dicts for a situation; spans point at the words that gave each value."""
    def entity(name: str, value: Any, span: Optional[Tuple[int, int]]) -> Dict[Text, Any]:
        start, end = span if span and span[1] <= len(text) else (0, len(text))
        return {"entity": name, "value": value, "start": start, "end": end,
                "confidence_entity": 1.0, "extractor": EXTRACTOR}

    entities = [entity(name, getattr(situation, name), situation.evidence.get(name))
                for name in FIELDS if getattr(situation, name) is not None]
    entities += [entity("given_away", item, situation.evidence.get("given_away")) for item in situation.given_away]
    return entities


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class SituationExtractor(GraphComponent, EntityExtractorMixin):
    """Adds the situation entities to each message (rules; no training, nothing stored)."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SituationExtractor":
        extract("刚才转了")  # build the spaCy pipeline now, not on the first resident's message
        return cls()

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy", "jieba"]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue  # button payloads carry their own entities
            found = situation_entities(extract(text), text)
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
