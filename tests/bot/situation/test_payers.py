"""Whose money it was (bot/situation/payers.py), in sentences written for these tests."""
from bot.situation import scope
from bot.situation.payers import only_others_paid


def _yes_at(text: str, word: str):
    start = text.index(word)
    return [(start, start + len(word), "yes")]


def test_a_colleagues_loss_with_the_residents_own_no_is_someone_elses():
    text = "我同事被骗了三万 我自己倒是没事"
    assert only_others_paid(text, scope.clauses(text), _yes_at(text, "被骗了"))


def test_a_relatives_payment_stays_the_familys():
    text = "我没转 我妈转了两万给那个客服"
    assert not only_others_paid(text, scope.clauses(text), _yes_at(text, "转了"))


def test_without_the_residents_own_no_nothing_is_decided_here():
    text = "我同事被骗了三万 我该怎么安慰他"
    assert not only_others_paid(text, scope.clauses(text), _yes_at(text, "被骗了"))


def test_a_neighbour_named_once_then_by_name_alone_is_someone_else():
    from bot.situation.extract import extract

    text = "我跟隔壁的秀兰一起去听的讲座 秀兰当场就交了三千定金 我没带钱 明天还去不去"
    assert extract(text).money_sent != "yes"
    assert extract("我跟隔壁的秀兰一起去听的讲座 我当场就交了三千定金").money_sent == "yes"

