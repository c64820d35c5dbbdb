"""What the resident handed over (``given_away``): a code, a password, a screen share, ID photos, the face.

An item counts when it was given, not when it was only asked for: done in its own
clause (我报了验证码, 刷了脸), or asked for and then done (让我开共享 俺开了, even two
clauses later), and never when held back (没给, 差点, 如果) or refused after.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from bot.situation import scope
from bot.situation.mentions import Mention, Span


# Read on a clause whose afterthoughts (不知道, 怎么办, 不小心) are masked.
_HELD_BACK = re.compile(r"没有?|未|(?<!一)不(?=给|说|告诉|发|报|开|提供|输|填|念|刷|录|拍|共享|同意|肯|敢|能|要|会|想)"
                        r"|(?<![识区辨鉴告类级性特个])别(?=把|给|说|告诉|开|发|信|点)|拒绝|差点|差一点|差一步|险些|要不要|能不能|可不可以|可以.*吗|吗"
                        r"|(?<![开下装个叫用了])什么|怎么|么$|只要|如果|要是|是不是|会不会|哪|[?？]|千万|防")
# 他说验证码发错了 is the scammer's word; 我说了密码 and 按他说的 are the resident's act.
_REQUEST = re.compile(r"(?:让|叫|要|喊|要求|需要|逼|催|骗|教|问|(?<![我俺妈爸伴儿女奶爷姥婆哥姐弟妹还])说(?![了的]))(?:我|我们|您|你|他|她)?")
# Something was done with the item: 说了密码, 验证码发他了; 我的密码是我生日 hands nothing over.
_ACT = re.compile(r"了|过|着|给|告诉|说|发|报|念|输|填|开|拍|录|刷|提供|照做|交|做|共享|分享")
_COMPLIED = re.compile(r"^\s*(?:[我俺他她](?:妈|爸|老伴|家老头子?|奶奶|爷爷)?|老人|老伴|他老人家)?"
                       r"(?:昨天|今天|前天|刚才|之前|早上|上午|下午|晚上|当时)?(?:就|也|都|还|当时|最后|只好|已经|刚|刚刚|马上|立马)?"
                       r"(?:对着[^，。！？\s]{0,4}?)?(?:照做了|照着做了|按他说的做了|开了|"
                       r"给了|给他了|说了|发了|发过去了|做了|弄了|告诉他了|告诉了|同意了|报了|报给他了|念了|念给他了|打开了|"
                       r"输了|填了|提供了|录了|拍了|刷了|共享了|传了|上传了|交了|拍了发过去了|发给(?:他|她|对方)了|拍给(?:他|她|对方)了|给(?:他|她)发了)")
# 我给了卡号 answers for the card number, not for the code asked for beside it.
_OTHER_OBJECT = re.compile(r"^[^，。！？\s]{0,8}?(?:了|给他|过去)\s*(?:银行)?(?:卡号|身份证号|名字|地址|账号)")
# 没开 / 我说我不会弄 / 验证码犹豫了没给: a refusal said after the request.
_REFUSED = re.compile(r"^\s*(?:[我俺他她](?:妈|爸)?)?(?:说我)?(?:就|也|都|还|最后|犹豫了)?"
                      r"(?:(?:没有?|不|没敢|不敢)(?:给|发|说|告诉|报|开|刷|录|拍|共享|弄|同意|答应|提供|输|填|念|传)|不会弄|拒绝)")
# The act named after the item in the same clause: 要我拍身份证发给他我拍了发过去了.
_DID_IT = re.compile(r"[我俺她他](?:就|也|都|还)?(?:照做|拍|发|念|告诉|说|报|给|开|刷|录|输|填|传|做)了")
# 看到了他手机银行的密码 through a screen share: seen, not handed over.
_SEEN = re.compile(r"(?:看到|看见|看着|偷看|窥)(?:了)?[^，。！？\s]{0,8}$")
# 登录密码不记得了 / 密码忘了怎么重置: the resident's own problem, nothing handed over.
_FORGOTTEN = re.compile(r"[^，。！？\s]{0,4}?(?:忘|不记得|记不得|记不住|记不清|想不起|找不回|重置|找回|输错|锁了|被锁)")
# Gift-card 卡密 (把卡背面那个密码拍给他) is the money, not a password.
_CARD_SECRET = re.compile(r"(?:充值卡|购物卡|京东卡|礼品卡|点卡|e卡|卡背面|卡背后|话费卡|油卡|超市卡)")


# Item words with a verb between them, which a phrase cannot span: 拍了身份证, 刷了脸, 短信里的数字.
_GAPPED = {
    "id_photo": re.compile(r"拍(?:了|下)?(?:张|一张)?(?:我的)?身份证|身份证(?:拍|照)"
                           r"|(?<=身份证)[^。！？]{0,12}?拍(?:了|下)?(?:张|一张)?(?:照片|照)"
                           r"|身份证[^，。！？\s]{0,6}?拍(?:给|了|过去)|拍了(?:我|俺)?[^，。！？\s]{0,4}?的?身份证"),
    "screen_share": re.compile(r"(?:共享|分享)(?:了|一下)?(?:我的)?(?:手机)?屏幕|远程(?:帮我|帮她|帮他|给我)?(?:操作|控制)(?:了)?"),
    "face": re.compile(r"刷(?:了|了个|个|一下|下)脸|扫(?:了)?脸|对着(?:手机|镜头|摄像头)[^，。！？\s]{0,6}?(?:眨|摇|点头|张嘴|转头|念|刷|做(?:了)?(?:几个)?动作)"
                       r"|录像|(?:视频|镜头)(?:里|前|上)[^，。！？\s]{0,3}?念|视频做笔录|念(?:了)?一段(?:保证书|声明|话)(?=[^，。！？]*视频)"
                       r"|(?<=视频)[^。！？]{0,16}?念(?:了)?(?:一段|一遍)?(?:保证书|声明|话)"
                       r"|眨(?:了|眨|一下)?眼|录(?:了|制了?)?(?:一段|一个|个|段)[^，。！？\s]{0,4}?视频"),
    "verification_code": re.compile(r"(?:短信|信息)(?:里|上|中)?的?(?:那个|那串|几个)?(?:数字|号码|码|六位数|6位数)"
                                    r"|(?:报|念|说|告诉)(?:了)?(?:他|她|对方)?(?:一串|几个|六个|那几个|一些|六位)数字"
                                    r"|(?:收到|发来)的(?:那个|那串|几个)?(?:六位数|6位数|数字|码)"),
}


def _complied_later(later: List[str]) -> bool:
    """The resident did it in one of the next clauses: 俺告诉了, after the scammer's 说是… reasons or 还要… asks."""
    for clause in later:
        if _COMPLIED.search(clause) and not _OTHER_OBJECT.search(clause) and not _HELD_BACK.search(clause):
            return True
        if re.match(r"\s*(?:之后|完了|弄完|做完|刷完)", clause) and re.search(r"少了|没了|被(?:转|扣|借|刷)|扣了", clause):
            return True  # 让我对着手机眨眼摇头 之后支付宝少了两千
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


def given_away(text: str, found: List[Mention], bounds) -> Tuple[Tuple[str, ...], Optional[Span]]:
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
        or re.search(r"(?:改|修改|换|重置|设置)(?:了|掉了?)?(?:我的|一下)?$", text[max(0, m.start - 5):m.start])
        or _FORGOTTEN.match(text[m.end:m.end + 10]) or re.search(r"忘(?:了|记了?)[^，。！？\s]{0,8}$", text[max(0, m.start - 10):m.start])))]
    given: List[str] = []
    first: Optional[Span] = None
    for m in found:
        if m.field != "given_away" or m.value in given:
            continue
        clause = scope.without_afterthoughts(bounds[m.clause][1])
        start, end = m.start - bounds[m.clause][0], m.end - bounds[m.clause][0]
        later = [scope.without_afterthoughts(bounds[i][1]) for i in range(m.clause + 1, min(m.clause + 4, len(bounds)))]
        if _HELD_BACK.search(clause):
            # 要是他拿我的身份证照片去贷款怎么办 我昨天发给他了: the worry, then the act.
            if re.search(r"要是|如果|万一|会不会", clause) and later and _COMPLIED.search(later[0]):
                given.append(m.value)
                first = first or (m.start, m.end)
            continue
        request = _REQUEST.search(clause)
        requested = request and request.start() < start and (
            request.group().startswith("说") or not re.search(r"(?<!让我)了", clause[request.end():]))
        if re.match(r"^[^，。！？\s]{0,3}?(?:那一步|这一步|的页面|的时候)", clause[end:]):
            continue  # 都点到输密码那一步了: not done
        if re.match(r"^[^，。！？\s]{0,2}?(?:过来|来了|给我|到我)", clause[end:]) and re.search(r"发(?:了)?(?:个|一个|条)?\s*$", clause[:start]):
            continue  # 发了个验证码过来: it came to the resident
        after_it = bool(re.match(r"^[^，。！？\s]{0,3}?(?:之后|以后|后来|完了)", clause[end:]))  # 让我共享屏幕之后
        own_verb = (after_it or (m.start, m.end) in gapped and "了" in text[m.start:m.end]  # 录了个视频, 刷了脸
                    or bool(re.search(r"(?:报|告诉|发|给|念|输|填|传)(?:了|给了)(?:个|一个|他|她|对方)?\s*$", clause[:start])))
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
