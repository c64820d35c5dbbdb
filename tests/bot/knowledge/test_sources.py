"""The source registry and the check that every claim in the bank has a source."""
from pathlib import Path

import pytest

from bot.knowledge.sources import (
    DATE,
    LAW,
    NUMBER,
    PENALTY,
    Claim,
    Source,
    check_bank,
    check_message,
    find_claims,
    load_registry,
    uncovered,
)
from bot.errors import ContentError

LAW_176 = Source("law_176", "中华人民共和国刑法", "全国人民代表大会常务委员会", "2021-03-01",
                 article="第176条（非法吸收公众存款罪）", supports=("15年",))
TOP10 = Source("top10", "公安部公布十大高发电信网络诈骗类型", "公安部", "2024-06-25", supports=("2023年", "88.4%"))
REGISTRY = {s.id: s for s in (LAW_176, TOP10)}


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_every_message_and_quiz_question_has_a_source_that_covers_its_claims(kb, bank, registry):
    assert check_bank(kb, bank.all(), registry) == []


def test_every_source_says_what_and_who_and_when(registry):
    for source in registry.values():
        assert source.title and source.issuer, source.id
        assert source.date or source.note, f"{source.id}: no date and no note saying why"


def test_every_source_of_the_main_registry_is_cited(kb, bank, registry):
    # Other files may register sources ahead of the topics that will cite them.
    cited = {i for t in kb.topics.values() for i in t.sources}
    cited |= {i for t in kb.topics.values() for p in ("answer", "details", "what_to_do", "hotline", "transferred")
              for _, ids in t.cited(p) for i in ids}
    cited |= {i for q in bank.all() for i in q.sources}
    assert {i for i, s in registry.items() if s.file == "registry.yml"} - cited == set()


# --- the check catches an unsourced claim ----------------------------------------

def test_a_claim_without_any_source_fails():
    errors = check_message("x.yml: answer #1", "最高可判15年。", [], REGISTRY)
    assert errors == ["x.yml: answer #1: no source"]


def test_an_unknown_source_id_fails():
    errors = check_message("x.yml: answer #1", "请马上挂断。", ["nowhere"], REGISTRY)
    assert errors == ["x.yml: answer #1: unknown source 'nowhere'"]


def test_the_outdated_penalty_is_caught_even_with_the_right_law():
    # Issue 17, point 1: the article is cited, but it does not say "10 years".
    assert uncovered("非法吸收公众存款最高判10年。", [LAW_176]) == [Claim(PENALTY, "10年")]
    assert uncovered("非法吸收公众存款（第176条）最高可判15年。", [LAW_176]) == []


def test_an_article_the_source_does_not_hold_is_caught():
    assert uncovered("《刑法》第192条规定……", [LAW_176]) == [Claim(LAW, "第192条")]


def test_a_statistic_needs_a_source_that_states_it():
    assert uncovered("占全部案件的88.4%。", [TOP10]) == []
    assert uncovered("占全部案件的90%，共5万起。", [TOP10]) == [Claim(NUMBER, "90%"), Claim(NUMBER, "5万")]


def test_a_date_must_be_the_sources_own():
    assert uncovered("按公安部公布的2023年数据……", [TOP10]) == []
    assert uncovered("2024年6月25日公布", [TOP10]) == []
    assert uncovered("2024年发案最多", [LAW_176]) == [Claim(DATE, "2024年")]


def test_a_question_with_an_unsourced_claim_fails_the_bank_check(kb, tmp_path: Path):
    from bot.quiz.bank import validate

    path = tmp_path / "q.yml"
    path.write_text(
        "- id: card_renting-900\n  topic: card_renting\n  difficulty: 1\n  audience: [通用]\n  type: truefalse\n"
        "  question: 出租银行卡会被惩戒。\n  answer: 对\n  explanation: 惩戒期为5年。\n  sources: [top10]\n",
        encoding="utf-8")
    questions, errors = validate([path])
    assert errors == []
    assert check_bank(type(kb)([]), questions, REGISTRY) == [
        "q.yml: card_renting-900: states '5年' (penalty) but none of ['top10'] covers it"]


def test_the_claims_found_by_kind():
    text = "《防范和处置非法集资条例》第25条，2021年5月1日起施行；帮信罪最高判三年并处罚金；占62.1%。"
    assert find_claims(text) == [
        Claim(LAW, "第25条"), Claim(LAW, "防范和处置非法集资条例"), Claim(LAW, "条例"),
        Claim(PENALTY, "三年"), Claim(PENALTY, "罚金"), Claim(DATE, "2021年5月1日"), Claim(NUMBER, "62.1%"),
    ]
    assert find_claims("打110报警，拿不准打96110；借5000元到手3000多。") == []


# --- the registry is every file in the folder ------------------------------------

def _source_file(directory: Path, name: str, body: str) -> None:
    (directory / name).write_text(body, encoding="utf-8")


def test_the_registry_is_the_union_of_all_files(tmp_path: Path):
    _source_file(tmp_path, "registry.yml", "- id: a\n  title: 甲\n  issuer: 公安部\n  date: 2021-03-01\n")
    _source_file(tmp_path, "new_topics.yml", "- id: b\n  title: 乙\n  issuer: 国务院\n  date: 2021-05\n")
    registry = load_registry(tmp_path)
    assert sorted(registry) == ["a", "b"]
    assert registry["a"].date_text == "2021年3月1日" and registry["b"].date_text == "2021年5月"


def test_a_duplicate_id_across_files_names_both(tmp_path: Path):
    _source_file(tmp_path, "registry.yml", "- id: a\n  title: 甲\n  issuer: 公安部\n  date: 2021\n")
    _source_file(tmp_path, "new_topics.yml", "- id: a\n  title: 乙\n  issuer: 国务院\n  date: 2022\n")
    with pytest.raises(ContentError, match="registry.yml: a: id already used in new_topics.yml"):
        load_registry(tmp_path)


def test_a_source_without_a_date_needs_a_note(tmp_path: Path):
    _source_file(tmp_path, "registry.yml", "- id: a\n  title: 甲\n  issuer: 公安部\n- id: b\n  title: 乙\n"
                 "  issuer: 公安部\n  date: 3月\n")
    with pytest.raises(ContentError) as error:
        load_registry(tmp_path)
    assert "a: missing date (or a note saying why there is none)" in str(error.value)
    assert "b: date must be YYYY, YYYY-MM or YYYY-MM-DD" in str(error.value)
