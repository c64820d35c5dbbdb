"""A throwaway Rasa event store: the SQL event broker's table, filled with real-looking events."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, Dict, List, Optional

MODEL_METADATA = {"model_id": "5b9ced0a800c4a87b05774c392d8556c", "assistant_id": "fraud-outreach-assistant"}
START = 1789000000.0  # 2026-09-10 UTC


class EventLog:
    """Appends events the way Rasa's SQL event broker does: one JSON row each."""

    def __init__(self, path: Path, start: float = START) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self.clock = start
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER NOT NULL, sender_id VARCHAR(255), data TEXT, "
                       "PRIMARY KEY (id))")

    def add(self, sender: str, event: str, at: Optional[float] = None, row_id: Optional[int] = None,
            **fields: Any) -> float:
        self.clock = at if at is not None else self.clock + 1.5
        data: Dict[str, Any] = {"sender_id": sender, "event": event, "timestamp": self.clock,
                                "metadata": dict(MODEL_METADATA)}
        data.update(fields)
        with sqlite3.connect(self.path) as db:
            db.execute("INSERT INTO events (id, sender_id, data) VALUES (?, ?, ?)",
                       (row_id, sender, json.dumps(data, ensure_ascii=False)))
        return self.clock

    def session(self, sender: str) -> float:
        self.add(sender, "action", name="action_session_start", policy=None, confidence=1.0)
        started = self.add(sender, "session_started")
        self.add(sender, "action", name="action_listen", policy=None, confidence=None)
        return started

    def user(self, sender: str, text: str, intent: str, confidence: float = 0.98, selector: Optional[str] = None,
             selector_confidence: float = 0.9, entities: Optional[List[Dict[str, Any]]] = None,
             channel: Optional[str] = None) -> float:
        parse_data: Dict[str, Any] = {
            "intent": {"name": intent, "confidence": confidence}, "entities": entities or [], "text": text,
            "metadata": {}, "intent_ranking": [{"name": intent, "confidence": confidence}],
        }
        if selector:
            parse_data["intent"]["full_retrieval_intent_name"] = f"faq/{selector}"
            parse_data["response_selector"] = {"all_retrieval_intents": ["faq"], "faq": {"response": {
                "intent_response_key": f"faq/{selector}", "confidence": selector_confidence,
                "utter_action": f"utter_faq/{selector}"}}}
        metadata = dict(MODEL_METADATA, **({"channel": channel} if channel else {}))
        return self.add(sender, "user", text=text, parse_data=parse_data, metadata=metadata, input_channel="socketio")

    def reply(self, sender: str, action: str, text: str = "好的。", utter_action: Optional[str] = None) -> None:
        """The bot's turn: an action, what it said, then listening again."""
        self.add(sender, "action", name=action, policy="RulePolicy", confidence=1.0)
        metadata = dict(MODEL_METADATA, **({"utter_action": utter_action} if utter_action else {}))
        self.add(sender, "bot", text=text, metadata=metadata, data={"buttons": None})
        self.add(sender, "action", name="action_listen", policy="RulePolicy", confidence=1.0)

    def slot(self, sender: str, name: str, value: Any) -> None:
        self.add(sender, "slot", name=name, value=value)

    def count(self) -> int:
        with sqlite3.connect(self.path) as db:
            return db.execute("SELECT count(*) FROM events").fetchone()[0]


def fill_story(log: EventLog) -> None:
    """Two residents: alice talks twice on the web, bob plays an event quiz and is not understood once."""
    log.session("alice")
    log.user("alice", "有人打电话说我涉嫌洗钱，要我把钱转到安全账户", "faq", 0.97, selector="police",
             selector_confidence=0.92, channel="web")
    log.reply("alice", "action_answer_topic", "您说的情况很像“冒充公检法”的套路，十有八九是诈骗！")
    log.slot("alice", "topic", "police")
    log.user("alice", "那我该怎么办", "followup_what_to_do", 0.91, channel="web")
    log.reply("alice", "action_topic_followup", "①马上挂断电话，不理睬。")

    log.session("bob")
    log.user("bob", "参加活动 123456", "join_event", 0.99, entities=[{"entity": "join_code", "value": "123456"}],
             channel="event")
    log.add("bob", "action", name="action_join_event", policy="RulePolicy", confidence=1.0)
    log.slot("bob", "event_code", "123456")
    log.slot("bob", "audience", "老年人")
    log.add("bob", "bot", text="欢迎参加“幸福社区防骗讲座”！", data={})
    log.add("bob", "action", name="action_listen", policy="RulePolicy", confidence=1.0)
    log.user("bob", "你们银行几点下班", "nlu_fallback", 0.21, channel="event")
    log.reply("bob", "utter_default", "抱歉，我没太明白。", utter_action="utter_default")
    log.slot("bob", "event_code", None)  # the quiz ended: slots are reset

    log.clock += 3 * 3600  # alice comes back after her session expired
    log.session("alice")
    log.user("alice", '/faq{"topic": "shuadan"}', "faq", 1.0, entities=[{"entity": "topic", "value": "shuadan"}],
             channel="kiosk")
    log.reply("alice", "action_answer_topic", "这是刷单返利诈骗。")
    log.user("alice", "今天星期几", "out_of_scope", 0.99, channel="kiosk")
    log.reply("alice", "utter_out_of_scope", "抱歉，这个我帮不上忙。", utter_action="utter_out_of_scope")
