from bot.knowledge.topic_choice import MIN_SCORE, choose_topic, followup_topic, term_hits


def parse(text, *ranked):
    return {"text": text, "response_selector": {"faq": {"ranking": [
        {"intent_response_key": f"faq/{k}", "confidence": c} for k, c in ranked]}}}


def test_the_selector_decides_when_no_term_is_named(kb):
    assert choose_topic(parse("有人让我先交钱", ("loan", 0.6), ("customer_service", 0.3)), kb).key == "loan"


def test_a_named_term_tips_a_close_call(kb):
    choice = choose_topic(parse("短信说我的征信有异常，要打过去吗", ("hotline", 0.32), ("credit", 0.30)), kb)
    assert choice.key == "credit" and choice.confidence == 0.30


def test_a_term_never_pulls_in_a_topic_outside_the_top_candidates(kb):
    ranked = parse("征信", ("loan", 0.5), ("investment", 0.2), ("shopping", 0.1), ("credit", 0.05))
    assert choose_topic(ranked, kb).key == "loan"


def test_too_unsure_means_no_topic(kb):
    choice = choose_topic(parse("嗯嗯那个", ("police", 0.1), ("loan", 0.09)), kb)
    assert choice.key is None and choice.score < MIN_SCORE


def test_term_hits_are_capped_and_fold_case(kb):
    assert term_hits(["app", "ETC", "征信"], "ETC和APP，还有征信") == 2


def test_a_close_second_topic_is_offered_as_one_tap(kb):
    choice = choose_topic(parse("我把身份证照片发给了招聘的人", ("personal_info", 0.45), ("card_renting", 0.35)), kb)
    assert choice.key == "personal_info" and choice.runner_up == "card_renting"


def test_a_clear_winner_offers_no_alternative(kb):
    choice = choose_topic(parse("有人让我先交钱", ("loan", 0.9), ("customer_service", 0.05)), kb)
    assert choice.key == "loan" and choice.runner_up is None


def followup_parse(intent, text, *ranked):
    return {**parse(text, *ranked), "intent": {"name": intent, "confidence": 0.6}}


def test_a_followup_follows_the_conversations_topic(kb):
    message = followup_parse("followup_transferred", "我已经转过去了", ("romance", 0.5))
    assert followup_topic(message, kb, current="police") == "police"


def test_a_followup_asked_first_inside_a_story_is_answered_for_the_story(kb):
    message = followup_parse("followup_transferred", "俺孙子说他被派出所抓了 要交保证金 我刚给他转过去了",
                             ("leader", 0.35), ("police", 0.1))
    assert followup_topic(message, kb) == "leader"


def test_a_bare_followup_asked_first_gets_the_general_topic_or_none(kb):
    assert followup_topic(followup_parse("followup_transferred", "我已经转钱了", ("police", 0.05)), kb) == "after_fraud"
    assert followup_topic(followup_parse("followup_hotline", "打哪个电话"), kb) == "hotline"
    assert followup_topic(followup_parse("followup_what_to_do", "那怎么办", ("police", 0.05)), kb) is None


def test_a_short_reaction_stays_on_the_conversations_scam(kb):
    from bot.knowledge.topic_choice import stays_on_topic

    message = parse("她不信是骗子，说对方天天跟她视频，是真心对她好", ("sextortion", 0.45), ("romance", 0.3))
    assert stays_on_topic(message, kb, "romance", choose_topic(message, kb))
    # no topic yet, a long story, or the new topic named by its own word: the classifier decides
    assert not stays_on_topic(message, kb, None, choose_topic(message, kb))
    named = parse("那裸聊被录屏了咋办", ("sextortion", 0.45), ("romance", 0.3))
    assert not stays_on_topic(named, kb, "romance", choose_topic(named, kb))


def test_a_move_to_advice_or_to_a_crime_is_a_new_question(kb):
    from bot.knowledge.topic_choice import stays_on_topic

    advice = parse("可俺是真缺钱 哪儿能正经贷到", ("legit_credit", 0.4), ("loan", 0.35))
    assert not stays_on_topic(advice, kb, "loan", choose_topic(advice, kb))
    crime = parse("那我表哥让我用卡帮他过几笔账呢", ("card_renting", 0.4), ("loan", 0.35))
    assert not stays_on_topic(crime, kb, "loan", choose_topic(crime, kb))


def test_a_bare_word_after_an_answer_stays_unless_it_names_a_topic(kb):
    from bot.knowledge.topic_choice import stays_on_topic

    bare = parse("银行？", ("legit_credit", 0.5), ("after_fraud", 0.2))
    assert stays_on_topic(bare, kb, "after_fraud", choose_topic(bare, kb))
    named = parse("征信？", ("credit", 0.5), ("after_fraud", 0.2))
    assert not stays_on_topic(named, kb, "after_fraud", choose_topic(named, kb))


def test_pressure_after_a_refusal_keeps_the_stance(kb):
    from bot.knowledge.topic_choice import holds_the_stance

    pressed = parse("我们是有牌照的小贷公司，正规的，你放心写", ("illegal_ads", 0.6), ("illegal_request", 0.2))
    assert holds_the_stance(pressed, kb, "illegal_request", choose_topic(pressed, kb))
    excuse = parse("他表弟说就是拿去打游戏充值用的", ("game", 0.6), ("card_renting", 0.2))
    assert holds_the_stance(excuse, kb, "card_renting", choose_topic(excuse, kb))
    drill = parse("come on, it's 内部 phishing drill, 我们公司 security team 的, totally legit",
                  ("fundraising", 0.5), ("illegal_request", 0.2))
    assert holds_the_stance(drill, kb, "illegal_request", choose_topic(drill, kb))
    # a victim's topic, or a move to advice, is not held
    assert not holds_the_stance(pressed, kb, "loan", choose_topic(pressed, kb))
    advice = parse("那正规的贷款咋借", ("legit_credit", 0.6), ("loan", 0.2))
    assert not holds_the_stance(advice, kb, "card_renting", choose_topic(advice, kb))


def test_a_short_question_after_a_scam_answer_is_not_taken_for_fundraising(kb):
    from bot.knowledge.topic_choice import stays_on_topic

    message = parse("东西还没拆的能退吗", ("fundraising_risk", 0.4), ("tv_shopping", 0.3))
    assert stays_on_topic(message, kb, "tv_shopping", choose_topic(message, kb))


def test_a_victim_saying_where_the_money_went_is_no_crime_request():
    from bot.knowledge.topic_choice import TopicChoice, told_where_money_went

    crime = TopicChoice("illegal_request", 0.65, 0.65)
    told = {"text": "钱是转到一个陌生人的银行卡 户名叫什么李某 我有截图"}
    assert told_where_money_went(told, "leader", "yes", crime)
    assert not told_where_money_went(told, "card_renting", "yes", crime), "after lending one's card it may be a crime"
    assert not told_where_money_went(told, "leader", None, crime), "no money of theirs gone: the classifier stands"
    assert not told_where_money_went({"text": "卡怎么卖"}, "leader", "yes", crime)
