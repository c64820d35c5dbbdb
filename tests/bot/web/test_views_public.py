from bot.web.views_public import transcript


async def test_chat_page_is_served_with_a_strict_csp(client):
    response = await client.get("/")
    assert response.status == 200
    html = await response.text()
    assert "防骗小助手" in html and "/static/vendor/socket.io.min.js" in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "http" not in html.split("<body", 1)[0].replace("http-equiv", ""), "no CDN in the page head"


async def test_config_points_the_page_at_rasa(client):
    text = await (await client.get("/config.js")).text()
    assert '"socketPath": "/socket.io"' in text and "rasaUrl" in text


async def test_widget_script_is_served(client):
    response = await client.get("/widget.js")
    assert response.status == 200 and "fraudbot-launcher" in await response.text()


async def test_history_rejects_a_bad_session_id(client):
    assert (await client.get("/api/history/%3Cscript%3E")).status == 400


async def test_history_says_when_rasa_is_unreachable(client):
    response = await client.get("/api/history/abcdefgh1234")
    assert response.status == 503 and (await response.json())["messages"] == []


def test_transcript_keeps_messages_payloads_and_buttons():
    events = [
        {"event": "user", "text": "刷单是啥"},
        {"event": "bot", "text": "刷单返利是骗局", "data": {"buttons": [{"title": "详细说说", "payload": "/followup_more"}]}},
        {"event": "user", "text": "/followup_more", "metadata": {"channel": "web", "client_msg_id": "c-2"}},
        {"event": "action", "name": "action_listen"},
    ]
    assert transcript(events) == [
        {"sender": "user", "text": "刷单是啥"},
        {"sender": "bot", "text": "刷单返利是骗局", "buttons": [{"title": "详细说说", "payload": "/followup_more"}]},
        {"sender": "user", "text": "/followup_more", "client_msg_id": "c-2"},
    ]
