from rasa_sdk.events import SlotSet

from actions.knowledge_actions import (ActionAcknowledge, ActionAnswerTopic, ActionFallback, ActionOutOfScope,
                                       ActionTopicFollowup)


async def test_answers_the_selected_topic_and_remembers_it(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("安全账户是啥", selector_key="police")
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", "police")]
    texts = [m["text"] for m in dispatcher.messages]
    assert texts == list(services.knowledge.get("police").answer)
    assert dispatcher.messages[-1]["buttons"]


async def test_a_topic_button_answers_that_topic(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory('/faq{"topic": "loan"}', entities=[{"entity": "topic", "value": "loan"}])
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", "loan")]
    assert dispatcher.messages[0]["text"] == services.knowledge.get("loan").answer[0]


async def test_an_unsure_selection_gets_the_polite_fallback(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("嗯嗯那个", selector_key="police", selector_confidence=0.1)
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert events == [] and dispatcher.messages[0]["response"] == "utter_default"


async def test_followup_uses_the_topic_slot(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("打哪个电话", intent="followup_hotline", slots={"topic": "investment"})
    await ActionTopicFollowup().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == services.knowledge.get("investment").hotline[0]


async def test_money_sent_without_a_topic_gets_the_urgent_steps(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("我已经转钱了", intent="followup_transferred")
    await ActionTopicFollowup().run(dispatcher, tracker, domain)
    text = "".join(m["text"] for m in dispatcher.messages)
    assert "110" in text


async def test_money_gone_said_first_in_a_story_gets_the_urgent_steps_and_that_scams_advice(
        services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("俺孙子说他被派出所抓了 要交保证金两万 我刚给他转过去了", intent="followup_transferred",
                              selector_key="leader", selector_confidence=0.4)
    events = await ActionTopicFollowup().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert "110" in texts[0]
    leader = services.knowledge.get("leader")
    assert any(t in texts for t in leader.transferred if "110" not in t)
    assert SlotSet("topic", "leader") in events  # "那怎么办" next goes on with this scam


async def test_a_story_with_money_gone_opens_with_the_urgent_steps_and_remembers_them(
        services, dispatcher, domain, tracker_factory):
    entities = [{"entity": "money_sent", "value": "yes"}, {"entity": "amount", "value": 30000},
                {"entity": "channel", "value": "bank"}, {"entity": "when", "value": "just_now"}]
    tracker = tracker_factory("他说是公安局的，我刚才往他给的账户转了三万", selector_key="police", entities=entities)
    events = await ActionAnswerTopic().run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]["text"]
    assert "110" in first and "3万元" in first and "银行卡" in first
    assert SlotSet("money_sent", "yes") in events and SlotSet("amount", 30000) in events


async def test_what_to_do_next_turn_knows_what_was_lost_from_the_slots(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("那咋办", intent="followup_what_to_do",
                              slots={"topic": "romance", "money_sent": "yes", "amount": 8000, "channel": "wechat"})
    await ActionTopicFollowup().run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]["text"]
    assert "8000元" in first and "微信" in first and "110" in first


async def test_a_close_second_topic_comes_as_a_button_after_the_answer(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("这个是啥情况", selector_key="police", selector_confidence=0.5,
                              runner_up=("other_scam", 0.4))
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    last = dispatcher.messages[-1]
    assert last["buttons"][0]["payload"] == '/faq{"topic": "other_scam"}'


async def test_an_unclear_message_that_says_money_went_gets_the_urgent_steps_not_the_fallback(
        services, dispatcher, domain, tracker_factory):
    entities = [{"entity": "money_sent", "value": "yes"}, {"entity": "amount", "value": 2000}]
    tracker = tracker_factory("他用我手机扫码付了两千多 现在咋整", intent="nlu_fallback", entities=entities,
                              slots={"topic": "game"})
    events = await ActionFallback().run(dispatcher, tracker, domain)
    text = "".join(m["text"] for m in dispatcher.messages)
    assert "110" in text and "紧急止付" in text and "2000元" in text
    assert SlotSet("money_sent", "yes") in events


async def test_an_unclear_message_without_money_gone_gets_the_polite_fallback(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("嗯嗯那个", intent="nlu_fallback", slots={"money_sent": "yes"})
    events = await ActionFallback().run(dispatcher, tracker, domain)
    assert events == [] and dispatcher.messages[0]["response"] == "utter_default"


async def test_a_follow_up_after_asking_for_a_crime_keeps_the_stance(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("那怎么办", intent="followup_what_to_do",
                              slots={"topic": "illegal_request", "money_sent": "yes"})
    await ActionTopicFollowup().run(dispatcher, tracker, domain)
    text = "".join(m["text"] for m in dispatcher.messages)
    assert "紧急止付" not in text, "someone who moved money for others is not told to stop-pay as a victim"
    assert text == "".join(services.knowledge.get("illegal_request").what_to_do)


async def test_a_code_given_is_not_told_back_as_money_gone(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("我把验正码给他了", intent="followup_transferred",
                              entities=[{"entity": "given_away", "value": "verification_code"},
                                        {"entity": "money_sent", "value": "unclear"}],
                              slots={"topic": "customer_service"})
    await ActionTopicFollowup().run(dispatcher, tracker, domain)
    text = "".join(m["text"] for m in dispatcher.messages)
    assert "钱已经转出去" not in text and "转出了" not in text
    assert "验证码" in text and "密码" in text and "冻结" in text


async def test_an_unclear_follow_up_to_a_crime_request_keeps_the_stance(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("我咋说能撇清 教教我", intent="nlu_fallback", slots={"topic": "card_renting"})
    events = await ActionFallback().run(dispatcher, tracker, domain)
    text = "".join(m["text"] for m in dispatcher.messages)
    assert "违法" in text and "如实" in text
    assert SlotSet("topic", "illegal_request") in events
    dispatcher.messages.clear()
    tracker = tracker_factory("就开个玩笑 又不真骗钱", intent="nlu_fallback", slots={"topic": "illegal_request"})
    await ActionFallback().run(dispatcher, tracker, domain)
    assert "违法" in "".join(m["text"] for m in dispatcher.messages)


async def test_money_moved_for_someone_else_is_about_the_law_not_a_stop_payment(services, dispatcher, domain,
                                                                                   tracker_factory):
    tracker = tracker_factory("我就转了一次，也算犯法吗", intent="followup_transferred", slots={"topic": "card_renting"})
    await ActionTopicFollowup().run(dispatcher, tracker, domain)
    text = "".join(m["text"] for m in dispatcher.messages)
    assert "帮信罪" in text and "如实" in text
    assert not text.startswith("您说"), "not the victim's money-gone opening"


async def test_pushing_back_on_the_same_topic_gets_the_stance_not_the_answer_again(
        services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("可是我爸说那个声音跟我一模一样啊", selector_key="leader", slots={"topic": "leader"})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    texts = "".join(m["text"] for m in dispatcher.messages)
    assert "AI" in texts and "回拨" in texts
    assert dispatcher.messages[0]["text"] != services.knowledge.get("leader").answer[0]


async def test_a_new_question_later_in_the_conversation_is_answered_not_met_with_the_urgent_steps(
        services, dispatcher, domain, tracker_factory):
    # The loan story said money had gone (the slot); "那正规的贷款咋借" asks something new.
    tracker = tracker_factory("那正规的贷款咋借", selector_key="legit_credit",
                              slots={"topic": "loan", "money_sent": "yes", "amount": 2000})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == services.knowledge.get("legit_credit").answer[0]


async def test_a_resident_who_refused_hears_that_they_did_right(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("说是京东客服要我开屏幕共享 我觉得不对劲没开 这样没事吧", selector_key="customer_service")
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith("您做得对")


async def test_disbelief_read_as_tell_me_more_gets_the_stance(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("他说得可准了 俺名字地址都知道 能是假的吗", intent="followup_more",
                              slots={"topic": "customer_service"})
    await ActionTopicFollowup().run(dispatcher, tracker, domain)
    assert "泄露" in dispatcher.messages[0]["text"]


async def test_an_unclear_reply_after_a_card_answer_keeps_the_stance(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("反正是不用的号 放着也是浪费", intent="nlu_fallback", slots={"topic": "card_renting"})
    await ActionFallback().run(dispatcher, tracker, domain)
    assert "违法" in dispatcher.messages[0]["text"]


async def test_shame_gets_a_kind_word_before_the_urgent_steps(services, dispatcher, domain, tracker_factory):
    entities = [{"entity": "money_sent", "value": "yes"}]
    tracker = tracker_factory("我刚转了他两万 好丢人 不敢告诉我儿子", selector_key="police", entities=entities)
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert "别自责" in dispatcher.messages[0]["text"] and "110" in dispatcher.messages[1]["text"]


async def test_a_question_beside_the_topic_gets_its_own_answer_not_the_topic_again(
        services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("可不交的话 前面那两千不就白瞎了", selector_key="loan", slots={"topic": "loan"})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]["text"]
    assert "别交" in first and "110" in first
    assert services.knowledge.get("loan").answer[0] not in [m["text"] for m in dispatcher.messages]


async def test_a_follow_up_with_a_question_of_its_own_gets_that_answer_first(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("已经报警了 派出所说在查 那我们还能干点啥", intent="followup_what_to_do",
                              slots={"topic": "investment"})
    await ActionTopicFollowup().run(dispatcher, tracker, domain)
    assert "配合警方" in dispatcher.messages[0]["text"]


async def test_an_unsure_topic_with_money_gone_gets_the_urgent_steps(services, dispatcher, domain, tracker_factory):
    entities = [{"entity": "money_sent", "value": "yes"}, {"entity": "amount", "value": 3000}]
    tracker = tracker_factory("我刚看了 卡里少了三千多 那是退休金啊", selector_key="personal_info",
                              selector_confidence=0.1, entities=entities, slots={"topic": "personal_info"})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    assert "110" in dispatcher.messages[0]["text"] and "3000元" in dispatcher.messages[0]["text"]


async def test_a_bank_errand_is_pointed_to_the_counter(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("俺想给老伴去银行开张卡要带啥", intent="out_of_scope")
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope_bank"]


async def test_an_ordinary_looking_question_in_a_scam_conversation_is_answered(services, dispatcher, domain,
                                                                               tracker_factory):
    tracker = tracker_factory("我不太会弄手机 银行电话咋打", intent="out_of_scope", slots={"topic": "personal_info"})
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert "卡背面" in dispatcher.messages[0]["text"]


async def test_a_short_unclear_message_after_an_answer_gets_what_to_do(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("he wants me to share screen, 我还没点同意", intent="nlu_fallback",
                              slots={"topic": "customer_service"})
    await ActionFallback().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == services.knowledge.get("customer_service").what_to_do[0]


async def test_a_forgotten_password_asked_first_gets_how_to_reset_it_not_scam_talk(
        services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("银行卡密码忘了咋整", selector_key="personal_info")
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    text = "".join(m["text"] for m in dispatcher.messages)
    assert "忘记密码" in text and "110" not in text


async def test_a_plain_no_is_acknowledged(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("不用了", intent="deny", slots={"topic": "after_fraud"})
    await ActionAcknowledge().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_deny"]


async def test_a_no_that_goes_on_to_ask_is_answered_not_waved_off(services, dispatcher, domain, tracker_factory):
    # The resident corrects the sum and asks whether to call the police: never "好的，没关系".
    tracker = tracker_factory("不对 语音打错了 是一千八 那是不是就不用报警了", intent="deny",
                              slots={"topic": "after_fraud"})
    await ActionAcknowledge().run(dispatcher, tracker, domain)
    text = "".join(m.get("text") or "" for m in dispatcher.messages)
    assert "110" in text and "utter_deny" not in [m.get("response") for m in dispatcher.messages]


async def test_photos_already_sent_are_not_told_their_money_went(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("可我已经发过去了咋办", intent="followup_transferred", slots={"topic": "identity_theft"})
    await ActionTopicFollowup().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0] == services.knowledge.get("identity_theft").what_to_do[0]
    assert not any("转出" in t for t in texts)


async def test_pressure_after_a_refusal_gets_the_stance_again(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("我们是有牌照的小贷公司，正规的，你放心写", selector_key="illegal_ads", selector_confidence=0.7,
                              slots={"topic": "illegal_request"})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0] == services.knowledge.get("illegal_request").insist[0]


async def test_transfer_words_with_the_money_still_there_never_get_the_urgent_steps(
        services, dispatcher, domain, tracker_factory):
    # 还没转 卡里的钱还在 after a code was given: lock the accounts, never "您说转出了钱".
    tracker = tracker_factory("还没转 卡里的钱还在 刚看了", intent="followup_transferred",
                              entities=[{"entity": "money_sent", "value": "no"}],
                              slots={"topic": "customer_service", "given_away": ["verification_code"]})
    await ActionTopicFollowup().run(dispatcher, tracker, domain)
    text = "".join(m["text"] for m in dispatcher.messages)
    assert "转出" not in text and "紧急止付" not in text
    assert "冻结" in text and "密码" in text


async def test_a_short_no_money_sent_after_a_scam_answer_gets_what_to_do_not_a_bare_ok(
        services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("hai mei zhuan qian", intent="deny", entities=[{"entity": "money_sent", "value": "no"}],
                              slots={"topic": "police", "given_away": ["screen_share"]})
    await ActionAcknowledge().run(dispatcher, tracker, domain)
    text = "".join(m.get("text") or "" for m in dispatcher.messages)
    assert "utter_deny" not in [m.get("response") for m in dispatcher.messages]
    assert "共享" in text and "冻结" in text and "转出" not in text


async def test_a_victim_telling_where_the_money_went_is_not_read_as_a_crime(services, dispatcher, domain,
                                                                           tracker_factory):
    tracker = tracker_factory("钱是转到一个陌生人的银行卡 户名叫什么李某 我有截图", selector_key="illegal_request",
                              selector_confidence=0.65, slots={"topic": "leader", "money_sent": "yes"})
    await ActionAnswerTopic().run(dispatcher, tracker, domain)
    text = "".join(m["text"] for m in dispatcher.messages)
    assert "帮信罪" not in text and "投案" not in text
    assert "110" in text


async def test_an_unplaced_message_that_tells_of_a_scam_is_not_sent_to_the_bank_as_an_errand(
        services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("刚刚有个call说我的credit card在海外被盗刷了 要我download一个app 还要开screen share is this a scam??",
                              intent="nlu_fallback")
    await ActionFallback().run(dispatcher, tracker, domain)
    text = "".join(m.get("text") or "" for m in dispatcher.messages)
    assert "utter_out_of_scope_bank" not in [m.get("response") for m in dispatcher.messages]
    assert "验证码" in text and "96110" in text


async def test_an_unplaced_bank_errand_is_still_pointed_to_the_bank(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("my credit card limit is too low how to raise it", intent="nlu_fallback")
    await ActionFallback().run(dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_out_of_scope_bank"]
