"""Fold the ways residents type the same words into one form.

Residents write traditional characters (a phone set up by a relative in Hong
Kong or Taiwan), full-width letters and digits (Chinese input methods), emoji
and runs of punctuation (？？？ ！！！).  None of that changes what they mean,
and each variant splits the statistics the classifier learns from.  The fold:

1. traditional → simplified with OpenCC's ``t2s`` tables (the ``opencc`` wheel
   ships the dictionaries; nothing is downloaded);
2. full-width ASCII (Ｗｅｃｈａｔ, １２３) → half-width, the ideographic space → a space;
3. emoji and pictographs → a space; a run of the same punctuation → one mark.  A message of
   emoji alone keeps its meaning instead (👍 → 好的, ❌ → 不是, 🌹 → 谢谢, 👋 → 再见, 🆘 → 救命), or,
   for an emoji with no fixed meaning (🍉), stays as typed: it never folds to nothing;
4. lower case, runs of spaces → one space;
5. a message typed one character at a time with spaces between (取 钱 给 他 了) → joined;
6. numbers read out digit by digit (九六幺幺零, 一二三八一, 幺幺零) → 96110, 12381, 110;
7. the commonest written Cantonese words → Mandarin (转咗 → 转了, 冇 → 没, 佢 → 他,
   两万蚊 → 两万块, 点算 → 怎么办), so 我阿妈畀人呃咗 转咗两万蚊 reads as money gone;
8. the field's words mistyped by pinyin input or voice as words that mean something else here
   (银航 → 银行, not an airline; 眼睁码 → 验证码; 连揭 → 链接; 电炸 → 电诈; 找克服 → 找客服).  Only
   misspellings that are never a right word in a resident's message are listed.

Used by the Rasa pipeline (bot/rasa/normaliser.py) before tokenising, and by the
scam check's keyword matching, so both read the same text.
"""
from __future__ import annotations

import functools
import re

# Emoji, pictographs, dingbats, variation selectors and the zero-width joiner.
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U00002B00-\U00002BFF\U0000FE00-\U0000FE0F\U0000200D\U000020E3]+"
)
# What an emoji sent alone means; the commonest ones elderly residents send as a whole reply.
_EMOJI_ALONE = {"👍": "好的", "👌": "好的", "✅": "好的", "🆗": "好的", "🙆": "好的", "❌": "不是", "🙅": "不是",
                "🙏": "谢谢", "🌹": "谢谢", "💐": "谢谢", "🌸": "谢谢", "👋": "再见", "🆘": "救命"}
_REPEATED_PUNCT = re.compile(r"([!?,.~。，？！、…·\-—=*#])\1+")
_SPACES = re.compile(r"\s+")
# Written Cantonese → Mandarin: whole words first, then single characters that have no
# other common use in Mandarin.  (呃 alone is a Mandarin filler: only 呃咗/畀人呃 are 骗.)
_CANTONESE_WORDS = (("佢话", "他说"), ("佢哋话", "他们说"), ("买家话", "买家说"), ("卖家话", "卖家说"), ("客服话", "客服说"),
                    ("对方话", "对方说"), ("短信话", "短信说"), ("咁耐", "这么久"), ("有冇", "有没有"), ("仲有", "还有"),
                    ("点样", "怎么"), ("呃咗", "骗了"), ("畀人呃", "被人骗"), ("俾人呃", "被人骗"), ("点算", "怎么办"), ("乜嘢", "什么"),
                    ("咩事", "什么事"), ("系咪", "是不是"), ("唔该", "谢谢"), ("边度", "哪里"))
_CANTONESE_CHARS = str.maketrans({"㗎": "", "咗": "了", "嘅": "的", "冇": "没", "唔": "不", "喺": "在", "畀": "给", "俾": "给",
                                  "佢": "他", "哋": "们", "嚟": "来", "睇": "看"})
# A run of spoken digits: five or more, or three or more with 幺/零/〇 (幺幺零, 一一零).
_SPOKEN_DIGITS = re.compile(r"[零〇一二三四五六七八九幺]{5,}|(?=[零〇一二三四五六七八九幺]*[幺零〇])[零〇一二三四五六七八九幺]{3,}")
_DIGIT_OF = str.maketrans("零〇一二三四五六七八九幺", "001234567891")
_CJK = "\u4e00-\u9fff"
_SPACED_CHARS = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def _join_spaced(text: str) -> str:
    """取 钱 给 他 了 两 万 → 取钱给他了两万: only when most words are single characters."""
    words = text.split()
    singles = sum(1 for w in words if len(w) == 1 and "\u4e00" <= w <= "\u9fff")
    if (len(words) >= 3 and singles >= 0.6 * len(words)) or (len(words) == 2 and singles == 2):
        return _SPACED_CHARS.sub("", text)
    return text


# Misspellings of the field's words (homophones from pinyin input and voice), each never right as typed.
_MISTYPED = (("银航", "银行"), ("验正码", "验证码"), ("验症码", "验证码"), ("验政码", "验证码"), ("眼睁码", "验证码"),
             ("严证码", "验证码"), ("连揭", "链接"), ("链结", "链接"), ("补帖", "补贴"),
             ("征心", "征信"), ("争信", "征信"), ("刷单反利", "刷单返利"), ("公检发", "公检法"), ("电炸", "电诈"),
             ("炸骗", "诈骗"), ("诈编", "诈骗"), ("冒冲", "冒充"), ("理才", "理财"), ("投姿", "投资"),
             ("客福", "客服"), ("帐户", "账户"), ("帐号", "账号"), ("转帐", "转账"), ("安全帐", "安全账"))
_MISTYPED_SERVICE = re.compile(r"克服(?=说|让|叫|要|打|电话|来电|问|发)|(?:(?<=找)|(?<=联系)|(?<=问)|(?<=是)|(?<=自称)|(?<=打给))克服|客伏")
_MONEY_MOSQUITO = re.compile(r"(?<=[\d一二两三四五六七八九十百千万])蚊")  # 两万蚊 = 两万块


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def fold_width(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        elif code == 0x3000:
            ch = " "
        out.append(ch)
    return "".join(out)


def normalise(text: str) -> str:
    """The folded form of a resident's message (see the module docstring)."""
    if not text:
        return text
    text = fold_width(to_simplified(text))
    text = _SPOKEN_DIGITS.sub(lambda m: m.group().translate(_DIGIT_OF), text)
    for word, mandarin in _CANTONESE_WORDS:
        text = text.replace(word, mandarin)
    text = _MONEY_MOSQUITO.sub("块", text.translate(_CANTONESE_CHARS))
    for typed, meant in _MISTYPED:
        text = text.replace(typed, meant)
    text = _MISTYPED_SERVICE.sub("客服", text)
    folded = _EMOJI.sub(" ", text)
    if folded.strip() or not text.strip():
        text = folded
    else:  # emoji alone: its meaning, or the emoji as typed
        meanings = [_EMOJI_ALONE[ch] for ch in text if ch in _EMOJI_ALONE]
        text = meanings[0] if meanings else text
    text = _REPEATED_PUNCT.sub(r"\1", text)
    return _join_spaced(_SPACES.sub(" ", text).strip()).lower()
