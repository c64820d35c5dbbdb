"""Check the whole content bank against the source registry: ``python -m bot.tools.content_check``.

Every knowledge bubble, concern (data/concerns/) and quiz question must cite registered sources that cover
the laws, penalties, dates and figures it states (rules: docs/content-guide.md).
Part of ``make test`` through tests/bot/knowledge/test_sources.py.
"""
from __future__ import annotations

import sys

from bot.knowledge.concerns import load_concerns
from bot.knowledge.sources import check_bank, check_message, load_registry
from bot.knowledge.topics import KnowledgeBase
from bot.quiz.bank import QUIZ_DIR, validate


def main() -> int:
    registry = load_registry()
    questions, _ = validate(sorted(QUIZ_DIR.glob("*.yml")))
    errors = check_bank(KnowledgeBase.load(), questions, registry)
    errors += [e for c in load_concerns() for e in check_message(f"concerns: {c.key}", c.text, c.sources, registry)]
    for error in errors:
        print(f"ERROR {error}")
    print(f"content sources: {len(registry)} sources, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
