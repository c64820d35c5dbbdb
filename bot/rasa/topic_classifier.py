"""One linear classifier for every intent and every knowledge topic.

Loaded by config.yml, ``pipeline: - name: bot.rasa.topic_classifier.TopicClassifier``.

It replaces DIET (intents) plus a ResponseSelector (the 21-way ``faq/<topic>``
choice): both were neural models trained for minutes on 2 cores over the same
bag of word and character n-grams, where a linear SVM learns the same decision
in about a second and scored higher on the held-out sets (README, "How well it
understands"). Its margins become probabilities through one softmax temperature
fitted on examples held out by k-fold, so the FallbackClassifier threshold and
the topic choice keep meaning "how sure".

Labels are the full retrieval keys (``faq/police``, ``faq/shuadan``) next to the
plain intents (``greet``, ``quiz_start``), so one softmax ranks them all. The
output keeps Rasa's shapes, so nothing downstream changes:

- ``intent``: the top plain intent; every ``faq/*`` label counts as ``faq`` and
  its confidence is the sum over the topics (the message is about *some* topic);
- ``intent_ranking``: plain intents ranked the same way;
- ``response_selector.faq``: the topics ranked by their own probability, in the
  ResponseSelector's format, read by :func:`bot.knowledge.topic_choice.choose_topic`.

No answer text is a training input: the answer action looks the topic's text up
in ``data/knowledge`` by key, so editing an answer needs no retraining.

Features are the sentence-level sparse features of the featurizers before it
(counts), re-weighted by a sublinear tf-idf fitted on the training data and
L2-normalised, so a long voice-input message is not more confident than a short
one only because it is long. The model is stored as plain arrays (no pickle).
"""
from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional, Text

import numpy as np
import scipy.sparse

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.code_fingerprint import source_hash

logger = logging.getLogger(__name__)

RETRIEVAL_INTENT = "faq"
ARRAYS = "arrays.npz"
LABELS = "labels.json"
DEFAULT_SHARPNESS = 10.0  # margins x10 when there are too few examples to fit the temperature


def label_of(message: Message) -> Optional[str]:
    """``faq/<topic>`` for knowledge examples, the intent for the rest."""
    key = message.get(INTENT_RESPONSE_KEY)
    return key or message.get(INTENT)


def softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TopicClassifier(IntentClassifier, GraphComponent):
    """Intents and knowledge topics from one linear SVM with calibrated softmax scores."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        """Retrain when the code changes, not only the config (bot/rasa/code_fingerprint.py)."""
        return source_hash(__name__)

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Inverse regularisation strength; measured on the held-out sets
            # (see README "How well it understands").
            "C": 1.0,
            "class_weight": "balanced",
            # Folds for fitting the softmax temperature on unseen examples.
            "calibration_folds": 3,
            "ranking_length": 10,
            "random_seed": 42,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 labels: Optional[List[str]] = None, coef: Optional[np.ndarray] = None,
                 intercept: Optional[np.ndarray] = None, idf: Optional[np.ndarray] = None,
                 temperature: float = 1.0) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.labels = labels or []
        self.coef = coef
        self.intercept = intercept
        self.idf = idf
        self.temperature = temperature

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TopicClassifier":
        return cls(config, model_storage, resource)

    # --- features -----------------------------------------------------------

    def _raw_features(self, messages: List[Message]) -> scipy.sparse.csr_matrix:
        """One row of counts per message.  A message with no tokens at all (nothing the
        tokenizer keeps) gets a row of zeros once the model knows its width, so it is read
        as "not sure" and falls back politely instead of failing the whole turn."""
        rows = []
        for message in messages:
            _, sentence = message.get_sparse_features(TEXT)
            if sentence is None and self.idf is not None:
                rows.append(scipy.sparse.csr_matrix((1, len(self.idf))))
                continue
            if sentence is None:
                raise ValueError("TopicClassifier needs a sparse featurizer (CountVectorsFeaturizer) before it")
            rows.append(scipy.sparse.csr_matrix(sentence.features))
        return scipy.sparse.vstack(rows).tocsr()

    def _weighted(self, counts: scipy.sparse.csr_matrix) -> scipy.sparse.csr_matrix:
        weighted = counts.astype(np.float64)
        weighted.data = 1.0 + np.log(np.maximum(weighted.data, 1e-12))  # sublinear tf
        weighted = weighted.multiply(self.idf).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return scipy.sparse.diags(1.0 / norms) @ weighted

    # --- training -----------------------------------------------------------

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and label_of(m)]
        if not examples:
            logger.debug("TopicClassifier: no intent examples, nothing to train")
            return self._resource
        counts = self._raw_features(examples)
        targets = np.array([label_of(m) for m in examples])
        document_frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
        self.idf = np.log((1.0 + counts.shape[0]) / (1.0 + document_frequency)) + 1.0
        features = self._weighted(counts)
        model = self._svm().fit(features, targets)
        self.labels = [str(label) for label in model.classes_]
        self.coef = model.coef_.astype(np.float32)
        self.intercept = model.intercept_.astype(np.float32)
        self.temperature = self._fit_temperature(features, targets)
        self.persist()
        return self._resource

    def _svm(self):
        from sklearn.svm import LinearSVC

        return LinearSVC(C=self.config["C"], class_weight=self.config["class_weight"],
                         random_state=self.config["random_seed"])

    def _fit_temperature(self, features: scipy.sparse.csr_matrix, targets: np.ndarray) -> float:
        """The softmax temperature that makes the margins honest probabilities.

        A linear SVM gives margins, not probabilities, and the fallback threshold and
        topic choice need probabilities.  The temperature is fitted on margins the
        model gives to examples it did not see (k-fold), minimising their negative
        log-likelihood: one number, no change to which label wins.
        """
        from scipy.optimize import minimize_scalar
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        smallest = int(np.unique(targets, return_counts=True)[1].min())
        folds = min(self.config["calibration_folds"], smallest)
        if folds < 2:
            return 1.0 / DEFAULT_SHARPNESS
        cv = StratifiedKFold(folds, shuffle=True, random_state=self.config["random_seed"])
        margins = cross_val_predict(self._svm(), features, targets, cv=cv, method="decision_function")
        truth = np.searchsorted(np.array(self.labels), targets)

        def loss(log_t: float) -> float:
            scaled = margins / np.exp(log_t)
            scaled = scaled - scaled.max(axis=1, keepdims=True)
            log_probs = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
            return float(-log_probs[np.arange(len(truth)), truth].mean())

        best = minimize_scalar(loss, bounds=(-6.0, 2.0), method="bounded")
        logger.info("TopicClassifier: softmax temperature %.3f (held-out NLL %.3f)", np.exp(best.x), best.fun)
        return float(np.exp(best.x))

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            np.savez_compressed(directory / ARRAYS, coef=self.coef, intercept=self.intercept, idf=self.idf,
                                temperature=np.array(self.temperature))
            (directory / LABELS).write_text(json.dumps(self.labels, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "TopicClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                arrays = np.load(directory / ARRAYS)
                labels = json.loads((directory / LABELS).read_text(encoding="utf-8"))
                return cls(config, model_storage, resource, labels,
                           arrays["coef"], arrays["intercept"], arrays["idf"], float(arrays["temperature"]))
        except (ValueError, FileNotFoundError):
            logger.debug("TopicClassifier: no trained model in storage, starting untrained")
            return cls(config, model_storage, resource)

    # --- prediction ---------------------------------------------------------

    def probabilities(self, messages: List[Message]) -> np.ndarray:
        features = self._weighted(self._raw_features(messages))
        margins = np.asarray(features @ self.coef.T) + self.intercept
        return softmax(margins / self.temperature)

    def process(self, messages: List[Message]) -> List[Message]:
        if not messages or self.coef is None:
            return messages
        for message, probs in zip(messages, self.probabilities(messages)):
            self._set_prediction(message, probs)
        return messages

    def _set_prediction(self, message: Message, probs: np.ndarray) -> None:
        intents: Dict[str, float] = {}
        topics = []
        for label, p in zip(self.labels, probs.tolist()):
            if label.startswith(RETRIEVAL_INTENT + "/"):
                intents[RETRIEVAL_INTENT] = intents.get(RETRIEVAL_INTENT, 0.0) + p
                topics.append({"id": label, "confidence": p, INTENT_RESPONSE_KEY: label})
            else:
                intents[label] = p
        ranking = sorted(({"name": k, "confidence": v} for k, v in intents.items()),
                         key=lambda item: -item["confidence"])[: self.config["ranking_length"]]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set("intent_ranking", ranking, add_to_output=True)
        if not topics:
            return
        topics.sort(key=lambda item: -item["confidence"])
        topics = topics[: self.config["ranking_length"]]
        top = topics[0]
        message.set("response_selector", {
            "all_retrieval_intents": [RETRIEVAL_INTENT],
            RETRIEVAL_INTENT: {
                "response": {
                    "responses": None,
                    "confidence": top["confidence"],
                    INTENT_RESPONSE_KEY: top[INTENT_RESPONSE_KEY],
                    "utter_action": "utter_" + top[INTENT_RESPONSE_KEY],
                },
                "ranking": topics,
            },
        }, add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
