"""The pinyin reader: syllables typed for characters reach the classifier as characters.

The lexicon is learnt here from a few training sentences, as in a real train, so
the tests show what a resident typing pinyin would notice: the question is read,
while English, ids and plates are left exactly as typed.
"""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.pinyin_reader import PinyinReader, build_lexicon, read_pinyin, training_words

TRAINING = ["被骗了打哪个电话", "警察打电话说我涉嫌洗钱", "贷款先交钱是不是骗子", "非法集资的钱能退吗",
            "刷单返利是真的吗", "我把卡借给朋友用了会不会有事", "淘宝客服说要退款", "放款前要先交保证金"]


@pytest.fixture(scope="module")
def lexicon():
    return build_lexicon(training_words(TRAINING))


@pytest.mark.parametrize("typed, read", [
    ("bei pian le da na ge dian hua", "被骗了打哪个电话"),
    ("jingcha打电话给我奶奶", "警察打电话给我奶奶"),
    ("daikuan xian jiao qian shi bu shi pianzi", "贷款先交钱是不是骗子"),
    ("fei fa ji zi de qian neng tui ma", "非法集资的钱能退吗"),
    ("shua dan fan li 是真的吗", "刷单返利 是真的吗"),
    ("KA JIE GEI PENGYOU YONG LE", "卡借给朋友用了"),
])
def test_pinyin_is_read_as_the_training_data_writes_it(lexicon, typed, read):
    assert read_pinyin(typed, lexicon) == read


@pytest.mark.parametrize("typed", [
    "can i give it?",  # "can" is a syllable, "i" is not: the whole run stays English
    "he said he will send my video",
    "加我 wx123",
    "车牌云A12345",  # one letter is one syllable: left alone
    "QQ号多少",
    "/faq{\"topic\": \"loan\"}",  # a button payload is never rewritten
    "886",
])
def test_what_is_not_pinyin_is_left_as_typed(lexicon, typed):
    assert read_pinyin(typed, lexicon) == typed


def test_a_typed_space_must_fall_between_syllables(lexicon):
    assert read_pinyin("pia nzi", lexicon) == "pia nzi"
    assert read_pinyin("pian zi", lexicon) == "骗子"


def test_a_trained_reader_is_stored_in_the_model_and_reads_the_same(tmp_path, lexicon):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("pinyin_reader")
    context = ExecutionContext(GraphSchema({}), "test")
    reader = PinyinReader.create({}, storage, resource, context)
    reader.train(TrainingData([Message({TEXT: t}) for t in TRAINING]))
    loaded = PinyinReader.load({}, storage, resource, context)
    message = Message({TEXT: "jingcha shuo wo she xian xi qian"})
    loaded.process([message])
    assert message.get(TEXT) == "警察说我涉嫌洗钱"


def test_an_untrained_reader_leaves_text_alone(tmp_path):
    context = ExecutionContext(GraphSchema({}), "test")
    reader = PinyinReader.load({}, LocalModelStorage(tmp_path), Resource("none"), context)
    message = Message({TEXT: "jingcha"})
    reader.process([message])
    assert message.get(TEXT) == "jingcha"
