"""Rasa component: fold traditional characters, full-width forms, emoji and runs of
punctuation before the tokenizer sees the text.

Loaded by config.yml, first in the pipeline:
``- name: bot.rasa.normaliser.TextNormaliser``.

It rewrites the ``text`` of every training example and every incoming message
with :func:`bot.normalise.normalise`, so training and prediction see one form.
The resident's own words stay untouched in the tracker and in the transcript;
only the NLU pipeline reads the folded text.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.normalise import normalise
from bot.rasa.code_fingerprint import source_hash


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TextNormaliser(GraphComponent):
    """Rewrites message text into its folded form (no training, nothing stored)."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TextNormaliser":
        return cls()

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        """Retrain when the code changes, not only the config (bot/rasa/code_fingerprint.py)."""
        return source_hash("bot.normalise", __name__)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["opencc"]

    @staticmethod
    def _fold(message: Message) -> None:
        text = message.get(TEXT)
        if text and not text.startswith("/"):  # button payloads stay as they are
            message.set(TEXT, normalise(text))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._fold(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._fold(message)
        return messages
