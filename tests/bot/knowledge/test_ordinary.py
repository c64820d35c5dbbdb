"""An ordinary question gets a polite reply that points somewhere useful, never scam talk."""
import pytest

from bot.knowledge.ordinary import BANK_RESPONSE, GENERAL_RESPONSE, HEALTH_RESPONSE, WEATHER_RESPONSE, out_of_scope_response


@pytest.mark.parametrize("text, response", [
    ("俺想给老伴去银行开张卡要带啥", BANK_RESPONSE),
    ("我手机银行个登录密码唔记得咗，点样重置啊", BANK_RESPONSE),
    ("养老金每个月几号到啊", BANK_RESPONSE),
    ("降压药早上忘吃了 中午补上行不行", HEALTH_RESPONSE),
    ("今天天气怎么样", WEATHER_RESPONSE),
    ("讲个笑话", GENERAL_RESPONSE),
    ("从火车站到人民医院坐几路公交", GENERAL_RESPONSE),  # the way to a hospital is no health question
    ("", GENERAL_RESPONSE),
])
def test_out_of_scope_reply_by_kind(text, response):
    assert out_of_scope_response(text) == response


def test_the_replies_are_in_the_domain_and_point_to_the_counter_or_the_doctor():
    import yaml

    from bot.settings import PROJECT_ROOT

    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    bank = responses[BANK_RESPONSE][0]["text"]
    health = responses[HEALTH_RESPONSE][0]["text"]
    assert "柜台" in bank and "卡背面" in bank and "110" not in bank
    assert "医生" in health and "110" not in health
    # Each says plainly that it is not the assistant's subject, and what is.
    for name in (BANK_RESPONSE, HEALTH_RESPONSE, WEATHER_RESPONSE, GENERAL_RESPONSE):
        text = responses[name][0]["text"]
        assert text.startswith("抱歉") and "防骗" in text
