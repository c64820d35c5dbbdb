"""The guarded channels: what Rasa receives, and what the resident always gets back."""
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.rasa.channels import BAD_SESSION, EMPTY, SLOW_DOWN, TOO_LONG, UNAVAILABLE, clean_metadata, guard
from bot.rasa.rate_limit import TokenBucket


class FakeRasa:
    def __init__(self, reply: bool = True) -> None:
        self.seen = []
        self.reply = reply

    async def __call__(self, message: UserMessage) -> None:
        self.seen.append(message)
        if self.reply:
            await message.output_channel.send_response(message.sender_id, {"text": "好的"})


async def send(text, rasa=None, sender="s1", metadata=None, limiter=None):
    rasa = rasa or FakeRasa()
    out = CollectingOutputChannel()
    await guard(rasa, limiter or TokenBucket())(UserMessage(text, out, sender, metadata=metadata))
    return rasa, [m.get("text") for m in out.messages]


async def test_personal_data_is_redacted_before_rasa_sees_it():
    rasa, replies = await send("我卡号6222021234567890128，他让我报验证码382910")
    assert rasa.seen[0].text == "我卡号[银行卡号]，他让我报验证码[验证码]"
    assert replies == ["好的"]


async def test_amounts_and_hotlines_are_kept():
    rasa, _ = await send("被骗了5万元，刚打了96110")
    assert rasa.seen[0].text == "被骗了5万元，刚打了96110"


async def test_empty_and_too_long_messages_get_a_clear_reply_and_never_reach_rasa():
    for text in (None, "", "   "):
        rasa, replies = await send(text)
        assert rasa.seen == [] and replies == [EMPTY]
    rasa, replies = await send("骗" * 100_000)
    assert rasa.seen == [] and replies == [TOO_LONG]


async def test_a_burst_from_one_sender_is_slowed_but_others_are_served():
    limiter = TokenBucket(rate=0.0, burst=10)
    rasa = FakeRasa()
    for _ in range(10):
        await send("你好", rasa, "flooder", limiter=limiter)
    _, replies = await send("你好", rasa, "flooder", limiter=limiter)
    assert replies == [SLOW_DOWN]
    _, replies = await send("你好", rasa, "someone-else", limiter=limiter)
    assert replies == ["好的"]


async def test_silence_becomes_an_apology_with_the_hotlines():
    _, replies = await send("安全账户是什么", FakeRasa(reply=False))
    assert replies == [UNAVAILABLE] and "110" in UNAVAILABLE and "96110" in UNAVAILABLE


def test_only_known_metadata_is_kept():
    assert clean_metadata({"channel": "kiosk", "client_msg_id": "m1", "phone": "13812345678"}) == {
        "channel": "kiosk", "client_msg_id": "m1"}
    assert clean_metadata({"channel": "<script>"}) == {}
    assert clean_metadata("not a dict") == {}


async def test_an_event_join_payload_keeps_its_code():
    rasa, _ = await send('/join_event{"join_code":"418857","nickname":"王阿姨"}')
    assert rasa.seen[0].text == '/join_event{"join_code":"418857","nickname":"王阿姨"}'


async def test_an_overlong_socketio_session_id_gets_a_clear_message_and_stores_nothing():
    rasa, replies = await send("你好", sender="x" * 300)
    assert rasa.seen == [] and replies == [BAD_SESSION]


async def test_the_rest_channel_keys_each_message_by_its_real_address_not_what_the_client_claims():
    import aiohttp
    from sanic import Sanic

    from bot.rasa.channels import GuardedRestInput
    from bot.quiz.join_guard import source_key
    from bot.settings import Settings
    from tests.bot.rasa.sanic_server import serving

    Sanic.test_mode = True
    rasa = FakeRasa()
    app = Sanic("rest_source")
    app.blueprint(GuardedRestInput().blueprint(rasa), url_prefix="/webhooks/rest")
    try:
        async with serving(app) as url, aiohttp.ClientSession() as http:
            body = {"sender": "s1", "message": "参加活动 123456", "metadata": {"source": "forged", "channel": "event"}}
            async with http.post(f"{url}/webhooks/rest/webhook", json=body) as response:
                assert response.status == 200
    finally:
        Sanic.test_mode = False
    metadata = rasa.seen[0].metadata
    assert metadata["source"] == source_key("127.0.0.1", Settings.from_env().rasa_token) != "forged"
    assert metadata["channel"] == "event"


async def test_the_socketio_channel_sets_the_source_from_the_connection_not_the_client():
    from bot.rasa.channels import GuardedSocketIOInput
    from bot.quiz.join_guard import source_key
    from bot.settings import Settings

    rasa = FakeRasa(reply=False)
    channel = GuardedSocketIOInput(user_message_evt="user_uttered", bot_message_evt="bot_uttered",
                                   session_persistence=True)
    channel.blueprint(rasa)
    channel.sio.get_environ = lambda sid, namespace=None: {"REMOTE_ADDR": "10.1.2.3"} if sid == "sid-1" else None
    channel.sio.emit = _no_emit  # the apology for the silent FakeRasa has nowhere to go here
    handler = channel.sio.handlers["/"]["user_uttered"]
    await handler("sid-1", {"message": "参加活动 123456", "session_id": "sess-1",
                            "metadata": {"source": "forged", "channel": "kiosk"}})
    metadata = rasa.seen[0].metadata
    assert metadata == {"channel": "kiosk", "source": source_key("10.1.2.3", Settings.from_env().rasa_token)}


async def _no_emit(*args, **kwargs):
    return None
