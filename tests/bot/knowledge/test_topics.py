import re
from pathlib import Path

import pytest

from bot.errors import ContentError, UnknownTopic
from bot.knowledge.topics import (
    DOMAIN_FILE,
    MAX_MESSAGE_CHARS,
    MESSAGE_FIELDS,
    export_responses,
    load_topic,
    sync_domain,
)

TOPICS = {
    "police", "shuadan", "investment", "shopping", "customer_service", "loan", "credit", "leader", "romance",
    "game", "elderly", "fundraising", "fundraising_risk", "card_renting", "campus_loan", "illegal_ads",
    "personal_info", "hotline", "after_fraud", "legit_credit", "other_scam",
}


def test_every_topic_has_a_knowledge_file(kb):
    assert TOPICS <= set(kb.keys())  # new topics may join


def test_every_message_fits_a_phone_screen(kb):
    for topic in kb.topics.values():
        for part in MESSAGE_FIELDS:
            for message in topic.messages(part):
                assert len(message) <= MAX_MESSAGE_CHARS, (topic.key, part, message)


def test_every_topic_records_its_source(kb):
    for topic in kb.topics.values():
        assert topic.sources and all(s.strip() for s in topic.sources), topic.key


def test_every_bubble_has_sources(kb):
    for topic in kb.topics.values():
        for part in MESSAGE_FIELDS:
            assert all(ids for _, ids in topic.cited(part)), (topic.key, part)


# Words an elderly reader may not know: where a part first uses one, it is explained
# in brackets right after it.  Each part is reachable on its own by a button.
JARGON = ("止付", "处置非法集资办公室", "持牌", "非柜面")


def test_jargon_is_explained_where_it_first_appears(kb):
    for topic in kb.topics.values():
        for part in MESSAGE_FIELDS:
            for term in JARGON:
                first = next((m for m in topic.messages(part) if term in m), None)
                if first is not None:
                    after = first.split(term, 1)[1]
                    assert re.match(r"[^（。，；]{0,4}（", after), (topic.key, part, term, first)


def test_the_app_has_one_name(kb):
    for topic in kb.topics.values():
        for part in MESSAGE_FIELDS:
            for message in topic.messages(part):
                for other in re.findall(r"\S{0,6}反诈(?:中心)?(?:App|APP|app|手机软件)", message):
                    assert "国家反诈中心App" in other or "公安部的反诈手机软件" in other, (topic.key, message)
                assert "“国家反诈中心”" not in message, (topic.key, message)


def test_after_a_loss_110_comes_first_then_your_own_card_then_evidence(kb):
    from bot.knowledge.answers import NO_URGENT_STEPS  # the resident did the illegal thing: other advice

    for topic in kb.topics.values():
        if topic.key in NO_URGENT_STEPS:
            continue
        steps = topic.transferred
        assert "110" in steps[0], topic.key
        text = "".join(steps)
        assert re.search(r"(冻结|挂失)[^。]*卡|卡[^。]*(冻结|挂失)", text), topic.key
        assert any(w in text for w in ("留好", "保存")), topic.key


def test_no_bubble_asks_the_bank_to_stop_the_payment(kb):
    # The police start the urgent stop-payment after a 110 report; the bank freezes
    # the resident's own card.
    for topic in kb.topics.values():
        for part in MESSAGE_FIELDS:
            for message in topic.messages(part):
                for sentence in re.split(r"[。！？]", message):
                    assert not re.search(r"(银行|柜台|客服)[^；]*止付", sentence), (topic.key, part, message)


# Facts the content review of issue 17 found wrong; none may come back.
STALE = {
    r"最高判10年|最高可判10年": "刑法176 is up to 15 years since 刑法修正案（十一）",
    r"惩戒期[^。]*5年|5年[^。]*惩戒": "惩戒期 is 2 or 3 years, at most 5 in a row",
    r"2024年[^。]*(发案|损失)最": "the MPS ranking is 2023 data published in 2024",
    r"差的钱也算": "民法典 art. 670: the loan is what was actually received",
    r"身份验真”核": "身份验真 checks a chat partner, not a caller",
}


def test_stale_facts_do_not_come_back(kb, bank):
    texts = [(t.key, m) for t in kb.topics.values() for p in MESSAGE_FIELDS for m in t.messages(p)]
    texts += [(q.id, q.claim_text) for q in bank.all()]
    for where, text in texts:
        for pattern, why in STALE.items():
            if pattern.startswith("惩戒期") and "连续" in text:
                continue  # "2 or 3 years, at most 5 in a row" is the right statement
            assert not re.search(pattern, text), (where, why, text)
    card = "".join(m for p in MESSAGE_FIELDS for m in kb.get("card_renting").messages(p))
    assert "罚款" not in card, "帮信罪's penalty is 罚金, a criminal fine"


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


def test_a_bubble_may_cite_its_own_sources(tmp_path: Path):
    path = tmp_path / "police.yml"
    path.write_text("key: police\ntitle: x\nsources: [topic_src]\n"
                    "answer:\n  - text: 第一句\n    sources: [own_src]\n  - 第二句\n"
                    "details: [a]\nwhat_to_do: [a]\nhotline: [a]\ntransferred: [a]\n", encoding="utf-8")
    topic = load_topic(path)
    assert topic.messages("answer") == ("第一句", "第二句")
    assert topic.cited("answer") == [("第一句", ("own_src",)), ("第二句", ("topic_src",))]


def test_a_bubble_mapping_without_sources_is_an_error(tmp_path: Path):
    path = tmp_path / "police.yml"
    path.write_text("key: police\ntitle: x\nsources: [a]\nanswer:\n  - text: 第一句\n"
                    "details: [a]\nwhat_to_do: [a]\nhotline: [a]\ntransferred: [a]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="police.yml.*answer.*sources"):
        load_topic(path)


def test_key_must_match_file_name(tmp_path: Path):
    bad = tmp_path / "loan.yml"
    bad.write_text("key: police\n", encoding="utf-8")
    with pytest.raises(ContentError, match="loan.yml"):
        load_topic(bad)


def test_domain_responses_are_in_sync_with_the_knowledge_files(kb, tmp_path: Path):
    # domain.yml carries a generated copy; editing knowledge without exporting fails here.
    copy = tmp_path / "domain.yml"
    copy.write_text(DOMAIN_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert sync_domain(copy, kb) is False, "run `python -m bot.knowledge.topics export`"
    assert "utter_faq/police" in export_responses(kb)
