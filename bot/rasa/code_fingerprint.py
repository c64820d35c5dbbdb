"""The source of the code a component runs, as part of its training fingerprint.

Rasa caches every trained graph node by its config and its inputs, not by its code:
after an edit of ``bot/normalise.py`` a ``rasa train`` would reuse the training data
folded by the old code and say nothing.  Each of the project's trainable-path
components returns the hash of the modules it runs from ``fingerprint_addon``, so an
edit retrains what depends on it (and the Makefile lists the same files as inputs).
"""
from __future__ import annotations

import hashlib
import importlib
import inspect


def source_hash(*module_names: str) -> str:
    digest = hashlib.sha256()
    for name in module_names:
        digest.update(inspect.getsource(importlib.import_module(name)).encode("utf-8"))
    return digest.hexdigest()[:16]
