"""An edit of a component's code retrains what depends on it (Rasa caches by config and inputs only)."""
import sys

from bot.rasa.code_fingerprint import source_hash
from bot.rasa.normaliser import TextNormaliser
from bot.rasa.pinyin_reader import PinyinReader
from bot.rasa.topic_classifier import TopicClassifier


def test_the_hash_follows_the_source(tmp_path, monkeypatch):
    module = tmp_path / "folding_probe.py"
    module.write_text("def fold(text):\n    return text\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = source_hash("folding_probe")
    assert source_hash("folding_probe") == before
    module.write_text("def fold(text):\n    return text.lower()\n", encoding="utf-8")
    sys.modules.pop("folding_probe")
    assert source_hash("folding_probe") != before


def test_each_training_component_fingerprints_its_code():
    addons = {cls: cls.fingerprint_addon({}) for cls in (TextNormaliser, PinyinReader, TopicClassifier)}
    assert all(addons.values()) and len(set(addons.values())) == 3
    assert TextNormaliser.fingerprint_addon({}) == source_hash("bot.normalise", "bot.rasa.normaliser")
