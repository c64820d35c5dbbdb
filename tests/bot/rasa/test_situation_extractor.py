"""The situation extractor puts what the resident said happened on the message as entities."""
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.situation_extractor import EXTRACTOR, SituationExtractor


@pytest.fixture(scope="module")
def extractor(tmp_path_factory) -> SituationExtractor:
    return SituationExtractor.create({}, LocalModelStorage(tmp_path_factory.mktemp("s")), Resource("s"),
                                     ExecutionContext(GraphSchema({}), "t"))


def _entities(extractor, text, existing=()):
    message = Message(data={TEXT: text, ENTITIES: list(existing)})
    extractor.process([message])
    return message.get(ENTITIES)


def _values(entities):
    return {(e["entity"], e["value"]) for e in entities}


def test_a_loss_story_becomes_one_entity_per_field(extractor):
    text = "我刚才用手机银行转了3万给一个自称公安的人，还把验证码告诉他了"
    entities = _entities(extractor, text)
    assert _values(entities) == {("money_sent", "yes"), ("amount", 30000), ("channel", "bank"),
                                 ("when", "just_now"), ("impersonated", "police"),
                                 ("given_away", "verification_code")}
    assert all(e["extractor"] == EXTRACTOR for e in entities)


def test_entity_spans_point_at_the_words(extractor):
    text = "昨天用微信转了八千"
    by_name = {e["entity"]: e for e in _entities(extractor, text)}
    assert text[by_name["channel"]["start"]:by_name["channel"]["end"]] == "微信"
    assert text[by_name["amount"]["start"]:by_name["amount"]["end"]] == "八千"
    assert text[by_name["when"]["start"]:by_name["when"]["end"]] == "昨天"


def test_each_item_given_away_is_its_own_entity(extractor):
    entities = _entities(extractor, "我把密码和验证码都告诉他了")
    assert sorted(e["value"] for e in entities if e["entity"] == "given_away") == ["password", "verification_code"]


def test_not_yet_paid_is_said_as_no(extractor):
    values = _values(_entities(extractor, "他让我转两万，我还没转"))
    assert ("money_sent", "no") in values and ("amount", 20000) in values


def test_a_question_carries_no_situation_but_unclear(extractor):
    assert _values(_entities(extractor, "这是不是诈骗")) == {("money_sent", "unclear")}


def test_entities_from_earlier_extractors_are_kept(extractor):
    join = {"entity": "join_code", "value": "123456", "start": 4, "end": 10, "extractor": "RegexEntityExtractor"}
    entities = _entities(extractor, "参加活动 123456", [join])
    assert join in entities


def test_button_payloads_are_left_alone(extractor):
    assert _entities(extractor, "/followup_transferred") == []


def test_training_data_passes_through(extractor):
    data = TrainingData([Message(data={TEXT: "我转了三千", "intent": "faq"})])
    assert extractor.process_training_data(data) is data
    assert not data.training_examples[0].get(ENTITIES)
