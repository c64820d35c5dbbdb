"""The quiz question bank in ``data/quiz/*.yml``: loading and validation.

``python -m bot.quiz.bank`` validates the bank and prints one line per error,
naming the file and the question; ``make test`` runs it.  Each question cites
``sources``: ids of the source registry (``bot.knowledge.sources``).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Dict, Iterable, List, Optional, Sequence, Tuple

from bot.errors import ContentError
from bot.settings import PROJECT_ROOT
from bot.yaml_lists import read_list

QUIZ_DIR = PROJECT_ROOT / "data" / "quiz"
AUDIENCES = ("老年人", "学生/青少年", "新市民", "通用")
LETTERS = "ABCD"
TRUE_FALSE = ("对", "错")
MIN_PER_TOPIC = 5


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    difficulty: int
    audience: Tuple[str, ...]
    type: str  # "single" or "truefalse"
    question: str
    options: Tuple[str, ...]
    answer: str  # a letter for single, 对/错 for truefalse
    explanation: str
    sources: Tuple[str, ...]  # source registry ids
    file: str = ""

    @property
    def choices(self) -> Tuple[str, ...]:
        """What the resident picks from: option texts, or 对/错."""
        return self.options if self.type == "single" else TRUE_FALSE

    @property
    def answer_index(self) -> int:
        if self.type == "single":
            return LETTERS.index(self.answer)
        return TRUE_FALSE.index(self.answer)

    @property
    def answer_label(self) -> str:
        """The correct answer as shown: "B. 挂断电话" or "错"."""
        if self.type == "single":
            return f"{self.answer}. {self.options[self.answer_index]}"
        return self.answer

    @property
    def claim_text(self) -> str:
        """What the question holds true: the stem (unless it is a false statement),
        the right option and the explanation; wrong options are meant to be wrong."""
        stem = "" if self.type == "truefalse" and self.answer == "错" else self.question
        right = self.options[self.answer_index] if self.type == "single" and self.answer in LETTERS[: len(self.options)] else ""
        return "\n".join(t for t in (stem, right, self.explanation) if t)


def _normalise_question(text: str) -> str:
    return re.sub(r"[\s，。？！?!,.、“”\"'（）()]", "", text)


def _parse(item: dict, file: str, errors: List[str], source_ids: Optional[Collection[str]]) -> Optional[Question]:
    qid = str(item.get("id") or "?")
    where = f"{file}: {qid}"
    missing = [k for k in ("id", "topic", "difficulty", "audience", "type", "question", "answer", "explanation", "sources") if not item.get(k)]
    if missing:
        errors.append(f"{where}: missing {', '.join(missing)}")
        return None
    sources = item["sources"]
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() for s in sources):
        errors.append(f"{where}: sources must be a list of source ids")
        sources = []
    sources = tuple(s.strip() for s in sources)
    if source_ids is not None:
        errors.extend(f"{where}: unknown source {s!r}" for s in sources if s not in source_ids)
    qtype = item["type"]
    options = tuple(str(o) for o in item.get("options") or ())
    answer = str(item["answer"]).strip()
    if qtype == "single":
        if not 3 <= len(options) <= 4:
            errors.append(f"{where}: a single-choice question needs 3 or 4 options, has {len(options)}")
        if answer not in LETTERS[: len(options)]:
            errors.append(f"{where}: the answer must be exactly one option letter, got {answer!r}")
        if len(set(options)) != len(options):
            errors.append(f"{where}: two options are the same, so more than one could be correct")
    elif qtype == "truefalse":
        if options:
            errors.append(f"{where}: a true/false question has no options")
        if answer not in TRUE_FALSE:
            errors.append(f"{where}: a true/false answer must be 对 or 错, got {answer!r}")
    else:
        errors.append(f"{where}: type must be single or truefalse, got {qtype!r}")
    if item["difficulty"] not in (1, 2, 3):
        errors.append(f"{where}: difficulty must be 1, 2 or 3")
    audience = tuple(item["audience"]) if isinstance(item["audience"], list) else (item["audience"],)
    bad = [a for a in audience if a not in AUDIENCES]
    if bad:
        errors.append(f"{where}: unknown audience {bad}; use {', '.join(AUDIENCES)}")
    return Question(
        id=qid, topic=str(item["topic"]), difficulty=int(item["difficulty"]) if item["difficulty"] in (1, 2, 3) else 1,
        audience=audience, type=qtype, question=str(item["question"]).strip(), options=options,
        answer=answer, explanation=str(item["explanation"]).strip(), sources=sources, file=file,
    )


def validate(
    paths: Iterable[Path], topics: Optional[Sequence[str]] = None, source_ids: Optional[Collection[str]] = None
) -> Tuple[List[Question], List[str]]:
    """Parse every file; return the questions and every error found.

    With ``topics`` and ``source_ids``, unknown topics and source ids are errors too."""
    questions: List[Question] = []
    errors: List[str] = []
    for path in paths:
        items = read_list(path, "questions", errors)
        for item in items or []:
            if not isinstance(item, dict):
                errors.append(f"{path.name}: every entry must be a question mapping")
                continue
            question = _parse(item, path.name, errors, source_ids)
            if question:
                questions.append(question)
    seen_ids: Dict[str, str] = {}
    seen_text: Dict[str, str] = {}
    for q in questions:
        if q.id in seen_ids:
            errors.append(f"{q.file}: {q.id}: id already used in {seen_ids[q.id]}")
        seen_ids.setdefault(q.id, q.file)
        norm = _normalise_question(q.question)
        if norm in seen_text:
            errors.append(f"{q.file}: {q.id}: same question as {seen_text[norm]}")
        seen_text.setdefault(norm, q.id)
    if topics is not None:
        for q in questions:
            if q.topic not in topics:
                errors.append(f"{q.file}: {q.id}: unknown topic {q.topic!r}")
        for topic in topics:
            count = sum(1 for q in questions if q.topic == topic)
            if count < MIN_PER_TOPIC:
                errors.append(f"topic {topic}: only {count} questions, needs at least {MIN_PER_TOPIC}")
    return questions, errors


class QuestionBank:
    """Validated questions, by id."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self.by_id: Dict[str, Question] = {q.id: q for q in questions}

    @classmethod
    def load(cls, directory: Path = QUIZ_DIR, topics: Optional[Sequence[str]] = None) -> "QuestionBank":
        questions, errors = validate(sorted(directory.glob("*.yml")), topics)
        if errors:
            raise ContentError("quiz bank is invalid:\n" + "\n".join(errors))
        return cls(questions)

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, qid: str) -> Question:
        return self.by_id[qid]

    def all(self) -> List[Question]:
        return list(self.by_id.values())


_default: Optional[QuestionBank] = None


def default_bank() -> QuestionBank:
    global _default
    if _default is None:
        _default = QuestionBank.load()
    return _default


def main() -> int:
    from bot.knowledge.sources import load_registry
    from bot.knowledge.topics import KnowledgeBase

    topics = KnowledgeBase.load().keys()
    questions, errors = validate(sorted(QUIZ_DIR.glob("*.yml")), topics, load_registry())
    for error in errors:
        print(f"ERROR {error}")
    print(f"quiz bank: {len(questions)} questions, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
