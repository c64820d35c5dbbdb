"""Find names, home addresses, chat-app ids and licence plates in a resident's message.

:func:`find_spans` returns ``(start, end, kind)`` in the original text;
:mod:`bot.privacy.redaction` merges them with its number kinds and writes the
placeholders in :data:`PLACEHOLDERS`.  The text is folded one character for one
(full width → ASCII, traditional → simplified) so offsets stay those of the input.

The finders, one module per kind, all read the folded text and the word lists in
``data/privacy/`` (:mod:`bot.privacy.lexicon`):

* :mod:`bot.privacy.names`: a name after a name cue (我叫, 本人, 我老伴叫, 收件人：),
  and dotted names;
* :mod:`bot.privacy.addresses`: runs of address parts (人民路12号, 阳光小区3栋,
  李家村五组), decided by their suffixes and a residence cue (住在, 寄到, 我家);
* :mod:`bot.privacy.accounts`: the id after an app cue (微信号, QQ, 支付宝, 抖音号)
  and licence plates.

What is spaCy and what is regex, and why:

* **spaCy** finds the cue words.  One ``PhraseMatcher`` on ``spacy.blank("zh")``
  (its default char segmenter; no model, nothing downloaded) holds the cue
  lexicons: name cues, kin words × 叫/名叫/的名字是, app cues and residence cues.
  A single pass over the tokens reports every cue with its label, overlapping
  ones too (微信 inside 微信号, 他叫 inside 说他叫), and matching on ``LOWER``
  makes VX, Vx and vx one entry; the lexicons stay word lists.
* **Regular expressions** read shapes: the value after an app cue (a WeChat id, a
  QQ number), licence plates, and address components (路, 12号, 3栋, 二单元, 五零一).
* **Word sets** decide whether the words after a name cue are a name (it must
  start with a surname; 王警官, 高中, 我是江苏人 stay) and whether a suffix names
  a place (马路, 农村, 我们小区 stay).

Overlaps are not resolved here: the caller keeps the union of overlapping spans
(spaCy's ``filter_spans`` would drop a partly overlapped span, and its text with it).
"""
from __future__ import annotations

import functools
import re
from typing import Dict, List, Tuple

from bot.normalise import to_simplified
from bot.privacy.accounts import app_id, plates
from bot.privacy.addresses import find_addresses
from bot.privacy.lexicon import MASK, Cue, Lexicon, lexicon
from bot.privacy.names import dotted_names, find_name

__all__ = ["PLACEHOLDERS", "TRIGGER", "Cue", "Lexicon", "cues", "find_spans", "fold", "lexicon"]

PLACEHOLDERS: Dict[str, str] = {
    "name": "[姓名]", "address": "[住址]", "wechat": "[微信号]", "qq": "[QQ号]",
    "alipay": "[支付宝账号]", "douyin": "[抖音号]", "plate": "[车牌号]",
}
Span = Tuple[int, int, str]

_OWN_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
# One character for one, so offsets stay those of the input: full-width ASCII, odd spaces
# and dashes (shared with the number scanner in bot.privacy.redaction), and middle dots.
WIDTH_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
WIDTH_FOLD.update({0x3000: 0x20, 0xA0: 0x20})
WIDTH_FOLD.update({c: ord("-") for c in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212)})
_WIDTH = {**WIDTH_FOLD, 0x2022: ord("·"), 0x2027: ord("·"), 0x30FB: ord("·"), 0xFF65: ord("·")}
_SURROGATE = re.compile("[\ud800-\udfff]")  # spaCy cannot hash a lone surrogate
# Any character a cue, an address component or a plate needs: without one, no spaCy.
TRIGGER = re.compile("[A-Za-zＡ-Ｚａ-ｚ0-9０-９叫是人名姓称稱系係自住址寄送搬户家号號路街巷弄同道院村组組屯区區园園苑寓厦廈"
                     "栋棟幢座单單元层層楼樓室户戶舍寨庄莊城府扣企支抖快微信里裡坊湾灣场場心际際庭都馆館邸郡厂廠队隊门門收岛島"
                     "嘎厝垵垸坳围圍排连連条條社学學·・•‧･]")
_NAME_CUES = frozenset({"call", "strong", "self", "surname"})
_HOME_CUES = frozenset({"home", "near", "door", "ask"})


@functools.lru_cache(maxsize=1)
def _matcher():
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("zh")  # char segmenter: a token per character, nothing to download
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, phrases in lexicon().cues.items():
        matcher.add(label, [nlp.make_doc(p.lower()) for p in phrases])
    chars = frozenset("".join(p.lower() for phrases in lexicon().cues.values() for p in phrases))
    return nlp, matcher, chars


def fold(text: str) -> str:
    """Same-length copy with full width, traditional characters and our placeholders folded."""
    text = _SURROGATE.sub("\ufffd", text.translate(_WIDTH))
    simple = to_simplified(text)
    if len(simple) != len(text):  # a phrase conversion changed the length: convert char by char
        simple = "".join(s if len(s) == 1 else c for c, s in ((c, to_simplified(c)) for c in text))
    return _OWN_PLACEHOLDER.sub(lambda m: MASK * len(m.group()), simple)


def cues(work: str) -> List[Cue]:
    """Every cue word in the folded text, overlapping ones included, by position."""
    from spacy.tokens import Doc

    nlp, matcher, chars = _matcher()
    if chars.isdisjoint(work.lower()):
        return []
    # The same one-token-per-character split as the char segmenter makes, built
    # directly (twice as fast), spaces included: token i is character i.
    doc = Doc(nlp.vocab, words=list(work), spaces=[False] * len(work))
    return sorted({Cue(nlp.vocab.strings[key], s, e) for key, s, e in matcher(doc)}, key=lambda c: (c.start, c.end))


def find_spans(text: str) -> List[Span]:
    """Names, addresses, app ids and plates in ``text``, as (start, end, kind); may overlap."""
    if not TRIGGER.search(text):
        return []
    work, lex = fold(text), lexicon()
    found = plates(work)
    cue_list = cues(work)
    for cue in cue_list:
        if cue.label in _HOME_CUES:
            continue
        span = find_name(work, cue, lex) if cue.label in _NAME_CUES else app_id(work, cue)
        if span:
            found.append(span)
    if "·" in work:
        found += dotted_names(work, lex)
    found += find_addresses(work, [c for c in cue_list if c.label in _HOME_CUES], lex)
    return sorted(set(found))
