"""Which polite "not my subject" reply an out-of-scope message gets.

An ordinary question is never answered with scam talk (issue 14), but "this is not
my subject" alone leaves a resident with nowhere to go.  A bank errand (办卡要带啥,
养老金几号到, 登录密码忘了) is pointed to the counter, the number on the card and the
bank's app; a health question (降压药忘吃了) to the doctor or pharmacist; the weather to
the phone's forecast; anything
else gets the general reply with what the assistant can do.  The texts are responses
in domain.yml.
"""
from __future__ import annotations

import re

from bot.normalise import normalise

BANK_RESPONSE = "utter_out_of_scope_bank"
HEALTH_RESPONSE = "utter_out_of_scope_health"
WEATHER_RESPONSE = "utter_out_of_scope_weather"
GENERAL_RESPONSE = "utter_out_of_scope"

_BANK = re.compile(r"银行|银航|办卡|开卡|办张卡|办一张卡|销户|存款|存钱|取钱|取款|存折|利息|利率|余额|网银|信用卡|还款|账单|"
                   r"养老金|退休金|工资卡|社保卡|医保卡|密码|转账|汇款|房贷|车贷|定期|柜台|网点|atm|手机号|绑定|限额|"
                   r"理财|基金|分红|国债|大额存单|贷款|credit card|debit card|bank")
_WEATHER = re.compile(r"天气|下雨|下雪|刮风|气温|降温|几度|冷不冷|热不热|晴天|阴天|台风|weather")
# 到人民医院坐几路公交: the way somewhere, not a health question.
_ROUTE = re.compile(r"公交|几路|地铁|怎么走|怎么去|咋走|咋去|路线|坐车|打车|导航|多远")
_HEALTH = re.compile(r"药|医院|看病|血压|血糖|头疼|头痛|头晕|发烧|感冒|咳嗽|医生|体检|打针|挂号|牙疼|失眠|腰疼|腿疼")


# A message the classifier could not place that still tells of a scam (a call about a card 盗刷 that wants
# an app and a screen share, "is this a scam??"): never pointed to the bank as an errand.
_SCAM_CUES = re.compile(r"骗|诈|scam|fraud|screen ?share|共享屏幕|屏幕共享|开共享|download|verify|验证码|盗刷|安全账户|冒充",
                        re.IGNORECASE)


def sounds_like_a_scam(text: str) -> bool:
    return bool(_SCAM_CUES.search(normalise(text or "")))


def out_of_scope_response(text: str) -> str:
    """The response name for an out-of-scope message."""
    clean = normalise(text or "").replace("帐", "账")
    if _BANK.search(clean):
        return BANK_RESPONSE
    if _HEALTH.search(clean) and not _ROUTE.search(clean):
        return HEALTH_RESPONSE
    if _WEATHER.search(clean):
        return WEATHER_RESPONSE
    return GENERAL_RESPONSE
