"""Domain errors, defined in one place and translated at the edges.

    FraudBotError
    ├── ContentError        a knowledge or quiz file is malformed (names file and item)
    ├── UnknownTopic        a topic key that the knowledge base does not have
    ├── QuizError           a quiz rule was broken
    │   ├── EventNotFound   no open event with that join code
    │   ├── EventClosed     the event no longer takes participants
    │   ├── AttemptLimit    the participant has already played and retries are off
    │   └── RedeemError     a prize code is unknown, of another event, or redeemed
    ├── InputError          user input that cannot be accepted (message says why)
    └── ServiceUnavailable  the project database cannot be reached right now

The web app maps them to HTTP 400/404/409 with a Chinese message; actions turn
them into a chat reply; both log the cause.
"""
from __future__ import annotations

from typing import Optional


class FraudBotError(Exception):
    """Base class; ``message`` is safe to show to a resident or volunteer."""

    status = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class ContentError(FraudBotError):
    status = 500


class UnknownTopic(FraudBotError):
    status = 404

    def __init__(self, key: Optional[str]) -> None:
        super().__init__(f"unknown topic {key!r}")
        self.key = key


class QuizError(FraudBotError):
    pass


class EventNotFound(QuizError):
    status = 404


class EventClosed(QuizError):
    status = 409


class AttemptLimit(QuizError):
    status = 409


class RedeemError(QuizError):
    status = 409


class InputError(FraudBotError):
    pass


class ServiceUnavailable(FraudBotError):
    status = 503

    def __init__(self, message: str = "系统有点忙，请稍后再试。") -> None:
        super().__init__(message)
