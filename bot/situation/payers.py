"""Whose money it was, and which case the message asks about.

我同事被骗了8万 我自己倒是没事 / 他交了 俺还没交 / 我没投 但我朋友投了两万: the payment in the
message is not the resident's, so :func:`bot.situation.payment.money_sent` says "no".  A
relative's payment stays a "yes" (我没转 我妈转了两万).

我前年让人骗过一回 投了两万 … 今天又有人打电话 … 我没给他 / 讲座上讲一个老太太被骗了四十万
下午我也接了个电话 我没搭理就挂了: an old or a heard-of loss, then today's case, in which
nothing was paid.  The message asks about today's case, so it is a "no" too.
"""
from __future__ import annotations

import re
from typing import List, Tuple

# People outside the family a resident tells about (also the subjects of someone else's payment in payment.py).
ACQUAINTANCES = "同事|朋友|工友|老乡|室友|同学|邻居|闺蜜|楼下|楼上|隔壁|对门"

# 俺没转钱, 我自己倒是没事, 但我没投: the resident says their own money stayed.
_SELF_NO = re.compile(r"^(?:但|可|不过|反正)?(?:他|她)自己(?:倒是|也|还)?(?:没有?|没被|没敢)"
                      r"|^(?:他|她)(?:也|还|就)?(?:没有?|没敢)(?:垫|转|交|给|投|付|汇|充|买)"
                      r"|^(?:但|可|不过|反正)?(?:我|俺)(?:自己|本人)?(?:倒是|也|还|可)?(?:还)?(?:没有?|没敢|不敢|未)(?!想到|发现|注意)"
                      r"|^(?:我|俺)(?:也|还)?(?:想|打算|准备)(?:交|投|转)"
                      r"|^(?:但|可|不过)?(?:我|俺)(?:自己|本人)?(?:倒是?)?没(?:啥|什么)?事|^(?:还)?没(?:投|转|交|给|充)(?:钱)?$")
# Who a clause is about when it is not the resident's family: 我同事, 有人, 老乡, 财务, 他 (no relative named).
_OTHER = re.compile(r"^(?:但|可|不过|后来|我看|看到|听说)?(?:[^，。！？\s]{0,4}?说)?(?:我|俺|他|她)?(?:的|们)?(?:[^，。！？\s]{1,3}的)?(?:一个|有个|那个|那|有些|好几个)?"
                    r"(?:" + ACQUAINTANCES + r"|财务|有人|别人|人家|好多人|很多人|大家|群里|那人|网友|老姐妹|姐妹|老哥们|老伙计|牌友)")
_HE_SHE = re.compile(r"^(?:但|可|后来)?(?:[^，。！？\s]{0,4}?说)?(?:他|她)(?!们?的?(?:爸|妈))(?![^，。！？\s]{0,3}?(?:让|叫|要|逼|催|教|带)(?:我|俺))")
_FAMILY = re.compile(r"妈|爸|爹|娘|老伴|媳妇|老婆|老公|丈夫|妻子|儿子|闺女|女儿|孩子|爷|奶奶|姥|外婆|外公|孙|弟|妹|(?<!小哥)哥|姐|婆婆|公公|岳|舅|姑|姨")


# 我跟隔壁的翠花就去了 … 翠花当场就交了定金: a neighbour introduced by name, then named alone.
_NAMED = re.compile(r"(?:" + ACQUAINTANCES + r")(?:家)?的?((?:小|老)?[\u4e00-\u9fff]{2})(?=就|也|还|都|说|和|跟|去|当场|一起|\s|$)")


def _named_acquaintances(text: str) -> List[str]:
    return [name for name in _NAMED.findall(text) if not _FAMILY.search(name) and not re.search(r"我|俺|他|她|的|说", name)]


def only_others_paid(text: str, clauses_: List[Tuple[int, str]], yes: List[Tuple[int, int, str]]) -> bool:
    """我同事被骗了8万 我自己倒是没事 / 他交了 俺还没交 / 隔壁的翠花…翠花交了定金 我没带钱: someone
    outside the family paid, the resident says they did not; the resident's money stayed."""
    if not any(_SELF_NO.search(c) for _, c in clauses_):
        return False
    family = _FAMILY.search(text)
    names = _named_acquaintances(text)
    for start, _, _ in yes:
        index = max(i for i, (offset, _) in enumerate(clauses_) if offset <= start)
        about = [clauses_[index][1]] + ([clauses_[index - 1][1]] if index else [])
        subject = next((c for c in about if _OTHER.search(c) or _HE_SHE.search(c) or re.match(r"(?:我|俺)", c)), "")
        named = any(clauses_[index][1].startswith(name) for name in names)
        if not (named or _OTHER.search(subject) or (_HE_SHE.search(subject) and not family)):
            return False
    return True


# The old or heard-of case told first: a time long past, or a case from the news, a talk, a group.
_EARLIER = re.compile(r"前年|去年|前些年|那年|以前|之前|上次|那次|上回|那回|从那以后|上个月|上礼拜|上周|年前"
                      r"|新闻|电视上|讲座|讲课|讲的是|开会|案子|案例|听说|听人说|听她们|群里有人|有个老太太|有个老头")
# Today's case begins: 今天又有人打电话 / 下午我也接了个电话 / 这回 / 他也让我.
_NOW_CASE = re.compile(r"^(?:但是?|可是?|结果|然后)?(?:今天|今早|今个|刚才|刚刚|这回|这次|这两天|昨天|下午|上午|现在|最近)"
                       r"[^，。！？\s]{0,6}?(?:又|也)?(?:有人|有个|接|来|给我|加我|打|让我|叫我|找)"
                       r"|^(?:我|俺)(?:今天|刚才|下午)?也(?:接|加|收到|碰到|遇到)|^(?:他|她|对方)也(?:让|叫|要)(?:我|俺)")
# In today's case the resident kept the money: 我没给他 / 没理他 / 给挂了 / 我还没转.
_KEPT = re.compile(r"(?:我|俺)?(?:还|也|都|就)?(?:没有?|没敢|不敢)(?:给|转|交|打|汇|理|搭理|加|投|付|充|点)|挂了|拉黑了|没理")


def earlier_case_only(clauses_: List[Tuple[int, str]], yes: List[Tuple[int, int, str]]) -> bool:
    """Every payment belongs to an old or heard-of case told before today's, and in today's the resident kept the money."""
    pivot = next((i for i, (offset, c) in enumerate(clauses_) if i and _NOW_CASE.search(c)
                  and offset > max(start for start, _, _ in yes)), None)
    if pivot is None:
        return False
    before = "".join(c for _, c in clauses_[:pivot])
    return bool(_EARLIER.search(before)) and any(_KEPT.search(c) for _, c in clauses_[pivot:])


# 同事在群里说她被骗了四万 我有点怕 怎么防啊: someone else's loss told as a warning to oneself.
_OWN_WORRY = re.compile(r"怎么防|怎么预防|如何防|我(?:有点|也|好|很|挺)?(?:怕|担心)|提醒(?:我|一下)")


def own_worry(text: str) -> bool:
    """The resident tells someone else's loss to ask how to protect themselves (我有点怕 怎么防)."""
    return bool(_OWN_WORRY.search(text))
