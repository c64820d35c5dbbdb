from pathlib import Path

import pytest

from bot.errors import ContentError, UnknownTopic
from bot.knowledge import DOMAIN_FILE, MAX_MESSAGE_CHARS, MESSAGE_FIELDS, export_responses, load_topic, sync_domain

TOPICS = {
    "police", "shuadan", "investment", "shopping", "customer_service", "loan", "credit", "leader", "romance",
    "game", "elderly", "fundraising", "fundraising_risk", "card_renting", "campus_loan", "illegal_ads",
    "personal_info", "hotline", "after_fraud", "legit_credit", "other_scam",
}


def test_every_topic_has_a_knowledge_file(kb):
    assert set(kb.keys()) == TOPICS


def test_every_message_fits_a_phone_screen(kb):
    for topic in kb.topics.values():
        for part in MESSAGE_FIELDS:
            for message in topic.messages(part):
                assert len(message) <= MAX_MESSAGE_CHARS, (topic.key, part, message)


def test_every_topic_records_its_source(kb):
    for topic in kb.topics.values():
        assert topic.sources and all(s.strip() for s in topic.sources), topic.key


def test_first_answer_says_where_to_call(kb):
    # Each answer covers what to do now and where to call.
    for topic in kb.topics.values():
        first = "".join(topic.answer)
        assert any(n in first for n in ("110", "96110", "12345", "12378", "银行", "柜台")), topic.key


def test_fraud_answers_warn_of_a_scam(kb):
    for key in ("police", "shuadan", "investment", "loan", "romance", "elderly"):
        assert "骗" in kb.get(key).answer[0], key


def test_police_answer_states_the_facts(kb):
    text = "".join(kb.get("police").answer + kb.get("police").details)
    assert "安全账户" in text
    assert "96110" in "".join(kb.get("police").answer)


def test_unknown_topic_is_an_error(kb):
    with pytest.raises(UnknownTopic):
        kb.get("weather")


def test_a_broken_file_names_itself(tmp_path: Path):
    bad = tmp_path / "police.yml"
    bad.write_text("key: police\ntitle: x\nsources: [a]\nanswer: ['" + "长" * 200 + "']\n"
                   "details: [a]\nwhat_to_do: [a]\nhotline: [a]\ntransferred: [a]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="police.yml.*answer.*200"):
        load_topic(bad)


def test_key_must_match_file_name(tmp_path: Path):
    bad = tmp_path / "loan.yml"
    bad.write_text("key: police\n", encoding="utf-8")
    with pytest.raises(ContentError, match="loan.yml"):
        load_topic(bad)


def test_domain_responses_are_in_sync_with_the_knowledge_files(kb, tmp_path: Path):
    # domain.yml carries a generated copy; editing knowledge without exporting fails here.
    copy = tmp_path / "domain.yml"
    copy.write_text(DOMAIN_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert sync_domain(copy, kb) is False, "run `python -m bot.knowledge export`"
    assert "utter_faq/police" in export_responses(kb)
