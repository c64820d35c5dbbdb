"""The blank spaCy ``zh`` pipeline that situation extraction and the scam check share.

Segmentation is jieba, as in the Rasa pipeline, with the project's dictionaries
(``data/dictionary/*.txt``) plus every term the phrase matchers look for, so that
验证码, 屏幕共享, 手机银行 stay one token and a PhraseMatcher sees them whole.

spaCy gets its own ``jieba.Tokenizer`` instance: adding the matcher terms to the
global jieba would change how Rasa's JiebaTokenizer splits words for the intent
classifier, and differently depending on which component loaded first.
No weights are downloaded; the pipeline has no statistical components.
"""
from __future__ import annotations

import functools
import glob
import logging
import os
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher

logger = logging.getLogger(__name__)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DICTIONARY_DIR = os.path.join(ROOT, "data", "dictionary")
# High enough that a matcher term beats any split jieba's own dictionary prefers.
TERM_FREQUENCY = 200000


def shared_nlp(purpose: str = "situation") -> Language:
    """One pipeline per purpose and process (building jieba's prefix dictionary takes ~1 s).

    Each purpose has its own segmenter, so the situation terms (手持身份证) do not
    change how the scam check's keywords (身份证照片) are split.
    """
    return _pipeline(purpose)


@functools.lru_cache(maxsize=None)
def _pipeline(purpose: str) -> Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer.jieba_seg = project_segmenter()
    return nlp


def dictionary_files() -> list:
    return sorted(glob.glob(os.path.join(DICTIONARY_DIR, "*.txt")))


def project_segmenter():
    """A jieba.Tokenizer of its own with the project's dictionaries (the global jieba is Rasa's)."""
    import jieba

    segmenter = jieba.Tokenizer()
    for path in dictionary_files():
        segmenter.load_userdict(path)
    return segmenter


def add_terms(terms: Iterable[str], purpose: str = "situation") -> None:
    """Make each term one token in the purpose's segmentation."""
    segmenter = shared_nlp(purpose).tokenizer.jieba_seg
    for term in terms:
        term = term.strip()
        if term:
            segmenter.add_word(term, freq=TERM_FREQUENCY)


def phrase_matcher(labelled_terms: dict, purpose: str = "situation") -> PhraseMatcher:
    """A PhraseMatcher with one label per key of ``{label: [term, ...]}``.

    The terms become jieba words first, so the pattern docs and the message docs
    are split the same way.
    """
    nlp = shared_nlp(purpose)
    add_terms((t for terms in labelled_terms.values() for t in terms), purpose)
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, terms in labelled_terms.items():
        matcher.add(label, [nlp.make_doc(t.lower()) for t in terms])
    return matcher

