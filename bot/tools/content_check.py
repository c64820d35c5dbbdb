"""Check the whole content bank against the source registry: ``python -m bot.tools.content_check``.

Every knowledge bubble and quiz question must cite registered sources that cover
the laws, penalties, dates and figures it states (rules: docs/content-guide.md).
Part of ``make test`` through tests/bot/knowledge/test_sources.py.
"""
from __future__ import annotations

import sys

from bot.knowledge.sources import check_bank, load_registry
from bot.knowledge.topics import KnowledgeBase
from bot.quiz.bank import QUIZ_DIR, validate


def main() -> int:
    registry = load_registry()
    questions, _ = validate(sorted(QUIZ_DIR.glob("*.yml")))
    errors = check_bank(KnowledgeBase.load(), questions, registry)
    for error in errors:
        print(f"ERROR {error}")
    print(f"content sources: {len(registry)} sources, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
