"""``python -m bot.rasa.server run ...``: Rasa's own command line, with fixes for Rasa 3.6.21.

The launcher and the cluster start Rasa through this module instead of the
``rasa`` script.  Each fix is small, keeps Rasa's behaviour and has a test
(tests/bot/rasa/test_server.py); the reasons and figures are in the README.

* ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` for every
  action-server reply, which builds and checks a validator for Rasa's large
  event schema every time: about 14 ms of CPU per custom action here, while a
  validator built once validates the same reply in well under a millisecond.
  The patched method validates against the same schema, raises the same
  ``ValidationError`` with the same hint.
* ``EndpointConfig.session`` makes a new client session, and so a new
  connection, for every call to the action server, with no limit on how many
  are open at once.  When 500 people at an event tap an answer at the same
  moment, hundreds of connections arrive together, overflow the action
  server's accept queue (Sanic's backlog is 100) and turns fail with the
  "busy" apology.  The patched sessions share one connection pool per event
  loop, which opens at most ``ACTION_CONNECTIONS`` connections at a time
  (default 32); further calls wait their turn in order.  Connections are not
  kept alive: a kept connection that the action server has just closed fails
  the call ("Cannot write to closing transport", seen under load).
* ``RasaModel._rasa_predict`` (DIET, the response selector, TED) calls a
  ``tf.function`` with Rasa's batch of several dozen arrays.  TensorFlow then
  matches that nested input against the function's signature on every call,
  in Python: about a third of each NLU parse here.  The signature is fixed
  (Rasa builds it from the first batch), so the patched method converts the
  arrays to tensors of the signature's types and calls the same traced graph
  directly.  Same graph, same outputs (tested against Rasa's own path).
  ``DIRECT_TF_CALLS=0`` leaves Rasa's method in place (A/B runs, or another
  TensorFlow than the 2.12 Rasa 3.6 pins: the call uses a private method).
* Rasa runs every policy for every prediction, then keeps the best.  When the
  RulePolicy or the MemoizationPolicy is sure (confidence 1.0, or a "no user"
  prediction of an active form), TED cannot win: the ensemble takes the higher
  confidence and, at equal confidence, the higher priority, and TED's is the
  lowest.  The patched graph then skips TED's featurisation and model call and
  hands the ensemble an empty TED prediction.  It still runs TED when the last
  action was rejected (the ensemble then zeroes that action in every prediction)
  and never skips a TED that was trained on end-to-end text (its predictions
  would outrank the rules).  ``TED_ONLY_WHEN_NEEDED=0`` turns it off.

Security (docs/security.md):

* ``main`` refuses a development or short ``RASA_TOKEN`` unless Rasa listens on
  loopback in the embedded profile, and adds ``--auth-token`` (from the
  environment, so ``ps`` never shows it) and ``--interface`` (``RASA_HOST``).
* The pooled sessions send ``ACTION_TOKEN`` to the action endpoint only.
* Every ``UserMessage`` Rasa builds, and every user event posted to its HTTP API,
  is redacted (bot/privacy/redaction.py) before Rasa can store or log it.
"""
from __future__ import annotations

import asyncio
import json
import re
import sys
from collections import Counter
from typing import Any, Dict, List, Optional

_PATCHED = "_fraudbot_patched"
ACTION_TOKEN_HEADER = "X-Action-Token"  # checked by bot/rasa/action_server.py
RASA_PREDICT: Any = None  # Rasa's own RasaModel._rasa_predict, once apply() has replaced it
RASA_BUILD_GRAPH: Any = None  # Rasa's own DaskGraphRunner._build_dask_graph, once apply() has replaced it
TED_CALLS: Counter = Counter()  # "run" / "skipped": how often TED was needed (tests, profiling)


def _cached_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


class SharedPool:
    """One ``aiohttp.TCPConnector`` per event loop, limited to `limit` connections at once."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._connector: Optional[Any] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def connector(self) -> Any:
        import aiohttp

        loop = asyncio.get_running_loop()
        if self._connector is None or self._loop is not loop or self._connector.closed:
            self._connector = aiohttp.TCPConnector(limit=self.limit, force_close=True)
            self._loop = loop
        return self._connector


def _pooled_sessions(limit: int, action_url: str = "", action_token: str = "") -> None:
    import aiohttp
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
    from rasa.utils.endpoints import EndpointConfig

    pool = SharedPool(limit)

    def session(self: EndpointConfig) -> aiohttp.ClientSession:
        # Rasa's session (same headers, auth and timeout) on the shared pool, which it must not close.
        auth = None
        if self.basic_auth:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        headers = dict(self.headers or {})
        if action_token and (self.url or "").rstrip("/") == action_url.rstrip("/"):
            headers[ACTION_TOKEN_HEADER] = action_token  # only the action server gets it
        return aiohttp.ClientSession(headers=headers, auth=auth,
                                     timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                     connector=pool.connector(), connector_owner=False)

    EndpointConfig.session = session


def _direct_tf_calls() -> None:
    import tensorflow as tf
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA
    from rasa.utils.tensorflow.models import RasaModel

    global RASA_PREDICT
    rasa_predict = RASA_PREDICT = RasaModel._rasa_predict

    def _rasa_predict(self: RasaModel, batch_in: Any) -> Dict[str, Any]:
        function = self._tf_predict_step
        if self._run_eagerly or function is None or not self.prepared_for_prediction:
            return rasa_predict(self, batch_in)  # the first call builds and traces the function
        cached = self.__dict__.get("_fraudbot_graph")
        if cached is None or cached[0] is not function:
            graph = function.get_concrete_function()
            dtypes = [spec.dtype for spec in graph.structured_input_signature[0][0]]
            cached = self.__dict__["_fraudbot_graph"] = (function, graph, dtypes)
        _, graph, dtypes = cached
        if len(batch_in) != len(dtypes):
            return rasa_predict(self, batch_in)
        tensors = [tf.convert_to_tensor(array, dtype=dtype) for array, dtype in zip(batch_in, dtypes)]
        outputs = tf_utils.sync_to_numpy_or_python_type(graph._call_flat(tensors, graph.captured_inputs))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs

    RasaModel._rasa_predict = _rasa_predict


class TEDWhenUndecided:
    """A prediction graph's TED node, run only when no rule or remembered story has decided.

    Dask hands it the deciders' outputs (``(node name, PolicyPrediction)``) first,
    then TED's own inputs.
    """

    def __init__(self, node: Any, deciders: int) -> None:
        self.node = node
        self.deciders = deciders

    def __call__(self, *args: Any) -> Any:
        from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
        from rasa.shared.core.trackers import DialogueStateTracker

        decided = [arg[1] for arg in args[:self.deciders] if isinstance(arg, tuple)]
        inputs = args[self.deciders:]
        sure = [p for p in decided if p.is_no_user_prediction or p.max_confidence >= 1.0]
        tracker = next((arg[1] for arg in inputs
                        if isinstance(arg, tuple) and isinstance(arg[1], DialogueStateTracker)), None)
        rejected = tracker is not None and isinstance(
            next((e for e in reversed(tracker.events) if isinstance(e, (ActionExecuted, ActionExecutionRejected))),
                 None), ActionExecutionRejected)
        if not sure or tracker is None or rejected:
            TED_CALLS["run"] += 1
            return self.node(*inputs)
        from rasa.core.policies.policy import PolicyPrediction

        TED_CALLS["skipped"] += 1
        policy = self.node._component
        return self.node._node_name, PolicyPrediction([0.0] * len(sure[0].probabilities),
                                                      type(policy).__name__, policy.priority)


def _never_end_to_end(node: Any) -> bool:
    from rasa.shared.nlu.constants import TEXT

    policy = getattr(node, "_component", None)
    return policy is not None and TEXT not in getattr(policy, "fake_features", {TEXT: None})


def _ted_only_when_needed() -> None:
    from rasa.core.policies.memoization import MemoizationPolicy
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.engine.runner.dask import DaskGraphRunner

    global RASA_BUILD_GRAPH
    build = RASA_BUILD_GRAPH = DaskGraphRunner._build_dask_graph

    def _build_dask_graph(self: DaskGraphRunner, schema: Any) -> Dict[str, Any]:
        graph = build(self, schema)
        predicting = {name: node for name, node in schema.nodes.items()
                      if node.fn == "predict_action_probabilities" and isinstance(node.uses, type)}
        # RulePolicy is a MemoizationPolicy: both answer 1.0 only for what they know for sure.
        deciders: List[str] = [name for name, node in predicting.items() if issubclass(node.uses, MemoizationPolicy)]
        for name, node in predicting.items():
            if deciders and issubclass(node.uses, TEDPolicy) and _never_end_to_end(self._instantiated_nodes[name]):
                task = graph[name]
                graph[name] = (TEDWhenUndecided(task[0], len(deciders)), *deciders, *task[1:])
        return graph

    DaskGraphRunner._build_dask_graph = _build_dask_graph


_TRACKER_EVENTS = re.compile(r"^/conversations/[^/]+/tracker/events/?$")


def _redact_event(event: Any) -> Any:
    from bot.privacy.redaction import redact_text

    if isinstance(event, dict) and event.get("event") == "user" and isinstance(event.get("text"), str):
        event = {**event, "text": redact_text(event["text"])}
        if isinstance(event.get("parse_data"), dict) and isinstance(event["parse_data"].get("text"), str):
            event["parse_data"] = {**event["parse_data"], "text": event["text"]}
    return event


async def _redact_tracker_events(request: Any) -> None:
    """Sanic request middleware: user events posted to Rasa's HTTP API are redacted before Rasa reads them."""
    if request.method not in ("POST", "PUT") or not _TRACKER_EVENTS.match(request.path) or not request.body:
        return
    try:
        body = json.loads(request.body)
    except ValueError:
        return  # Rasa answers 400 itself
    body = [_redact_event(e) for e in body] if isinstance(body, list) else _redact_event(body)
    request.body = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request.parsed_json = None


def redact_http_api_once() -> None:
    """:func:`redact_http_api`, installed at most once per process (tests call it freely)."""
    from rasa.core.channels.channel import UserMessage

    if not getattr(UserMessage, _PATCHED, False):
        redact_http_api()
        setattr(UserMessage, _PATCHED, True)


def redact_http_api() -> None:
    """Every user text Rasa builds a message from, and every user event posted to its API, is redacted.

    The guarded channels redact too; this covers Rasa's HTTP API
    (``/conversations/<id>/messages``, ``/model/parse``, ``/tracker/events``),
    whose texts would otherwise be stored and logged as sent.
    """
    from rasa import server
    from rasa.core.channels.channel import UserMessage

    from bot.privacy.redaction import redact_text

    init = UserMessage.__init__

    def __init__(self: UserMessage, text: Optional[str] = None, *args: Any, **kwargs: Any) -> None:
        init(self, redact_text(text) if isinstance(text, str) else text, *args, **kwargs)

    UserMessage.__init__ = __init__
    create_app = server.create_app

    def create_redacting_app(*args: Any, **kwargs: Any) -> Any:
        app = create_app(*args, **kwargs)
        app.register_middleware(_redact_tracker_events, "request")
        return app

    server.create_app = create_redacting_app


def apply(action_connections: Optional[int] = None, direct_tf_calls: Optional[bool] = None,
          ted_only_when_needed: Optional[bool] = None) -> None:
    """Install the fixes (idempotent); unset arguments come from the settings."""
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction, _PATCHED, False):
        return
    from bot.settings import Settings

    settings = Settings.from_env()
    if action_connections is None or direct_tf_calls is None or ted_only_when_needed is None:
        action_connections = settings.action_connections if action_connections is None else action_connections
        direct_tf_calls = settings.direct_tf_calls if direct_tf_calls is None else direct_tf_calls
        if ted_only_when_needed is None:
            ted_only_when_needed = settings.ted_only_when_needed
    # 0 would mean "no limit" to aiohttp
    _pooled_sessions(max(1, action_connections), settings.action_endpoint_url, settings.action_token)
    redact_http_api_once()
    if direct_tf_calls:
        _direct_tf_calls()
    if ted_only_when_needed:
        _ted_only_when_needed()
    validator = _cached_validator()

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))  # the error jsonschema.validate raises
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result
    setattr(RemoteAction, _PATCHED, True)


def server_argv(argv: List[str], settings: Any) -> List[str]:
    """Rasa's arguments plus the token and interface from the settings.

    The token is read from the environment and added here, in the process, so
    it never shows in ``ps`` (the command line other users can read).
    """
    argv = list(argv)
    if len(argv) > 1 and argv[1] == "run":
        if "--auth-token" not in argv and "-t" not in argv:
            argv += ["--auth-token", settings.rasa_token]
        if "--interface" not in argv and "-i" not in argv:
            argv += ["--interface", settings.rasa_host]
    return argv


def main() -> None:
    from bot.settings import InsecureSettings, Settings

    settings = Settings.from_env()
    try:
        settings.require_secrets(("RASA_TOKEN",), settings.rasa_host)
    except InsecureSettings as error:
        print(f"bot.rasa.server: {error}", file=sys.stderr)
        sys.exit(2)
    apply()
    from rasa.__main__ import main as rasa_main

    sys.argv = server_argv(["rasa", *sys.argv[1:]], settings)
    rasa_main()


if __name__ == "__main__":
    main()
