"""What the resident says happened: money sent, amount, channel, when, who was
impersonated, what was given away (the annotation rules in tests/nlu/situations/heldout_b.yml).

Rules on a blank spaCy ``zh`` pipeline; no model is downloaded or trained.
The Rasa component is :mod:`bot.rasa.situation_extractor`.

* :mod:`.extract` — the entry point; channel, time, impersonated role, given-away items;
* :mod:`.scope` — clauses, and the words a negation or a doubt must not see;
* :mod:`.payment` — money gone: yes / no / unclear;
* :mod:`.numbers` — amounts as written (两万八, 2万8, 5w); :mod:`.amount` — which one was sent;
* :mod:`.lexicon` — the terms; :mod:`.nlp` — the shared jieba pipeline.
"""
from bot.situation.extract import Situation, extract

__all__ = ["Situation", "extract"]
