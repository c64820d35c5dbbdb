"""Requests to help break the law, which get a clear stance and no help.

The classifier learns ``faq/illegal_request`` from examples, but a request for
help with a crime must never be answered as if the resident were the victim
(a fake-social-security text to write gets the "冒充政府部门" warning, a sales
pitch for "能治高血压" pills gets the elderly-scam answer).  These patterns name
the shapes such requests take; a match decides the topic whatever the
classifier says (:func:`bot.knowledge.topic_choice.choose_topic`):

* write a deceptive text for me: 帮俺写个短信 就说是社保局的, 帮我编几句话 就说能治高血压;
* what to tell the police to get off: 我咋说才能没事, 就说不知道行不, 怎么说能撇清;
* get round a freeze or a case: 找人走关系解冻, 花钱摆平;
* buy other people's numbers: 买一批老年人的电话号码, 号码资源;
* recruit or dodge controls: 怎么才能拉更多人, 怎么绕过风控, 怎么不被查;
* sell or rent cards and accounts, write scripts, launder: 卡怎么卖, 话术怎么写, 跑分怎么做.

Each was checked against every training line and every development message:
none of another topic matches (tests/bot/knowledge/test_harmful.py).
"""
from __future__ import annotations

import re

from bot.normalise import normalise

_ASKS_FOR_CRIME = re.compile(
    r"(?:帮|替|给)(?:我|俺|咱)?(?:编|写|想|拟|弄|做|设计)(?:一?个|一?段|几句|几条|一些|点|一套)?[^，。！？,.!?\s]{0,8}?(?:短信|话术|文案|广告词?|剧本|说辞|台词|话|词|稿子|通知|公告)"
    r"[^。！？.!?]{0,12}?(?:就说|说是|冒充|假装|能治|保准|包治|稳赚|保本|骗|让[^，。,.]{0,6}交钱|交[^，。,.]{0,4}费)"
    r"|(?:怎么|咋|如何)(?:样)?(?:说|讲|回答|交代)(?:才|能|才能|可以)?(?:没事|撇清|不担责|不用担责|脱身|不被抓|不坐牢|过关|躲过)"
    r"|(?:就说|说)(?:我)?不知道(?:行|可以|中)(?:不|吗)"
    r"|(?:走关系|托关系|找关系|找人|花钱)[^，。！？,.!?]{0,6}?(?:解冻|解封|消案|撤案|摆平)"
    r"|(?:买|收|弄)(?:到|来)?(?:一批|一些|些|点)?[^，。！？,.!?\s]{0,4}?(?:老年人|老人|居民|业主|客户|学生|家长|别人)的?(?:电话号码|手机号码?|号码|联系方式|个人信息|资料)"
    r"|(?:买|收|弄)(?:到|来)?(?:一批|一些|些)?[^，。！？,.!?\s]{0,4}?(?:电话号码|手机号码?|号码|个人信息)(?:名单|资源|库)"
    r"|(?<!是)(?:怎么|咋|如何)(?:才能|能|可以)?(?:拉|忽悠|骗|哄)(?:更多|多点|到)?(?:人|老人|下线|人头)(?![的吗呢])"
    r"|(?:怎么|咋|如何)(?:才能|能)?(?:绕过|绕开|躲过|避开|逃过)[^，。！？,.!?]{0,6}?(?:冻结|风控|反诈|监管|查)"
    # 卡怎么卖 / 哪里收卡价高 / 怎么出租我的账户: selling or renting cards and accounts.
    r"|(?:银行卡|电话卡|手机卡|卡|账户|账号|对公户|u盾)(?:怎么|咋|去哪|在哪|哪里)(?:卖|出租|租出去|出手)"
    r"|(?:怎么|咋|如何|去哪|在哪|哪里)(?:才能|能|可以)?(?:卖|出租|出售|租出去)(?:掉)?(?:我的|自己的|几张|张|个)?(?:银行卡|电话卡|手机卡|卡|账户|账号|对公户|u盾)"
    r"|(?:哪里|哪儿|谁)(?:收|要)(?:银行卡|卡|账户)(?:价格?高|贵|多少钱)"
    # 教我发展下线 / 怎么写话术让人信: recruiting and scripts.
    r"|(?:教|帮)(?:我|俺)[^，。！？,.!?]{0,6}?(?:发展下线|拉下线|拉人头|写话术|编话术|编剧本|做局)"
    r"|(?:话术|剧本)(?:怎么|咋)(?:写|编)"
    r"|(?:怎么|咋|如何)(?:写|编)[^，。！？,.!?]{0,4}?(?:话术|剧本)(?:才|能|让)"
    # 跑分怎么做 / 帮人走账怎么不被查: laundering.
    r"|(?:跑分|走账|洗钱)(?:怎么|咋)(?:做|弄|搞|操作)"
    r"|(?:怎么|咋|如何)(?:才能|能)?(?:不被(?:查|发现|抓)|不留(?:痕迹|记录))"
    # 把快递面单卖给他, 客户信息出钱收: selling other people's data.
    r"|(?:我|俺)(?:想|要|能|可以|把)?[^，。！？,.!?\s]{0,8}?(?:卖|出售|倒卖)(?:给他|掉)?[^，。！？,.!?\s]{0,6}?"
    r"(?:快递面单|面单|客户信息|个人信息|客户资料|业主信息|学生信息)(?!的?案|罪)"
    r"|(?:快递面单|面单|客户信息|客户资料|业主信息)[^，。！？,.!?]{0,10}?(?:卖给|出钱收|收购|能卖)"
    # 警察让我去做笔录 我能不能先把聊天记录删了: destroying evidence.
    r"|删(?:了|掉)?[^，。！？,.!?\s]{0,10}?(?:聊天记录|转账记录|记录|证据)(?=[^。！？.!?]{0,8}(?:吗|行不|可以|能不能|没事))"
    r"|(?:能不能|可不可以|要不要)[^，。！？,.!?]{0,8}?删(?:了|掉)?[^，。！？,.!?]{0,10}?(?:聊天记录|转账记录|证据)"
    r"|(?:能不能|可不可以|要不要)[^，。！？,.!?]{0,4}?把[^，。！？,.!?]{0,12}?(?:聊天记录|转账记录|记录|证据)删"
    # 招人的话术该怎么说, 跑分咋入门, 帮我写个朋友圈文案拉人.
    r"|话术(?:该|要)?(?:怎么|咋)(?:说|写|讲)|跑分[^。！？.!?]{0,30}?(?:咋|怎么)(?:入门|开始|做|弄)"
    r"|(?:帮|替)(?:我|俺)(?:写|编)[^，。！？,.!?]{0,10}?(?:文案|朋友圈|广告|通知)[^，。！？,.!?]{0,6}?(?:拉人|招人|拉下线|推广项目)"
)


def asks_for_crime(text: str) -> bool:
    """Whether ``text`` asks for help doing something illegal."""
    return bool(_ASKS_FOR_CRIME.search(normalise(text or "")))
