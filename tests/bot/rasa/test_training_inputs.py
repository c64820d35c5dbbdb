"""What Rasa trains the classifiers on: no answer text, so editing one retrains nothing.

Rasa fingerprints retrieval responses as part of the NLU training data
(RasaHQ/rasa#10751). The answers live in data/knowledge and are composed at run
time; domain.yml holds one placeholder per topic key. If an answer's text found
its way into the domain again, every wording fix would retrain the NLU pipeline.
"""
from __future__ import annotations

from rasa.shared.importers.importer import TrainingDataImporter

from bot.knowledge.topics import MESSAGE_FIELDS, KnowledgeBase
from bot.settings import PROJECT_ROOT


def _importer() -> TrainingDataImporter:
    return TrainingDataImporter.load_from_config(
        str(PROJECT_ROOT / "config.yml"), str(PROJECT_ROOT / "domain.yml"), [str(PROJECT_ROOT / "data")])


def test_no_answer_text_is_a_training_input():
    kb = KnowledgeBase.load()
    importer = _importer()
    responses = importer.get_domain().responses
    nlu = importer.get_nlu_data()
    trained_texts = " ".join(r.get("text") or "" for variants in responses.values() for r in variants)
    trained_texts += " ".join(m.get("text") or "" for m in nlu.training_examples)
    for topic in kb.topics.values():
        for part in MESSAGE_FIELDS:
            for message in topic.messages(part):
                assert message[:30] not in trained_texts, (topic.key, part)


def test_every_topic_has_its_retrieval_placeholder():
    kb = KnowledgeBase.load()
    responses = _importer().get_domain().responses
    assert {f"utter_faq/{key}" for key in kb.topics} <= set(responses)
