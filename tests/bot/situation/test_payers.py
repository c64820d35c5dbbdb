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
