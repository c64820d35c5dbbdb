"""What the resident says happened: money sent, amount, channel, when, who was
impersonated, what was given away (situation_format.md).

Rules on a blank spaCy ``zh`` pipeline; no model is downloaded or trained.
The Rasa component is :mod:`bot.rasa.situation_extractor`.
"""
from bot.situation.extract import Situation, extract

__all__ = ["Situation", "extract"]
