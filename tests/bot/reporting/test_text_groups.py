"""Unanswered questions asked in different words are counted together."""
import random

from bot.reporting.text_groups import group_similar, jaccard, normalise, shingles


def test_punctuation_and_spaces_do_not_matter():
    assert normalise(" 养老金 什么时候到账？") == normalise("养老金什么时候到账") == "养老金什么时候到账"
    assert shingles("到账？") == frozenset({"到账"})
    assert shingles("好") == frozenset({"好"}) and shingles("？") == frozenset()


def test_similar_phrasings_form_one_group_led_by_the_most_frequent():
    groups = group_similar([("请问养老金什么时候到账", 3), ("养老金什么时候到账", 5), ("今天天气怎么样", 2),
                            ("养老金啥时候到账呀", 1), ("天气怎么样", 1)])
    assert [(g.example, g.count, g.variants) for g in groups] == [
        ("养老金什么时候到账", 9, 3), ("今天天气怎么样", 3, 2)]
    assert groups[0].samples == ["请问养老金什么时候到账", "养老金啥时候到账呀"]


def test_different_questions_stay_apart():
    groups = group_similar([("医保卡怎么激活", 1), ("社保卡丢了去哪补办", 1), ("定期存款利率多少", 1)])
    assert len(groups) == 3
    assert jaccard(shingles("医保卡怎么激活"), shingles("社保卡丢了去哪补办")) < 0.5


def test_the_result_does_not_depend_on_input_order():
    texts = [(f"{word}怎么办{tail}", n) for n, (word, tail) in enumerate(
        [("手机内存满了", ""), ("手机内存满了", "呀"), ("微信发语音", ""), ("微信发语音", "？"), ("转账限额", "")], 1)]
    expected = [g.as_dict() for g in group_similar(texts)]
    shuffled = texts[:]
    random.Random(3).shuffle(shuffled)
    assert [g.as_dict() for g in group_similar(shuffled)] == expected


def test_blank_texts_are_ignored():
    assert group_similar([("", 4), ("  ", 2)]) == []
