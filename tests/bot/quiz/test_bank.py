from pathlib import Path


from bot.quiz.bank import AUDIENCES, MIN_PER_TOPIC, QUIZ_DIR, validate


def test_the_bank_is_valid_and_large_enough(kb):
    questions, errors = validate(sorted(QUIZ_DIR.glob("*.yml")), kb.keys())
    assert errors == []
    assert len(questions) >= 120


def test_every_topic_and_level_and_audience_is_covered(bank, kb):
    questions = bank.all()
    for topic in kb.keys():
        assert sum(q.topic == topic for q in questions) >= MIN_PER_TOPIC, topic
    assert {q.difficulty for q in questions} == {1, 2, 3}
    assert {a for q in questions for a in q.audience} == set(AUDIENCES)
    assert {q.type for q in questions} == {"single", "truefalse"}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bad.yml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """
- id: police-001
  topic: police
  difficulty: 1
  audience: [老年人]
  type: single
  question: 公安会让你转账到安全账户吗？
  options: [会, 不会, 看情况]
  answer: B
  explanation: 公安机关没有安全账户。
  sources: [mps_top10_2023]
"""


def test_duplicate_ids_name_the_file_and_question(tmp_path):
    path = _write(tmp_path, GOOD + GOOD.replace("公安会让你", "警察会让你"))
    _, errors = validate([path])
    assert any("bad.yml: police-001" in e and "id already used" in e for e in errors)


def test_duplicate_questions_are_caught(tmp_path):
    path = _write(tmp_path, GOOD + GOOD.replace("police-001", "police-002"))
    _, errors = validate([path])
    assert any("police-002" in e and "same question" in e for e in errors)


def test_answer_must_be_exactly_one_option(tmp_path):
    path = _write(tmp_path, GOOD.replace("answer: B", "answer: D"))
    _, errors = validate([path])
    assert any("exactly one option" in e for e in errors)


def test_too_few_questions_for_a_topic(tmp_path):
    path = _write(tmp_path, GOOD)
    _, errors = validate([path], topics=["police", "loan"])
    assert any("topic loan: only 0" in e for e in errors)


def test_a_question_cites_known_source_ids(tmp_path):
    path = _write(tmp_path, GOOD.replace("sources: [mps_top10_2023]", "sources: [no_such_source]"))
    _, errors = validate([path], source_ids={"mps_top10_2023"})
    assert any("police-001" in e and "unknown source 'no_such_source'" in e for e in errors)


def test_a_label_instead_of_source_ids_is_an_error(tmp_path):
    path = _write(tmp_path, GOOD.replace("sources: [mps_top10_2023]", "source: 公安部"))
    _, errors = validate([path])
    assert any("missing sources" in e for e in errors)


def test_a_false_statement_is_not_read_as_a_claim(tmp_path):
    # A true/false question answered 错 states something wrong on purpose: the check
    # reads its explanation, not its stem.
    body = GOOD.replace("type: single", "type: truefalse").replace("  options: [会, 不会, 看情况]\n", "")
    body = body.replace("answer: B", "answer: 错").replace("公安会让你转账到安全账户吗？", "惩戒期是5年。")
    (question,), errors = validate([_write(tmp_path, body)])
    assert errors == []
    assert "5年" not in question.claim_text and "安全账户" in question.claim_text
