"""bot/rasa/server.py: Rasa's command line with its fixes: the action-reply validator built once, pooled action calls, direct TensorFlow calls, TED only when needed."""
from __future__ import annotations

import asyncio
import math

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa import server as rasa_server
from bot.run.launcher import MODEL_PATH, commands
from bot.settings import PROJECT_ROOT, Settings

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
    assert cmd[1:4] == ["-m", "bot.rasa.server", "run"]



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


@pytest.fixture(scope="module")
def agent():
    """The trained model, loaded in this process with the fixes applied."""
    from rasa.core.agent import Agent

    if not MODEL_PATH.exists():
        pytest.fail("no trained model: run `make test`, which trains first")
    rasa_server.apply()
    return Agent.load(str(MODEL_PATH))


def test_direct_tf_calls_understand_and_predict_exactly_as_rasa_does(agent, monkeypatch):
    """The trained model gives the same intents, FAQ answers and next actions through both paths."""
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.utils.tensorflow.models import RasaModel

    monkeypatch.setattr(DaskGraphRunner, "_build_dask_graph", rasa_server.RASA_BUILD_GRAPH)  # TED on every turn
    ours = RasaModel._rasa_predict
    monkeypatch.setattr(RasaModel, "_rasa_predict", rasa_server.RASA_PREDICT)
    rasas = _parses_and_predictions(agent)
    monkeypatch.setattr(RasaModel, "_rasa_predict", ours)
    direct = _parses_and_predictions(agent)

    assert [r[0][0]["name"] for r in rasas][:2] == ["greet", "faq"], "the model understands these at all"
    for text, expected, got in zip(_TEXTS, rasas, direct):
        assert _close(expected, got), text
    graphs = [name for name, node in _models(agent) if "_fraudbot_graph" in node.__dict__]
    assert "TEDPolicy" in set(graphs), graphs


def _story_trackers(agent) -> list:
    """The events before every action of every test story."""
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.generator import TrainingDataGenerator
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.core.training_data.structures import StoryGraph

    steps = YAMLStoryReader(agent.domain).read_from_file(str(PROJECT_ROOT / "tests" / "stories" / "test_stories.yml"))
    stories = TrainingDataGenerator(StoryGraph(steps), agent.domain, remove_duplicates=False, augmentation_factor=0,
                                    unique_last_num_states=None, use_story_concatenation=False,
                                    tracker_limit=None).generate_story_trackers()
    return [list(story.events)[:i] for story in stories for i, event in enumerate(story.events)
            if i and isinstance(event, ActionExecuted)]


def _wandering_trackers(agent, conversations: int = 60, seed: int = 7) -> list:
    """Residents who jump between intents in orders no story or rule covers: there TED decides."""
    import random

    from rasa.shared.core.events import ActionExecuted, UserUttered

    rng, domain, prefixes = random.Random(seed), agent.domain, []
    for _ in range(conversations):
        events = [ActionExecuted("action_listen")]
        for _ in range(4):
            events.append(UserUttered("……", {"name": rng.choice(domain.intents), "confidence": 1.0}))
            for _ in range(4):  # the actions Rasa's own path predicts, until it listens
                prefixes.append(list(events))
                action, _ = _next_action(agent, events)
                if action != "action_listen" and rng.random() < 0.2:
                    # now and then an action no rule leads to (a follow-up event, an old model's choice):
                    # rules have nothing to say about what comes next, so TED decides
                    action = rng.choice([a for a in domain.action_names_or_texts if a.startswith(("utter_", "action_"))
                                         and a != "action_listen" and "/" not in a])
                events.append(ActionExecuted(action))
                if action == "action_listen":
                    break
    return prefixes


def _next_action(agent, events: list):
    """The action the assistant predicts after `events`, and the prediction itself."""
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events("t", events, slots=agent.domain.slots)
    prediction = agent.processor._predict_next_with_tracker(tracker)
    return agent.domain.action_names_or_texts[prediction.max_confidence_index], prediction


def _predictions(agent, prefixes: list) -> list:
    results = []
    for events in prefixes:
        action, prediction = _next_action(agent, events)
        results.append((action, prediction.policy_name, prediction.probabilities, prediction.is_end_to_end_prediction))
    return results


def test_ted_is_skipped_only_where_it_cannot_change_the_next_action(agent, monkeypatch):
    """Every step of the test stories and of wandering conversations: the same next action, policy and confidences."""
    from rasa.engine.runner.dask import DaskGraphRunner

    ours = DaskGraphRunner._build_dask_graph
    monkeypatch.setattr(DaskGraphRunner, "_build_dask_graph", rasa_server.RASA_BUILD_GRAPH)
    prefixes = _story_trackers(agent) + _wandering_trackers(agent)
    rasas = _predictions(agent, prefixes)
    monkeypatch.setattr(DaskGraphRunner, "_build_dask_graph", ours)
    rasa_server.TED_CALLS.clear()
    skipping = _predictions(agent, prefixes)

    assert len(rasas) > 400, "many predictions"
    winners = {policy for _, policy, _, _ in rasas}
    assert {"RulePolicy", "TEDPolicy"} <= winners, f"both rules and TED decide somewhere: {winners}"
    for events, expected, got in zip(prefixes, rasas, skipping):
        assert _close(expected, got), [str(e) for e in events[-3:]]
    calls = rasa_server.TED_CALLS
    assert calls["skipped"] + calls["run"] == len(rasas)
    assert calls["run"] >= sum(policy == "TEDPolicy" for _, policy, _, _ in rasas)  # TED ran wherever it won
    assert calls["skipped"] > len(rasas) / 2, calls  # and was skipped where a rule was sure


def test_ted_runs_after_a_rejected_action(agent):
    """A form that rejects its action makes the ensemble zero it in every prediction: then TED must run."""
    from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [ActionExecuted("action_listen"), UserUttered("你好", {"name": "greet", "confidence": 1.0}),
              ActionExecutionRejected("utter_greet")]
    tracker = DialogueStateTracker.from_events("t", events, slots=agent.domain.slots)
    rasa_server.TED_CALLS.clear()
    prediction = agent.processor._predict_next_with_tracker(tracker)
    assert rasa_server.TED_CALLS == {"run": 1}
    assert agent.domain.action_names_or_texts[prediction.max_confidence_index] != "utter_greet"


def _models(agent):
    """(component class name, its RasaModel) for every trained TensorFlow model in the graph."""
    from rasa.utils.tensorflow.models import RasaModel

    for node in agent.processor.graph_runner._instantiated_nodes.values():
        component = node._component
        model = getattr(component, "model", None)
        if isinstance(model, RasaModel):
            yield type(component).__name__, model


@pytest.mark.parametrize("switches, direct, ted_skip", [
    ({"DIRECT_TF_CALLS": "0"}, False, True),
    ({"TED_ONLY_WHEN_NEEDED": "0"}, True, False),
    ({"DIRECT_TF_CALLS": "1", "TED_ONLY_WHEN_NEEDED": "1"}, True, True),
])
def test_each_speed_up_can_be_switched_off_alone(switches, direct, ted_skip):
    """DIRECT_TF_CALLS=0 / TED_ONLY_WHEN_NEEDED=0 (A/B runs, another TensorFlow, a custom ensemble)
    leave that part of Rasa as it is, and only that part."""
    import os
    import subprocess
    import sys

    probe = ("from bot.rasa import server; server.apply(); "
             "from rasa.utils.tensorflow.models import RasaModel; "
             "from rasa.engine.runner.dask import DaskGraphRunner; "
             "print(RasaModel._rasa_predict.__module__, DaskGraphRunner._build_dask_graph.__module__)")
    env = {**os.environ, **switches}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    predict, build = done.stdout.strip().splitlines()[-1].split()
    assert (predict == "bot.rasa.server") is direct, predict
    assert (build == "bot.rasa.server") is ted_skip, build
