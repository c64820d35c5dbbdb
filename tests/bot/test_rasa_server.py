"""bot/rasa_server.py: Rasa's command line with its fixes: the action-reply validator built once, pooled action calls, direct TensorFlow calls."""
from __future__ import annotations

import asyncio
import math

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import rasa_server
from bot.launcher import MODEL_PATH, commands
from bot.settings import Settings

GOOD = {"events": [{"event": "slot", "name": "topic", "value": "safe_account"}],
        "responses": [{"text": "这是诈骗，别转账。"}]}


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    rasa_server.apply()
    return RemoteAction("action_answer_topic", None)


def test_a_valid_reply_passes(action):
    assert action._validate_action_result(GOOD) is True
    assert action._validate_action_result({"events": [], "responses": []}) is True


@pytest.mark.parametrize("bad", [
    {"events": "not a list", "responses": []},
    {"events": [{"event": "no-such-event"}], "responses": []},
    {"events": [], "responses": ["a bare string"]},
])
def test_a_bad_reply_is_refused_with_rasas_hint(action, bad):
    with pytest.raises(ValidationError) as caught:
        action._validate_action_result(bad)
    assert "Failed to validate Action server response" in caught.value.message


def test_the_validator_is_built_once(action, monkeypatch):
    import jsonschema

    def forbidden(*args, **kwargs):
        raise AssertionError("jsonschema.validate builds a new validator per call")

    monkeypatch.setattr(jsonschema, "validate", forbidden)
    for _ in range(3):
        assert action._validate_action_result(GOOD) is True


def test_apply_is_idempotent(action):
    patched = RemoteAction._validate_action_result
    rasa_server.apply()
    assert RemoteAction._validate_action_result is patched


def test_the_launcher_starts_rasa_through_it(tmp_path):
    cmd = commands(Settings(data_dir=tmp_path), "endpoints.yml", with_web=False)["rasa"]
    assert cmd[1:4] == ["-m", "bot.rasa_server", "run"]



async def test_hundreds_of_simultaneous_action_calls_share_a_bounded_pool(action, aiohttp_server):
    # 500 people tap an answer at one moment: Rasa must not open 500 connections to the
    # action server at once (its accept queue holds 100), and every call must get its reply.
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    now = peak = 0

    async def webhook(request: web.Request) -> web.Response:
        nonlocal now, peak
        now += 1
        peak = max(peak, now)
        await asyncio.sleep(0.01)
        now -= 1
        return web.json_response({"events": [], "responses": [{"text": (await request.json())["n"]}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    server = await aiohttp_server(app)
    endpoint = EndpointConfig(url=str(server.make_url("/webhook")))
    replies = await asyncio.gather(*(endpoint.request(json={"n": str(i)}, method="post") for i in range(300)))
    assert [r["responses"][0]["text"] for r in replies] == [str(i) for i in range(300)]
    assert 1 < peak <= Settings().action_connections


# A resident's words on several topics, a follow-up and small talk.
_TEXTS = ["你好", "刷单返利是什么", "有人打电话说我涉嫌洗钱，让我把钱转到安全账户", "我已经转钱了怎么办",
          "打哪个电话", "养老项目说保本高息，靠谱吗", "同学借我身份证办校园贷", "把银行卡借给别人用有事吗", "谢谢", "再见"]


def _parses_and_predictions(agent) -> list:
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    results = []
    for text in _TEXTS:
        parse = asyncio.run(agent.parse_message(text))
        tracker = DialogueStateTracker.from_events(
            "t", [ActionExecuted("action_listen"), UserUttered(text, parse["intent"], parse["entities"], parse)],
            slots=agent.domain.slots)
        prediction = agent.processor._predict_next_with_tracker(tracker)
        results.append((parse["intent_ranking"], parse.get("response_selector"),
                        prediction.policy_name, prediction.probabilities))
    return results


def _close(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-7)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    return a == b


def test_direct_tf_calls_understand_and_predict_exactly_as_rasa_does(monkeypatch):
    """The trained model gives the same intents, FAQ answers and next actions through both paths."""
    from rasa.core.agent import Agent
    from rasa.utils.tensorflow.models import RasaModel

    if not MODEL_PATH.exists():
        pytest.fail("no trained model: run `make test`, which trains first")
    rasa_server.apply()
    ours = RasaModel._rasa_predict
    agent = Agent.load(str(MODEL_PATH))
    monkeypatch.setattr(RasaModel, "_rasa_predict", rasa_server.RASA_PREDICT)
    rasas = _parses_and_predictions(agent)
    monkeypatch.setattr(RasaModel, "_rasa_predict", ours)
    direct = _parses_and_predictions(agent)

    assert [r[0][0]["name"] for r in rasas][:2] == ["greet", "faq"], "the model understands these at all"
    for text, expected, got in zip(_TEXTS, rasas, direct):
        assert _close(expected, got), text
    graphs = [name for name, node in _models(agent) if "_fraudbot_graph" in node.__dict__]
    assert {"DIETClassifier", "ResponseSelector", "TEDPolicy"} <= set(graphs), graphs


def _models(agent):
    """(component class name, its RasaModel) for every trained TensorFlow model in the graph."""
    from rasa.utils.tensorflow.models import RasaModel

    for node in agent.processor.graph_runner._instantiated_nodes.values():
        component = node._component
        model = getattr(component, "model", None)
        if isinstance(model, RasaModel):
            yield type(component).__name__, model
