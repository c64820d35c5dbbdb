"""The normaliser folds the text of training examples and incoming messages alike."""
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.normaliser import TextNormaliser


def _normaliser(tmp_path) -> TextNormaliser:
    return TextNormaliser.create({}, LocalModelStorage(tmp_path), Resource("n"), ExecutionContext(GraphSchema({}), "t"))


def test_a_traditional_message_reaches_the_tokenizer_simplified(tmp_path):
    message = Message(data={TEXT: "公安局電話說我涉案！！！"})
    _normaliser(tmp_path).process([message])
    assert message.get(TEXT) == "公安局电话说我涉案!"


def test_training_examples_are_folded_the_same_way(tmp_path):
    data = TrainingData([Message(data={TEXT: "刷單返利是真的嗎？？", "intent": "faq"})])
    _normaliser(tmp_path).process_training_data(data)
    assert data.training_examples[0].get(TEXT) == "刷单返利是真的吗?"


def test_button_payloads_are_left_alone(tmp_path):
    message = Message(data={TEXT: "/quiz_start"})
    _normaliser(tmp_path).process([message])
    assert message.get(TEXT) == "/quiz_start"
