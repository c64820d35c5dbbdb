"""Where a negation, a doubt or a request reaches: clauses, and words that reach nowhere.

A clause ends at punctuation, at a space (voice input and elderly typists mark
pauses with spaces, not commas: ``共享屏幕 我开了``) and at 但是 / 然后 / 后来.
The paid / not paid verdict (:mod:`.payment`) and the given-away items
(:mod:`.extract`) are decided clause by clause, so a 没 or a 吗 only takes
back what sits in its own clause.

Two kinds of words are masked (replaced by ``□``, so offsets do not move) before
the clause rules look for negations and paying verbs:

* afterthoughts: the resident's worry once the act is done (怎么办, 不知道,
  不小心, 是不是被骗了, 还能追回吗), which hold a 不 / 吗 / 是不是 that must not
  read as "did not happen";
* things that are not a payment after a paying verb (买了菜, 交了个网友, 投了简历,
  把视频转给我儿子, 转了转头, 把验证码骗走了) and money coming in (他先给我转了500,
  往我卡里打了五千, 收到一笔转账, 说是转错了), so 买 / 交 / 投 / 转 / 骗走 there is no payment.
"""
from __future__ import annotations

import bisect
import re
from typing import List, Tuple

MASK = "□"

# Not at 、 (要我提供卡号、密码、验证码 is one request) nor inside 1,200 / 2.5.
# Spaces end a clause (voice input: 他让我转钱 我就转了), but not between English words (i paid with my card).
_CLAUSE = re.compile(r"[，。！？；!?;…\n]+|(?<!\d)[,.]+|[,.]+(?!\d)|(?<![a-z'])\s+|\s+(?![a-z])|(?:但是|可是|然后|后来|结果|不过)"
                     # 让我说一下验证码我就念给他了: the resident's act after the request is a clause of its own.
                     r"|(?<=[\u4e00-\u9fff])(?=(?:我|俺|她|他|咱)(?:就|便|也就|只好|还是)(?!是|想|问|说|不|没|怕|觉|感|知|要|会|能))")

AFTERTHOUGHTS = re.compile(
    r"怎么办|咋办|怎么弄|咋整|怎么回事|不知道|不晓得|不清楚|不小心|不对劲|不对|要不要紧|有没有事|有没有问题|有没有风险"
    r"|会不会有(?:事|问题|风险|影响)|会不会被骗|是不是(?:被骗了?|上当了?|诈骗|骗子|骗局)|(?:还)?能(?:不能)?追回(?:来)?吗?"
    r"|(?:追|要|拿|退|找)(?:得)?回来吗|还来得及吗|(?:可以|能)报警吗|没想到|没办法|没多想|没注意|没看清|没反应过来|没(?:有)?怀疑|急急急"
)

# Objects that make 买 / 交 / 投 / 转 / 发 / 放 / 打 / 存 something other than paying.
_NOT_MONEY = (r"(?:菜|饭|早饭|午饭|晚饭|衣服|东西|商品|购物车|手机|玩具|朋友|网友|男朋友|女朋友|对象|简历|视频|链接|截图|照片"
              r"|图片|消息|信息|短信|文章|二维码|网址|聊天记录|电话|号码|票|车票|机票|快递|包裹|假|学|材料|资料|作业|申请"
              r"|复印件|身份证)")
# What 没给 / 没开 leaves out when it is the seller's: (我)(开)(张)收据, not the resident's money.
NO_RECEIPT = r"(?:我|俺|我们)?(?:开)?(?:个|张)?(?:收据|发票|凭证|单据|票据|小票|借条)"
_NOT_PAYING = re.compile(
    r"(?:把|将)(?:这个|那个|这条|那条|这些|那些|他的|他发的|我的)?" + _NOT_MONEY + r"[^，。！？\s]{0,4}?(?:转|发|放|投|交|买|打|存)"
    r"|(?:转|发|放|投|交|买|打|加|存)了?(?:到|进|在)?(?:个|一个|一份|一下|几个|些|点|张|两张|他的|她的|我的)?" + _NOT_MONEY
    # Money coming in (他先给我转了500, 转到我卡上) and a turned head (转了转头) are not payments.
    + r"|给我(?:用)?(?:微信|支付宝|卡上|卡里)?(?:转|汇|打|发)|(?:给|转|打|发)了我(?!妈|爸|儿|女|老|孙|家|朋|的)|(?:转|汇|打)(?:给|到|进)我(?!妈|爸|儿|女|老|孙|家|朋)|转(?:了)?(?:转|一下|一圈)?(?:头|身)"
    # 往我卡里打了五千, 收到一笔三千的转账, 他说转错了 / 误转: the money came in, and the refund is asked next.
    + r"|(?:往|向)我(?!妈|爸|儿|女|老|孙|家|朋)的?[^，。！？\s]{0,4}?(?:打|转|汇)|收到[^，。！？\s]{0,10}?(?:转账|转帐|转的|转来|汇款|汇的|打来|打的|红包)"
    + r"|(?:说|称)(?:是|他|她|对方)?(?:转|打|汇)错了?|误(?:转|打|汇)"
    # 转到俺的卡上, 转了五千到银行卡, 转给我自己的另一张卡: the resident's own money moving between own accounts.
    + r"|(?:转|汇|打)(?:了)?[^，。！？\s]{0,8}?(?:到|给|进)(?:我|俺|(?:她|他)(?=自己))(?:自己)?的?(?:另一张|另外一张|别的)?[^，。！？\s的]{0,3}?(?:卡|账户)"
    + r"|(?:余额宝|零钱|支付宝|微信)[^，。！？\s]{0,8}?(?:转|提现)(?:了)?[^，。！？\s]{0,6}?到(?:银行卡|卡里|卡上)"
    # 有人帮我交了医保, 先帮我垫付了一万, 人家给她转了一千块: someone paid for or to the resident.
    + r"|(?:有人|人家|对方|那人|他|她)(?:先)?帮(?:我|俺)(?:先)?(?:垫付|垫|交|付)了?|先帮(?:我|俺)(?:垫付|垫)了?|(?:人家|对方|那人|有人|骗子|他先)给(?:我|俺|她|他|我妈|我爸)(?:用)?(?:微信|支付宝)?(?:转|汇|打)"
    # 把银行卡借给一个老乡: a card lent, not money; 在国外被人扣了: a person held.
    + r"|(?:把)?(?:银行卡|卡|账户|手机卡|电话卡)借给|被人?扣(?:住|押|下)|在[^，。！？\s]{0,6}?被(?:人)?扣了"
    # 上个月交了物业费, 存了两万: ordinary bills and deposits.
    + r"|交了(?:这个月的|上个月的|今年的)?(?:物业费|水电费|燃气费|电费|水费|话费|房租|党费)|(?:银行|柜台|网点)[^，。！？\s]{0,6}?存了"
    # 把验证码骗走了 / 密码被他偷了: an item was taken, not money (given_away reads it).
    + r"|(?:验证码|密码|身份证|账号|号|微信|qq|个人信息|信息|照片)(?:被|让|叫|给)?[^，。！？\s转汇付打充交]{0,6}?(?:骗(?!子)|拿|偷|盗)走?了?"
    + r"|(?:骗|拿|偷|盗|套)走?了?(?:我的)?(?:验证码|密码|身份证|账号|个人信息|信息|照片)"
    # 现金给他了也没给收据: the other side gave no receipt, which refuses nothing of the resident's.
    + r"|(?:也|都|又|还|他|她|对方)?没(?:有)?(?:给|开)" + NO_RECEIPT
)


def clauses(text: str) -> List[Tuple[int, str]]:
    """(offset, clause) pieces of ``text``; see the module docstring for where they end."""
    pieces, position = [], 0
    for match in _CLAUSE.finditer(text):
        if match.start() > position:
            pieces.append((position, text[position:match.start()]))
        position = match.end()
    if position < len(text):
        pieces.append((position, text[position:]))
    return pieces


def clause_index(bounds: List[Tuple[int, str]], position: int) -> int:
    """The index of the clause that holds character ``position``."""
    return max(bisect.bisect_right([offset for offset, _ in bounds], position) - 1, 0)


def _mask(pattern: re.Pattern, text: str) -> str:
    return pattern.sub(lambda m: MASK * len(m.group()), text)


def without_afterthoughts(text: str) -> str:
    """``text`` with the resident's after-the-fact worries masked."""
    return _mask(AFTERTHOUGHTS, text)


# "你转了就没事了": the scammer's words, quoted; a short quote is a so-called role (“警察”).
# Quotes pair in order, so a short quoted name ("驾校教练"转了一千八 说是"加急费") never
# makes the text between two quotes look like a quotation.
_QUOTED = re.compile(r"[\"“「][^\"”」]*[\"”」]")
QUOTE_MIN = 5


def mask_quotes(text: str) -> str:
    """``text`` with quoted speech of five characters or more masked (offsets kept)."""
    return _QUOTED.sub(lambda m: MASK * len(m.group()) if len(m.group()) - 2 >= QUOTE_MIN else m.group(), text)


def for_payment(text: str) -> str:
    """``text`` with afterthoughts and non-money objects masked, as the payment rules read it
    (quoted speech is masked once, over the whole message: :func:`mask_quotes`)."""
    return _mask(_NOT_PAYING, without_afterthoughts(text))


def clause_end(clauses_: List[Tuple[int, str]], offset: int) -> int:
    """Where the clause that starts at ``offset`` ends."""
    return next(o + len(c) for o, c in clauses_ if o == offset)
