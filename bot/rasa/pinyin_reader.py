"""Rasa component: read toneless pinyin typed in place of characters.

Loaded by config.yml, right after the normaliser:
``- name: bot.rasa.pinyin_reader.PinyinReader``.

Residents who cannot pick characters on a phone keyboard type the syllables:
"bei pian le 打哪个号", "jingcha打电话给我奶奶", "daikuan xian jiao qian shi bu shi
pianzi".  The classifier has learnt from characters, so these read as noise.  This
component turns each run of Latin letters that reads completely as pinyin back
into the characters the training data writes for those sounds, before the
tokenizer sees the text.

Training builds the lexicon from the training data itself: every word jieba finds
in the examples (with the project dictionaries) and every character, keyed by its
toneless pinyin (pypinyin, whose data ships in its wheel), the most frequent spelling
winning.  Reading segments a run into lexicon keys with the fewest words (ties go to
the more frequent words); a space the resident typed must fall between syllables.
A run is left as typed when any part of it does not read as pinyin, or when it is a
single syllable (English, ids, "QQ", "A" in a plate stay), so "can i give it" or
"wx123" are untouched.  The lexicon is stored in the model (a JSON file), so a
model reads pinyin the way its own training data writes words.
"""
from __future__ import annotations

import collections
import json
import logging
import re
from typing import Any, Dict, Iterable, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.situation.nlp import dictionary_files, project_segmenter
from bot.rasa.code_fingerprint import source_hash

logger = logging.getLogger(__name__)

LEXICON_FILE = "pinyin_lexicon.json"
MAX_WORD_CHARS = 4
MIN_SYLLABLES = 2
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_RUN = re.compile(r"[A-Za-z]+(?:[ '’]+[A-Za-z]+)*")

# key (syllables joined) -> (spelling, count, syllable boundaries inside the key)
Lexicon = Dict[str, Tuple[str, int, Tuple[int, ...]]]


def syllables(word: str) -> Optional[List[str]]:
    """Toneless pinyin per character, or None when a character has none."""
    from pypinyin import Style, lazy_pinyin

    found = lazy_pinyin(word, style=Style.NORMAL, errors=lambda chars: [None] * len(chars))
    if len(found) != len(word) or any(not s or not s.isalpha() for s in found):
        return None
    return [s.lower() for s in found]


def build_lexicon(words: Iterable[str]) -> Lexicon:
    """From a stream of words (repeats count), the commonest spelling per pinyin key."""
    counts: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    bounds: Dict[Tuple[str, str], Tuple[int, ...]] = {}
    for word in words:
        if not word or len(word) > MAX_WORD_CHARS or not _HAN.match(word):
            continue
        sylls = syllables(word)
        if sylls is None:
            continue
        key = "".join(sylls)
        counts[key][word] += 1
        if (key, word) not in bounds:
            offsets, total = [], 0
            for s in sylls[:-1]:
                total += len(s)
                offsets.append(total)
            bounds[(key, word)] = tuple(offsets)
    lexicon: Lexicon = {}
    for key, spellings in counts.items():
        word, count = spellings.most_common(1)[0]
        lexicon[key] = (word, count, bounds[(key, word)])
    return lexicon


def training_words(texts: Iterable[str]) -> Iterable[str]:
    """Every jieba word and every character of `texts`, and the project dictionaries' words."""
    segmenter = project_segmenter()
    words: List[str] = []
    for path in dictionary_files():
        with open(path, encoding="utf-8") as handle:
            words += [line.split()[0] for line in handle if line.strip() and not line.startswith("#")]
    for text in texts:
        for word in segmenter.lcut(text):
            words.append(word)
            if len(word) > 1:
                words.extend(word)
    return words


def _segment(letters: str, spaces: set, lexicon: Lexicon) -> Optional[List[Tuple[str, int]]]:
    """Fewest lexicon words covering `letters` (ties: most frequent); None if it cannot be read."""
    n = len(letters)
    longest = 6 * MAX_WORD_CHARS
    best: List[Optional[Tuple[int, int, int, str]]] = [None] * (n + 1)  # (words, -count, start, key)
    best[0] = (0, 0, -1, "")
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, min(n, i + longest) + 1):
            entry = lexicon.get(letters[i:j])
            if entry is None:
                continue
            inner = {s - i for s in spaces if i < s < j}
            if not inner <= set(entry[2]):  # "pia nzi": a typed space splits a syllable
                continue
            cost = (best[i][0] + 1, best[i][1] - entry[1], i, letters[i:j])
            if best[j] is None or cost[:2] < best[j][:2]:
                best[j] = cost
    if best[n] is None:
        return None
    found, j = [], n
    while j > 0:
        _, _, i, key = best[j]
        found.append((lexicon[key][0], len(lexicon[key][2]) + 1))
        j = i
    return found[::-1]


def read_pinyin(text: str, lexicon: Lexicon) -> str:
    """`text` with every run of Latin letters that reads wholly as pinyin written in characters."""
    if not lexicon or not text or text.startswith("/"):
        return text

    def replace(match: "re.Match[str]") -> str:
        run = match.group()
        letters, spaces = "", set()
        for char in run.lower():
            if char.isalpha():
                letters += char
            elif letters:
                spaces.add(len(letters))
        words = _segment(letters, spaces, lexicon)
        if words is None or sum(n for _, n in words) < MIN_SYLLABLES:
            return run
        return "".join(word for word, _ in words)

    return _RUN.sub(replace, text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class PinyinReader(GraphComponent):
    """Rewrites pinyin runs in message text into characters, with a lexicon learnt from the training data."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, lexicon: Optional[Lexicon] = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.lexicon: Lexicon = lexicon or {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "PinyinReader":
        return cls(model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        """Retrain when the code changes, not only the config (bot/rasa/code_fingerprint.py)."""
        return source_hash("bot.situation.nlp", __name__)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["pypinyin", "jieba"]

    def train(self, training_data: TrainingData) -> Resource:
        texts = [m.get(TEXT) for m in training_data.training_examples if m.get(TEXT)]
        self.lexicon = build_lexicon(training_words(texts))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / LEXICON_FILE).write_text(
                json.dumps({k: list(v) for k, v in self.lexicon.items()}, ensure_ascii=False), encoding="utf-8")
        logger.info("pinyin lexicon: %d keys", len(self.lexicon))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "PinyinReader":
        try:
            with model_storage.read_from(resource) as directory:
                raw = json.loads((directory / LEXICON_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.debug("PinyinReader: no lexicon in storage, pinyin is left as typed")
            return cls(model_storage, resource)
        return cls(model_storage, resource, {k: (v[0], int(v[1]), tuple(v[2])) for k, v in raw.items()})

    def _read(self, message: Message) -> None:
        text = message.get(TEXT)
        if text:
            message.set(TEXT, read_pinyin(text, self.lexicon))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._read(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._read(message)
        return messages
