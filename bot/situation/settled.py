"""Payments that leave nothing gone now: refunded in full, or the resident's own business.

给代购转了两千 … 钱已经全额退回到我微信了 and 被骗的一千块 警察帮我追回来了 全部: all of it
came back.  给外孙转了这个月的生活费, 核实了是班主任本人 就交了, 话费是我自己充的: an
ordinary payment, vouched for or with no scam in the message.  :func:`bot.situation.payment.money_sent`
then says "no": telling such a resident to call 110 about a loss would alarm them for nothing.
"""
from __future__ import annotations

import re
from typing import List, Tuple

# Payments of one's own that have nothing to do with the scam: 话费是我自己充的, 这个是正常的, 上个月交房租.
LEGIT = re.compile(r"(?:我|俺)自己(?:充|交|付)的|是(?:闺女|儿子|女儿|孩子|老伴|儿媳)掏的|(?:医院|看病)[^，。！？\s]{0,8}?花了"
                    r"|(?:柜台|营业厅|网点|医院|物业)[^，。！？\s]{0,8}?(?:把)?[^，。！？\s]{0,6}?(?:交|缴|付)(?:了)?[^，。！？\s]{0,6}?(?:水电费|暖气费|话费|电费|燃气费|物业费|房租|医药费|学费)"
                    r"|(?:那|这)(?:个|笔)?(?:是|都是)正规的|正规(?:app|平台|渠道)上|(?:超市|商场|财务处|缴费窗口)[^，。！？\s卡]{0,8}?(?:买|交|缴|付|刷)(?:了)?(?![^，。！？\s]*(?:卡|券))"
                    r"|(?:水电费|暖气费|话费|电费|燃气费|物业费|房租)(?:交|缴|付)了[^，。！？\s]{0,2}?(?:柜台|营业厅|网点)"
                    r"|(?:公众号|官方app|官方平台|官网|官方小程序)[^，。！？\s]{0,4}?(?:里|上)?(?:交|缴|付|买)的"
                    r"|(?:柜台|营业厅|网点|物业)[^，。！？\s]{0,6}?把[^，。！？\s]{0,6}?(?:水电费|暖气费|话费|电费|燃气费|物业费|房租)(?:交|缴|付)了|(?:这|那)(?:个|笔)?是正常的|跟这个?没关系|^(?:上个月|上月|每个月|每月)(?:交|付)(?:了)?(?:房租|话费|水电)")


# 钱已经全额退回到我微信了 / 警察帮我追回来了 全部: all of it came back, so nothing is gone now.
_REFUNDED_ALL = re.compile(r"(?:全额|全部|都|一分不少地?)(?:原路)?(?:退回|退还|退给我|退回来|追回|追回来|要回来|返还)"
                           r"|(?:退回|退还|退回来|追回来|追回|要回来)(?:了)?[^，。！？\s]{0,4}?(?:全部|全额|全到账|一分不少|都到账)"
                           r"|(?:钱|款)[^，。！？\s]{0,4}?(?:已经)?(?:原路)?(?:退回来了|退回了|退给我了|追回来了)(?!一|部分|一半|点)")
_REFUNDED_SPACED = re.compile(r"(?:退回来|追回来|要回来|退回)了?\s+(?:全部|全额|一分不少|都到账了)")
_REFUND_PART = re.compile(r"一部分|部分|一半|只退|只追回|还差|剩下|剩余|没退完|少退")
# 核实了是班主任本人发的 已经交了 / 是转给我弟的 不是骗子 / 机构是正规的 开了发票: the payment was the resident's own business.
_VOUCHED = re.compile(r"(?<!是)(?<!会)不是骗子(?!吧|吗)|核实(?:了|过)?(?:是|确实)|确认(?:了|过)?是(?:她|他)本人|机构是正规的|开了发票|有发票|给了收据"
                      r"|认识好几年|几十年的老朋友|确实是[^，。！？\s]{0,6}?(?:老朋友|本人|亲戚|班主任|老师)|确实找他要钱|房东是我认识")
# An ordinary payment to one's own family or for a household bill, in a message with no scam in it.
_HOUSEHOLD = re.compile(r"(?:给|帮)(?:孙子|孙女|外孙|女儿|儿子|闺女|我弟|我妹|我哥|我姐|老家|爹妈|爸妈|老伴|孩子)[^，。！？\s]{0,6}?(?:转|打|汇|交)(?:了|过|的|(?=[\d一二两三四五六七八九十几]))[^，。！？\s]{0,8}?(?:生活费|学费|零花钱|补习|住院|医药费|房租|红包)"
                        r"|(?:交|缴|付)了(?:这个月的|今年的|上个月的)?(?:房租|水电费|电费|燃气费|物业费|话费|住院押金|学费|医药费|暖气费)")
_SCAM_TALK = re.compile(r"骗|冒充|自称|陌生|客服|警察|公安|法院|领导|对方|那人|那个人|说是|急用|出事|撞了|被抓|链接|共享|验证码|可疑|不对劲|假的"
                        r"|兼职|派活|招工|跑了|打不通|联系不上|找不到|拉黑|平台|群里|年息|收益|理财|投资|赚钱|返利|提现|手续费|解冻|保证金|(?<!住院)押金")


def refunded_in_full(text: str, clauses_: List[Tuple[int, str]], yes: List[Tuple[int, int, str]]) -> bool:
    """Every payment is told before a clause that says all of it came back (and none says only part did)."""
    refunded = [offset for offset, c in clauses_ if _REFUNDED_ALL.search(c) and not _REFUND_PART.search(c)]
    refunded += [m.start() for m in _REFUNDED_SPACED.finditer(text)]  # 追回来了 全部, told over a space
    refunded.sort()
    return bool(refunded) and not _REFUND_PART.search(text[refunded[-1]:]) and all(v[0] < refunded[-1] for v in yes)


def own_errand(text: str) -> bool:
    """The payment is vouched for (核实了是本人, 不是骗子), or a household one in a message with no scam in it."""
    return bool(_VOUCHED.search(text) or (_HOUSEHOLD.search(text) and not _SCAM_TALK.search(text)))


# 我这边倒是没往外转过钱 / 也没给谁转过钱: the resident says none of their money went, whatever came before.
_NONE_SENT = re.compile(r"(?:也|都|从来|根本|倒是|并|压根)(?:就)?(?:没有?|未)(?:往外|给谁|给任何人|给别人|给对方)?(?:转|汇|付|打)过(?:一分)?钱"
                        r"|没(?:有)?(?:给|往|向)(?:谁|任何人|别人|外)[^，。！？\s]{0,3}?(?:转|汇|付|打)过?钱?|一分钱(?:都|也)没(?:转|给|付|少|出)")


def none_sent_after(clauses_: List[Tuple[int, str]]) -> List[int]:
    """Offsets of the clauses that say none of the resident's money went (也没给谁转过钱)."""
    return [offset for offset, c in clauses_ if _NONE_SENT.search(c)]
