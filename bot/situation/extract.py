"""``extract(text) -> Situation``: what the resident says happened, per situation_format.md.

spaCy does the lexical work: the shared blank ``zh`` pipeline (jieba) splits the
message and one PhraseMatcher finds every channel, time, impersonated role and
given-away item term as whole tokens; a few regexes add what a phrase cannot
span (刷了脸, 短信里的数字, 把钱放到门口的鞋盒里).  The rules here decide which
matches stand: the clause they sit in (:mod:`.scope`: negated? only requested?
a question?), a 冒充/自称 in front of a role, the clause that paid, the
impersonator the call was handed to.  The paid / not paid verdict comes from
:mod:`.payment`, the amount from :mod:`.amount`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from bot.normalise import normalise
from bot.situation import lexicon, payment, scope
from bot.situation.amount import sent_amount
from bot.situation.nlp import phrase_matcher, shared_nlp

Span = Tuple[int, int]


@dataclass(frozen=True)
class Situation:
    """The six fields of situation_format.md; ``evidence`` maps a field to the text span it came from."""

    money_sent: str = payment.UNCLEAR
    amount: Optional[int] = None
    channel: Optional[str] = None
    when: Optional[str] = None
    impersonated: Optional[str] = None
    given_away: Tuple[str, ...] = ()
    evidence: Dict[str, Span] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Mention:
    """One lexicon (or pattern) hit: ``field:value`` at a char span, in clause ``clause``."""

    field: str
    value: str
    start: int
    end: int
    clause: int


@functools.lru_cache(maxsize=1)
def _matcher():
    return phrase_matcher(lexicon.labelled_terms())


def mentions(text: str, bounds: List[Tuple[int, str]]) -> List[Mention]:
    """Every lexicon term in ``text`` as (field, value, char span, clause index)."""
    matcher = _matcher()  # first: building it adds the terms to the segmenter
    doc = shared_nlp()(text)
    vocab = doc.vocab.strings
    found = []
    for match_id, start, end in matcher(doc):
        label = vocab[match_id]
        if ":" not in label:
            continue
        span = doc[start:end]
        name, value = label.split(":", 1)
        found.append(Mention(name, value, span.start_char, span.end_char, scope.clause_index(bounds, span.start_char)))
    # A longer match hides the shorter ones inside it (今天上午 over 上午).
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: List[Mention] = []
    for m in found:
        if not any(k.start <= m.start and m.end <= k.end and (k.end - k.start) > (m.end - m.start) for k in kept):
            kept.append(m)
    return kept


# --- when ------------------------------------------------------------------------

_AGO = re.compile(r"([\d一二两三四五六七八九十几半]+)\s*(多)?\s*(分钟|个多?小时|个?钟头|小时|天|个?星期|周|个?礼拜|个?月|年)(多)?(前|之前|以前)")
_PART_OF_DAY = {"早上", "上午", "中午", "下午", "傍晚", "晚上"}
# 刚 before an act (刚转, 刚下好, 刚开了一会); 刚开始 / 刚认识 are dropped below.
_JUST = re.compile(r"刚(?=[把给用扫转付汇打交充买在从发被下开装点输报说念刷录拍取借收接挂])")


def _ago(text: str) -> List[Tuple[str, int, int]]:
    found = []
    for match in _AGO.finditer(text):
        count, unit = match.group(1), match.group(3)
        if "分钟" in unit:
            value = "just_now"
        elif "小时" in unit or "钟头" in unit:
            value = "just_now" if count in ("半", "一", "1") and not match.group(2) and "多" not in unit else "today"
        elif unit == "天":
            value = "days"
        else:
            value = "weeks"
        found.append((value, match.start(), match.end()))
    return found


def _when(text: str, found: List[Mention], bounds, decisive: Optional[int]) -> Tuple[Optional[str], Optional[Span]]:
    times = [(m.value, m.start, m.end, m.clause, text[m.start:m.end]) for m in found if m.field == "when"]
    for match in _JUST.finditer(text):
        if not any(t[1] <= match.start() < t[2] for t in times):
            times.append(("just_now", match.start(), match.end(), scope.clause_index(bounds, match.start()), "刚"))
    for value, start, end in _ago(text):
        times = [t for t in times if not (start <= t[1] < end)]
        times.append((value, start, end, scope.clause_index(bounds, start), text[start:end]))
    times = [t for t in times if not (t[4] == "刚" and text[t[2]:t[2] + 2] in ("开始", "认识"))]
    if not times:
        return None, None
    # 昨天早上: the day decides, the part of day does not.
    days = {t[3] for t in times if t[0] in ("days", "weeks")}
    times = [t for t in times if not (t[4] in _PART_OF_DAY and t[3] in days)]
    in_decisive = [t for t in times if t[3] == decisive]
    chosen = sorted(in_decisive or times, key=lambda t: t[1])[0]
    return chosen[0], (chosen[1], chosen[2])


# --- channel ---------------------------------------------------------------------

_MESSAGING = re.compile(r"(?:加|发)(?:了)?(?:我|他|她|对方)?(?:的)?微信(?!转|支付|红包|付)|微信上(?:有个|有人|认识|聊)"
                        r"|微信(?:好友|群|聊天|视频|电话|语音|号)")
# Cash left where someone picks it up: 把钱放到门口的鞋盒里, 装进信封; 上门来取钱.
_CASH_DROP = re.compile(r"(?:放|搁|藏|装|塞)(?:到|在|进)了?[^，。！？\s]{0,8}?(?:" + "|".join(lexicon.DROP_PLACES) + r")"
                        r"|上门(?:来)?(?:取|拿|收)")
_DRAWN_BY_OTHERS = re.compile(r"被(?:人|他|她|别人|骗子|对方)?(?:在[^，。！？\s]{0,4})?$")


_ACCOUNT_STATE = re.compile(r"(?:被)?(?:冻结|冻住|异常|涉嫌|涉案|有问题|出问题|升级|号|照片|正反面)")
# A clause where money goes somewhere: a paying verb, a sum, 钱.
_MONEY_MOVES = re.compile(payment.VERB + r"|钱|[\d一二两三四五六七八九十百千万]\s*(?:万|千|百|块|元|w|k)|取|借|提现|到账|拦"
                          r"|atm|柜台|取款机|打开|登录|操作")
_WIRED = re.compile(r"打款|汇款|汇了|汇过去|汇出|汇(?=[\d一二两三四五六七八九十几])|对公|公户|atm")


def _channel(text: str, found: List[Mention], bounds, decisive: Optional[int],
             status: str = payment.UNCLEAR) -> Tuple[Optional[str], Optional[Span]]:
    channels = [m for m in found if m.field == "channel"]
    channels += [Mention("channel", "cash", m.start(), m.end(), scope.clause_index(bounds, m.start()))
                 for m in _CASH_DROP.finditer(text)]
    # 卡被人在外地取了两万: drawn from the card by someone else, so the channel is the card.
    channels = [m for m in channels if not (m.value == "cash" and _DRAWN_BY_OTHERS.search(text[:m.start]))]
    # A bare 卡 names the channel only in a message about money moving (我的卡给人刷了, 钱还没转 卡冻结了),
    # not in 民警说我的卡涉案.
    channels = sorted((m for m in channels if text[m.start:m.end] != "卡" or decisive is not None), key=lambda m: m.start)
    channels = [m for m in channels if not (m.value == "wechat" and _MESSAGING.search(text[max(0, m.start - 3):m.end + 4]))]
    # 账户冻结了 / 银行卡涉嫌洗钱 / 填了银行卡和密码: the account is talked about, no money moves through it.
    # 卡里钱没少: the money stayed, so the card says nothing about where it went.
    channels = [m for m in channels if not payment._INTACT.search(bounds[m.clause][1])]
    channels = [m for m in channels if not _ACCOUNT_STATE.match(text, m.end)
                and (status == payment.YES or m.clause == decisive or _MONEY_MOVES.search(bounds[m.clause][1])
                     or re.search(r"(?:要|用|通过|收)$", text[max(0, m.start - 1):m.start]))]
    if not channels:
        if decisive is not None and _WIRED.search(bounds[decisive][1]):
            return "bank", (bounds[decisive][0], bounds[decisive][0] + len(bounds[decisive][1]))  # 打款二十万, 汇了六万
        return None, None
    explicit = [m for m in channels if m.value != "bank"] or channels
    in_decisive = [m for m in explicit if m.clause == decisive]
    chosen = (in_decisive or explicit)[0]
    return chosen.value, (chosen.start, chosen.end)


# --- impersonated ----------------------------------------------------------------

_CUE = re.compile(r"(?:冒充|自称|假冒|假装|说是|说他是|说她是|称是|装成|扮成|谎称|假扮|冒称|所谓的?)(?:是)?[^，。！？,.!?]{0,8}$")
# Roles that are the resident's own people unless a cue (冒充我老公) or a classic story says otherwise.
_FAMILY = {"儿子", "女儿", "孙子", "孙女", "外孙", "老公", "老婆", "丈夫", "女婿", "儿媳", "儿媳妇", "侄子", "侄女",
           "外甥", "外甥女", "表哥", "表姐", "表弟", "表妹", "堂哥", "堂弟", "舅舅", "舅妈", "姑姑", "姨妈", "叔叔",
           "表舅", "表叔", "表姑", "姨夫", "姑父", "亲戚", "同学", "大学同学", "朋友", "战友", "老乡",
           "干儿子", "干女儿", "二姨", "大姨", "小姨", "姨", "大舅", "二舅", "小舅", "姑妈", "大伯", "室友", "发小",
           "闺蜜", "邻居"}
_FAMILY_STORY = re.compile(r"借钱|换了?新号|手机丢了|出事|住院|被抓|车祸|急用|打架|急需")
# 钉钉上主任发消息让我转钱: office roles in an office chat are the classic fake boss.
_OFFICE_ROLES = {"主任", "经理", "同事", "车间主任", "办公室主任", "部门经理"}
_OFFICE_CHAT = re.compile(r"钉钉|企业微信|飞书|工作群|公司群|单位群")
# Say little even when cued: 自称是12345的工作人员说要帮我办医保退费 is about 医保.
_VAGUE_ROLES = {"工作人员", "商家", "一个女的", "一个男的"}
# The platform or bank the story happens on (贷款平台扣了我会员费, 被银行的人劝住了) is no impersonation
# unless someone claims to be it (说是贷款平台的客服).
_VENUE_ROLES = {"贷款平台", "网贷平台", "贷款公司", "贷款app", "金融公司", "银行的", "银行工作人员", "平台的", "银行经理", "银航的",
                "财务", "人事", "会计", "出纳"}
_WEAK_ROLES = _FAMILY | _OFFICE_ROLES | _VAGUE_ROLES | _VENUE_ROLES | {"医院", "导师", "教练", "校长"}
# 抖音上认识个女的, 一个男的加我微信: the classic opening of a romance scam.
_ONLINE_STRANGER = re.compile(r"(?:网上|网络|抖音|快手|微信|软件|游戏|app|平台|交友|直播|陌陌|探探)[^，。！？]{0,6}认识(?:的|了)?(?:一?个)?(?:男|女)"
                              r"|一?个(?:女|男)的(?:加|主动加)(?:了)?我")
_REPORTING = re.compile(r"报警|报案|去了?派出所|到派出所|打了?110|打110|反诈中心说|民警说这是")
# 转接到公安局的警官, 又转给一个警察: the call is handed on to the next impersonator.
_HANDOVER = re.compile(r"(?:转接|转给|转到|转至|接通|连线|移交|转交)(?:了|到|给)?(?:一个|一位|个)?[^，。！？\s]{0,4}$")


# Someone posing as a person the resident knows without naming a role: 有人冒充我, 用了俺儿子的头像,
# 用我爸的微信发语音, 声音跟我一模一样.
_POSED_AS_KIN = re.compile(r"(?:冒充|自称是?|假装是?|扮成|装成)(?:我|俺)(?![们的家])"
                           r"|用(?:了)?(?:我|俺)[^，。！？\s]{0,5}?的(?:头像|微信|qq|照片|号|名字)"
                           r"|声音(?:就是|跟|和|像)[^，。！？]{0,6}?(?:一模一样|一样|的)")
# 处对象, 喊俺老公, 说要娶我: the online partner of a romance scam.
_ROMANCE = re.compile(r"处对象|谈对象|搞对象|要娶|娶我|嫁给我|(?:喊|叫)(?:我|俺)?(?:老公|老婆)|亲爱的|网恋|网上的(?:男|女)朋友")
# A cued 反诈中心 / 反诈民警 (kept whole as a neutral word for the real app) is a fake policeman.
_FAKE_ANTIFRAUD = re.compile(r"(?:冒充|自称|假冒|说是|说他是|说她是|称是|谎称)(?:是)?(?:国家)?反诈(?:中心|民警|警官|专员)?")
# The teller of the story (我老婆说, 俺女婿说), the resident's own partner (我男朋友) and an investment
# group's 老师 are nobody's disguise.
_OWN_PEOPLE = re.compile(r"[我俺](?:的|家)?$")
_TELLS = re.compile(r"^(?:说|跟我说|告诉我|讲|不知道|也|刚才说|今天说)")
_INVESTMENT = re.compile(r"炒股|股票|投资|理财|带单|荐股|期货|外汇|课程|讲课|股群")
# A venue role acting: 贷款平台说 / 让我, 平台的客服.
_ACTING = re.compile(r"^(?:的?客服|说|让|要|叫|打电话|打来|联系|发)")


def _impersonated(text: str, found: List[Mention], status: str, bounds=None) -> Tuple[Optional[str], Optional[Span]]:
    """The role the scammer played; when the call was handed on, the role it was handed to."""
    roles = []
    for m in found:
        if m.field != "impersonated":
            continue
        term = text[m.start:m.end]
        before = text[max(0, m.start - 14):m.start]
        after = text[m.end:m.end + 6]
        cued = bool(_CUE.search(before))
        if m.value == "police" and not cued and bounds and _REPORTING.search(
                "".join(bounds[i][1] for i in range(max(0, m.clause - 1), m.clause + 1))):
            continue  # the resident going to the real police
        if m.value == "customer_service" and not cued and re.search(
                r"官方客服|我打了?.{0,4}客服|打.{0,4}银行.{0,2}客服电话|(?:你们|银行)的?客服电话", text[max(0, m.start - 8):m.end + 2]):
            continue
        if not cued and _OWN_PEOPLE.search(text[max(0, m.start - 2):m.start]) and (
                m.value == "romance" or (term in _FAMILY and _TELLS.search(after))):
            continue
        if m.value == "teacher" and not cued and term in ("老师", "导师") and _INVESTMENT.search(text):
            continue
        weak = term in _WEAK_ROLES
        if term in _VENUE_ROLES and _ACTING.search(after):
            weak = False
        story = _FAMILY_STORY.search(text) or (term in _OFFICE_ROLES and _OFFICE_CHAT.search(text))
        if weak and not cued and not (m.value == "leader_acquaintance" and story):
            continue
        # 冒充她孙子 beats 说在派出所; a cued 工作人员 says less than the 医保 after it.
        roles.append((0 if cued and term not in _VAGUE_ROLES else 1 if not weak else 2, m.start, m))
    # 我儿子的辅导员, 女儿学校的老师: the role is the head noun, not the child it belongs to.
    roles = [r for r in roles if not (text[r[2].start:r[2].end] in _FAMILY and any(
        o[2].start >= r[2].end and o[2].start - r[2].end <= 5 and "的" in text[r[2].end:o[2].start + 1]
        for o in roles if o is not r))]
    for pattern, value, rank in ((_FAKE_ANTIFRAUD, "police", 0), (_POSED_AS_KIN, "leader_acquaintance", 1),
                                 (_ROMANCE, "romance", 1)):
        match = pattern.search(text)
        if match:
            roles.append((rank, match.start(), Mention("impersonated", value, match.start(), match.end(), 0)))
    if any(r[2].value == "romance" and r[0] <= 1 for r in roles):
        # 喊俺老公 / 她妈住院了: the partner's words, not a relative.
        roles = [r for r in roles if not (r[2].value == "leader_acquaintance" and r[0] > 0)]
    stranger = _ONLINE_STRANGER.search(text)
    if stranger:
        roles.append((1, stranger.start(), Mention("impersonated", "romance", stranger.start(), stranger.end(), 0)))
    if not roles:
        return None, None
    handed = [r for r in roles if _HANDOVER.search(text[max(0, r[1] - 12):r[1]])]
    if handed:
        chosen = max(handed, key=lambda r: r[1])[2]
    else:
        chosen = sorted(roles, key=lambda r: (r[0], r[1]))[0][2]
    return chosen.value, (chosen.start, chosen.end)


# --- given away ------------------------------------------------------------------

# Read on a clause whose afterthoughts (不知道, 怎么办, 不小心) are masked.
_HELD_BACK = re.compile(r"没有?|未|(?<!一)不(?=给|说|告诉|发|报|开|提供|输|填|念|刷|录|拍|共享|同意|肯|敢|能|要|会|想)"
                        r"|(?<![识区辨鉴告类级性特个])别(?=把|给|说|告诉|开|发|信|点)|拒绝|差点|差一点|差一步|险些|要不要|能不能|可不可以|可以.*吗|吗"
                        r"|(?<![开下装个叫用])什么|怎么|么$|只要|如果|要是|是不是|会不会|哪|[?？]|千万|防")
# 他说验证码发错了 is the scammer's word; 我说了密码 and 按他说的 are the resident's act.
_REQUEST = re.compile(r"(?:让|叫|要|喊|要求|需要|逼|催|骗|教|问|(?<![我俺妈爸伴儿女奶爷姥婆哥姐弟妹还])说(?![了的]))(?:我|我们|您|你|他|她)?")
# Something was done with the item: 说了密码, 验证码发他了; 我的密码是我生日 hands nothing over.
_ACT = re.compile(r"了|过|着|给|告诉|说|发|报|念|输|填|开|拍|录|刷|提供|照做|交|做|共享|分享")
_COMPLIED = re.compile(r"^\s*(?:[我俺他她](?:妈|爸|老伴|家老头子?|奶奶|爷爷)?|老人|老伴|他老人家)?(?:就|也|都|还|当时|最后|只好|已经|刚|刚刚|马上|立马)?"
                       r"(?:对着[^，。！？\s]{0,4}?)?(?:照做了|照着做了|按他说的做了|开了|"
                       r"给了|给他了|说了|发了|发过去了|做了|弄了|告诉他了|告诉了|同意了|报了|报给他了|念了|念给他了|打开了|"
                       r"输了|填了|提供了|录了|拍了|刷了|共享了|传了|上传了|交了|拍了发过去了)")
# 我给了卡号 answers for the card number, not for the code asked for beside it.
_OTHER_OBJECT = re.compile(r"^[^，。！？\s]{0,8}?(?:了|给他|过去)\s*(?:银行)?(?:卡号|身份证号|名字|地址|账号)")
# 没开 / 我说我不会弄 / 验证码犹豫了没给: a refusal said after the request.
_REFUSED = re.compile(r"^\s*(?:[我俺他她](?:妈|爸)?)?(?:说我)?(?:就|也|都|还|最后|犹豫了)?"
                      r"(?:(?:没有?|不|没敢|不敢)(?:给|发|说|告诉|报|开|刷|录|拍|共享|弄|同意|答应|提供|输|填|念|传)|不会弄|拒绝)")
# The act named after the item in the same clause: 要我拍身份证发给他我拍了发过去了.
_DID_IT = re.compile(r"[我俺她他](?:就|也|都|还)?(?:照做|拍|发|念|告诉|说|报|给|开|刷|录|输|填|传|做)了")
# 看到了他手机银行的密码 through a screen share: seen, not handed over.
_SEEN = re.compile(r"(?:看到|看见|看着|偷看|窥)(?:了)?[^，。！？\s]{0,8}$")
# Gift-card 卡密 (把卡背面那个密码拍给他) is the money, not a password.
_CARD_SECRET = re.compile(r"(?:充值卡|购物卡|京东卡|礼品卡|点卡|e卡|卡背面|卡背后|话费卡|油卡|超市卡)")


# Item words with a verb between them, which a phrase cannot span: 拍了身份证, 刷了脸, 短信里的数字.
_GAPPED = {
    "id_photo": re.compile(r"拍(?:了|下)?(?:张|一张)?(?:我的)?身份证|身份证(?:拍|照)"
                           r"|(?<=身份证)[^。！？]{0,12}?拍(?:了|下)?(?:张|一张)?(?:照片|照)"
                           r"|身份证[^，。！？\s]{0,6}?拍(?:给|了|过去)|拍了(?:我|俺)?[^，。！？\s]{0,4}?的?身份证"),
    "screen_share": re.compile(r"(?:共享|分享)(?:了|一下)?(?:我的)?(?:手机)?屏幕"),
    "face": re.compile(r"刷(?:了|了个|个|一下|下)脸|对着(?:手机|镜头|摄像头)[^，。！？\s]{0,6}?(?:眨|摇|点头|张嘴|转头|念|刷)"
                       r"|录像|(?:视频|镜头)(?:里|前|上)[^，。！？\s]{0,3}?念|视频做笔录|念(?:了)?一段(?:保证书|声明|话)(?=[^，。！？]*视频)"
                       r"|(?<=视频)[^。！？]{0,16}?念(?:了)?(?:一段|一遍)?(?:保证书|声明|话)"
                       r"|眨(?:了|眨|一下)?眼|录(?:了|制了?)?(?:一段|一个|个|段)[^，。！？\s]{0,4}?视频"),
    "verification_code": re.compile(r"(?:短信|信息)(?:里|上|中)?的?(?:那个|那串|几个)?(?:数字|号码|码|六位数|6位数)"
                                    r"|(?:收到|发来)的(?:那个|那串|几个)?(?:六位数|6位数|数字|码)"),
}


def _complied_later(later: List[str]) -> bool:
    """The resident did it in one of the next clauses: 俺告诉了, after the scammer's 说是… reasons or 还要… asks."""
    for clause in later:
        if _COMPLIED.search(clause) and not _OTHER_OBJECT.search(clause) and not _HELD_BACK.search(clause):
            return True
        if not re.match(r"\s*(?:说|还|又|再|他说|她说|对方说|然后)", clause):
            return False
    return False


def _later_refusal(later: List[str], item: str) -> bool:
    """没开 right after the request, or the item named again and held back (验证码犹豫了没给)."""
    for index, clause in enumerate(later):
        if item[:2] in clause and re.search(r"没有?(?:给|发|说|告诉|报|开|刷|录|拍)|不给|拒绝", clause):
            return True
        if index < 2 and _REFUSED.search(clause) and not _COMPLIED.search(clause):
            return True
    return False


def _given_away(text: str, found: List[Mention], bounds) -> Tuple[Tuple[str, ...], Optional[Span]]:
    """Items the resident handed over: done and not held back in their clause, or requested and then done."""
    gapped = set()  # these spans hold their own verb (刷了脸)
    for value, pattern in _GAPPED.items():
        for match in pattern.finditer(text):
            if not any(m.start <= match.start() < m.end for m in found if m.field == "given_away"):
                found = found + [Mention("given_away", value, match.start(), match.end(),
                                         scope.clause_index(bounds, match.start()))]
                gapped.add(match.span())
    found = sorted(found, key=lambda m: m.start)
    found = [m for m in found if not (m.value == "password" and (
        _SEEN.search(text[max(0, m.start - 12):m.start]) or _CARD_SECRET.search(text[max(0, m.start - 30):m.start])
        or re.search(r"(?:改|修改|换|重置|设置)(?:了|掉了?)?(?:我的|一下)?$", text[max(0, m.start - 5):m.start])))]
    given: List[str] = []
    first: Optional[Span] = None
    for m in found:
        if m.field != "given_away" or m.value in given:
            continue
        clause = scope.without_afterthoughts(bounds[m.clause][1])
        start, end = m.start - bounds[m.clause][0], m.end - bounds[m.clause][0]
        if _HELD_BACK.search(clause):
            continue
        request = _REQUEST.search(clause)
        requested = request and request.start() < start and (
            request.group().startswith("说") or not re.search(r"(?<!让我)了", clause[request.end():]))
        own_verb = ((m.start, m.end) in gapped and "了" in text[m.start:m.end]  # 录了个视频, 刷了脸
                    or bool(re.search(r"(?:报|告诉|发|给|念|输|填|传)(?:了|给了)(?:个|一个|他|她|对方)?\s*$", clause[:start])))
        later = [scope.without_afterthoughts(bounds[i][1]) for i in range(m.clause + 1, min(m.clause + 4, len(bounds)))]
        if _later_refusal(later, text[m.start:m.end]):
            continue
        if requested and not own_verb:
            # 要我拍身份证发给他我拍了发过去了 / 说是帮俺抢购鸡蛋 俺告诉了 / 还要人脸 我都做了
            if not (_DID_IT.search(clause[end:]) or _complied_later(later)):
                continue
        elif (m.start, m.end) not in gapped and not _ACT.search(clause[:start] + scope.MASK + clause[end:]):
            if not _complied_later(later[:1]):  # 共享屏幕 我开了
                continue
        given.append(m.value)
        first = first or (m.start, m.end)
    return tuple(given), first


def extract(text: str) -> Situation:
    """Read the six situation fields from one resident message."""
    clean = normalise(text or "")
    if not clean.strip():
        return Situation()
    bounds = scope.clauses(clean) or [(0, clean)]
    status, verdicts = payment.money_sent(clean, bounds)
    decisive_span = next(((s, e) for s, e, v in verdicts if v == status), None)
    decisive = None
    if decisive_span:
        decisive = scope.clause_index(bounds, decisive_span[0])
    found = mentions(clean, bounds)
    evidence: Dict[str, Span] = {}
    amount, evidence["amount"] = sent_amount(clean, status, verdicts, bounds)
    channel, evidence["channel"] = _channel(clean, found, bounds, decisive, status)
    when, evidence["when"] = _when(clean, found, bounds, decisive)
    impersonated, evidence["impersonated"] = _impersonated(clean, found, status, bounds)
    given_away, evidence["given_away"] = _given_away(clean, found, bounds)
    if decisive_span:
        evidence["money_sent"] = decisive_span
    return Situation(status, amount, channel, when, impersonated, given_away,
                     {k: v for k, v in evidence.items() if v is not None})
