"""Who the scammer claimed to be (``impersonated``), per the annotation rules.

A role counts when someone claims it (冒充 / 自称 / 说是 in front), when the role
is itself telling (公安, 客服), or when the story is the classic one for it (a
"grandson" who needs money); the resident's own people telling the story, the
real police they went to and an investment group's 老师 do not.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from bot.situation.mentions import Mention, Span


_CUE = re.compile(r"(?:冒充|自称|假冒|假装|说是|说他是|说她是|称是|装成|扮成|谎称|假扮|冒称|所谓的?)(?:是)?[^，。！？,.!?]{0,8}$|[“\"「]$")
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
# A card or a pension named in a question (我想办一张社保卡, 养老金啥时候涨) is nobody's disguise.
_SERVICE_WORDS = {"医保", "社保", "医保卡", "社保卡", "养老金", "医疗保险"}
_CALLER = re.compile(r"有人|有个|电话|短信|来电|打来|骗子|对方|冒充|自称|说是|他说|她说|通知|链接|加我"
                     r"|要停|停了|停保|冻结|异常|盗刷|冒用|升级|认证|年审|过期|注销")
_WEAK_ROLES = _FAMILY | _OFFICE_ROLES | _VAGUE_ROLES | _VENUE_ROLES | {"导师", "教练", "校长"}
# 抖音上认识个女的, 一个男的加我微信: the classic opening of a romance scam.
_ONLINE_STRANGER = re.compile(r"(?:网上|网络|抖音|快手|微信|软件|游戏|app|平台|交友|直播|陌陌|探探)[^，。！？]{0,6}认识(?:的|了)?(?:一?个)?(?:男|女)"
                              r"|一?个(?:女|男)的(?:加|主动加)(?:了)?我")
_REPORTING = re.compile(r"报警|报案|去了?派出所|到派出所|打了?110|打110|反诈中心说|民警说这是|劝住|劝阻|拦住|过来把|在派出所")
# 打电话给班主任, 问了辅导员, 老板跑路了: the real person, or the boss of a scheme.
_REAL_CONTACT = re.compile(r"(?:打(?:电话|了个电话)?给|问了?|问问|联系了?|找了?)(?:一下)?(?:孩子的?|我们|她的?|他的?)?$")
_SCHEME_BOSS = re.compile(r"^(?:跑路|卷款|失联|带着|说投资|的项目)")
# 转接到公安局的警官, 又转给一个警察: the call is handed on to the next impersonator.
_HANDOVER = re.compile(r"(?:转接|转给|转到|转至|接通|连线|移交|转交)(?:了|到|给)?(?:一个|一位|个)?[^，。！？\s]{0,4}$")


# Someone posing as a person the resident knows without naming a role: 有人冒充我, 用了俺儿子的头像,
# 用我爸的微信发语音, 声音跟我一模一样.
_POSED_AS_KIN = re.compile(r"(?:冒充|自称是?|假装是?|扮成|装成)(?:我|俺)(?![们的家])"
                           r"|用(?:了)?(?:我|俺)[^，。！？\s]{0,5}?的(?:头像|微信|qq|照片|号|名字)"
                           r"|声音(?:就是|跟|和|像)[^，。！？]{0,6}?(?:一模一样|一样|的)")
# 处对象, 喊俺老公, 说要娶我: the online partner of a romance scam.
_ROMANCE = re.compile(r"处对象|谈对象|搞对象|要娶|娶我|嫁给我|(?:喊|叫)(?:我|俺)?(?:老公|老婆)|亲爱的|网恋|网上的(?:男|女)朋友"
                      r"|[“\"](?:老公|老婆|男朋友|女朋友|对象)[”\"]|认识的(?:老公|老婆|男朋友|女朋友)")
# A cued 反诈中心 / 反诈民警 (kept whole as a neutral word for the real app) is a fake policeman.
_FAKE_ANTIFRAUD = re.compile(r"(?:冒充|自称|假冒|说是|说他是|说她是|称是|谎称)(?:是)?(?:国家)?反诈(?:中心|民警|警官|专员)?")
# The teller of the story (我老婆说, 俺女婿说), the resident's own partner (我男朋友) and an investment
# group's 老师 are nobody's disguise.
_OWN_PEOPLE = re.compile(r"[我俺](?:的|家)?$")
# The resident's "partner" who wants money, is abroad or was met online: a romance scam after all.
_PARTNER_SCAM = re.compile(r"转给(?:我)?(?:男|女)朋友|给(?:他|她)转|让我(?:帮他|帮她|投|转|充|交|买)|回国|海外|国外|新加坡|迪拜"
                           r"|网上那个|网上的|没见过面")
_TELLS = re.compile(r"^(?:说|跟我说|告诉我|讲|不知道|也|刚才说|今天说)")
_INVESTMENT = re.compile(r"炒股|股票|投资|理财|带单|荐股|期货|外汇|课程|讲课|股群|炒币|币群|保健品|讲座|养生")
# 说是银保监会的, 自称支付宝安全中心的, 说是小区物业的: a claimed body, by what it is.
_CLAIMED_BODY = re.compile(r"(?:冒充|自称|假冒|说是|说他是|说她是|说自己是|称是|谎称)(?:是)?[“\"「]?"
                           r"(?P<body>[^，。！？,.!?\s“”\"]{1,12}?)(?=[”\"」]?(?:的|工作人员|客服|干部|专员|人员))")
_BODY_KINDS = (
    ("police", re.compile(r"公安|警|检察|法院|反诈")),
    ("teacher", re.compile(r"学校|教务|导员|辅导员|学院|老师|班主任")),
    ("medical_social_security", re.compile(r"局|部门|委员会|委|办|厅|所|海关|政府|干部|街道|居委|村委|银保监|证监|金融监管|扶贫|镇上|乡里")),
    ("customer_service", re.compile(r"公司|集团|银行|保险|电信|移动|联通|邮政|物业|电力|电网|燃气|水务|支付宝|微信|淘宝|京东|抖音|快手|美团"
                                    r"|平台|官方|客服|中心|经理|销售|银联|航空|快递|顺丰|携程|开发商")),
)
# A venue role acting: 贷款平台说 / 让我, 平台的客服.
_ACTING = re.compile(r"^(?:的?客服|说|让|要|叫|打电话|打来|联系|发)")


def impersonated(text: str, found: List[Mention], bounds=None) -> Tuple[Optional[str], Optional[Span]]:
    """The role the scammer played; when the call was handed on, the role it was handed to."""
    roles = []
    # 我打电话给班主任 班主任说…: once called as the real one, the same word is the real one throughout.
    real = {}
    for m in found:
        if m.field == "impersonated" and not _CUE.search(text[max(0, m.start - 14):m.start]) \
                and _REAL_CONTACT.search(text[max(0, m.start - 8):m.start]):
            real.setdefault(text[m.start:m.end], m.start)
    for m in found:
        if m.field != "impersonated" or m.start >= real.get(text[m.start:m.end], len(text)):
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
                (m.value == "romance" and not _PARTNER_SCAM.search(text)) or (term in _FAMILY and _TELLS.search(after))):
            continue
        if term in ("老板", "老总") and _SCHEME_BOSS.search(text[m.end:m.end + 4]):
            continue
        if m.value == "teacher" and not cued and term in ("老师", "导师") and _INVESTMENT.search(text):
            continue
        if term in _SERVICE_WORDS and not cued and not _CALLER.search(text):
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
        o[2].start >= r[2].end and o[2].start - r[2].end <= 5
        and ("的" in text[r[2].end:o[2].start + 1] or o[2].start - r[2].end <= 1)
        for o in roles if o is not r))]
    for match in _CLAIMED_BODY.finditer(text):
        body = match.group("body")
        kind = next((value for value, pattern in _BODY_KINDS if pattern.search(body)), None)
        if kind and not any(r[0] == 0 and match.start() <= r[1] < match.end() for r in roles):
            roles.append((0, match.start(), Mention("impersonated", kind, match.start(), match.end(), 0)))
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
