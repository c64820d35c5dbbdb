"""The topic classifier: one linear model for intents and knowledge topics.

Trained here on a handful of examples with character n-gram features built the
way CountVectorsFeaturizer builds them (a sentence row of counts), so the tests
show what a resident would notice: a new phrasing of a scam gets its topic, small
talk gets its intent, the confidence is a probability the fallback can trust, and
a stored model answers exactly as the trained one did.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer

from bot.rasa.topic_classifier import TopicClassifier

EXAMPLES = {
    "faq/police": ["自称公安局的说我涉嫌洗钱", "警察打电话让我把钱转到安全账户", "检察院说要冻结我的资产",
                   "法院电话说我有传票没签收", "公安说我银行卡涉案要配合调查"],
    "faq/shuadan": ["刷单返利是真的吗", "做任务点赞就给佣金", "群里让我垫付刷单", "兼职刷信誉日赚三百",
                    "做任务前几单返钱后来卡单"],
    "faq/loan": ["贷款放款前要交手续费", "网贷说我卡号填错要交解冻费", "借款还没到账先交保证金",
                 "贷款软件说额度冻结要刷流水", "下款前让我先交会员费"],
    "greet": ["你好", "您好啊", "早上好", "在吗", "哈喽"],
    "thank": ["谢谢", "多谢你", "谢谢啦", "太感谢了", "感谢感谢"],
}


@pytest.fixture(scope="module")
def vectorizer():
    texts = [t for ts in EXAMPLES.values() for t in ts]
    return CountVectorizer(analyzer="char", ngram_range=(1, 3)).fit(texts)


def message(vectorizer, text: str, label: str = "") -> Message:
    data = {TEXT: text}
    if label.startswith("faq/"):
        data.update({INTENT: "faq", INTENT_RESPONSE_KEY: label})
    elif label:
        data[INTENT] = label
    msg = Message(data=data)
    counts = scipy.sparse.coo_matrix(vectorizer.transform([text]))
    msg.add_features(Features(counts, FEATURE_TYPE_SENTENCE, TEXT, "CountVectorsFeaturizer"))
    return msg


@pytest.fixture()
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


@pytest.fixture()
def trained(vectorizer, storage):
    resource = Resource("topic_classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = TopicClassifier.create(TopicClassifier.get_default_config(), storage, resource, context)
    data = TrainingData([message(vectorizer, t, label) for label, ts in EXAMPLES.items() for t in ts])
    classifier.train(data)
    return classifier, resource, context


def parse(classifier, vectorizer, text: str) -> dict:
    msg = message(vectorizer, text)
    classifier.process([msg])
    return msg.as_dict()


def test_a_new_phrasing_of_a_scam_gets_its_topic(trained, vectorizer):
    classifier, _, _ = trained
    result = parse(classifier, vectorizer, "有个警察说我涉嫌洗钱")
    assert result["intent"]["name"] == "faq"
    assert result["response_selector"]["faq"]["response"]["intent_response_key"] == "faq/police"
    assert result["response_selector"]["faq"]["response"]["utter_action"] == "utter_faq/police"
    result = parse(classifier, vectorizer, "做任务垫付了钱返不回来")
    assert result["response_selector"]["faq"]["ranking"][0]["intent_response_key"] == "faq/shuadan"


def test_small_talk_gets_its_intent_and_no_topic_wins(trained, vectorizer):
    classifier, _, _ = trained
    assert parse(classifier, vectorizer, "你好呀")["intent"]["name"] == "greet"
    assert parse(classifier, vectorizer, "谢谢你啦")["intent"]["name"] == "thank"


def test_confidences_are_probabilities_and_faq_is_the_sum_of_its_topics(trained, vectorizer):
    classifier, _, _ = trained
    result = parse(classifier, vectorizer, "贷款要先交钱吗")
    intents = {item["name"]: item["confidence"] for item in result["intent_ranking"]}
    topics = [item["confidence"] for item in result["response_selector"]["faq"]["ranking"]]
    assert sum(intents.values()) == pytest.approx(1.0, abs=1e-6)
    assert intents["faq"] == pytest.approx(sum(topics), abs=1e-6)
    assert result["intent"]["confidence"] == max(intents.values())
    assert classifier.temperature > 0


def test_the_stored_model_answers_as_the_trained_one(trained, vectorizer, storage):
    classifier, resource, context = trained
    loaded = TopicClassifier.load(TopicClassifier.get_default_config(), storage, resource, context)
    texts = ["公安局打电话说我有案子", "早上好", "网贷要交解冻费"]
    assert loaded.labels == classifier.labels
    before = classifier.probabilities([message(vectorizer, t) for t in texts])
    after = loaded.probabilities([message(vectorizer, t) for t in texts])
    np.testing.assert_allclose(before, after, rtol=1e-5)


def test_an_untrained_classifier_leaves_messages_alone(vectorizer, storage):
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = TopicClassifier.load(TopicClassifier.get_default_config(), storage, Resource("empty"), context)
    msg = message(vectorizer, "你好")
    classifier.process([msg])
    assert msg.get(INTENT) is None


def test_a_message_with_no_tokens_is_read_as_not_sure_not_a_crash(trained, vectorizer):
    """A trained model reads a message the tokenizer kept nothing of as a row of zeros: it
    gets an intent with a low confidence (the fallback's job), not an exception."""
    classifier, _, _ = trained
    empty, known = Message(data={TEXT: "🍉"}), message(vectorizer, "刷单返利是骗局吗")
    classifier.process([empty, known])
    assert empty.get(INTENT)["confidence"] < known.get(INTENT)["confidence"]


def test_training_without_sparse_features_is_a_clear_error(vectorizer, storage):
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = TopicClassifier.create(TopicClassifier.get_default_config(), storage, Resource("bare"), context)
    with pytest.raises(ValueError, match="sparse featurizer"):
        classifier.train(TrainingData([Message(data={TEXT: "你好", INTENT: "greet"})]))
