from datetime import date

from rasa_sdk.events import SlotSet

from actions.quiz_actions import (
    ActionAskQuizAnswer, ActionJoinEvent, ActionQuizFinish, ActionQuizStart, ActionQuizStop,
    ValidateQuizForm,
)


def slot_values(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def start(services, dispatcher, domain, tracker_factory, **slots):
    tracker = tracker_factory("答题", intent="quiz_start", slots=slots)
    return slot_values(await ActionQuizStart().run(dispatcher, tracker, domain))


async def test_starting_a_quiz_picks_five_questions_and_stores_an_attempt(services, dispatcher, domain,
                                                                        tracker_factory):
    values = await start(services, dispatcher, domain, tracker_factory)
    state = values["quiz_state"]
    assert len(state["ids"]) == 5 and state["attempt_id"] and state["index"] == 0
    assert "5道" in dispatcher.messages[0]["text"]


async def test_the_question_is_asked_with_option_buttons(services, dispatcher, domain, tracker_factory):
    values = await start(services, dispatcher, domain, tracker_factory)
    dispatcher.messages.clear()
    tracker = tracker_factory("", slots={"quiz_state": values["quiz_state"]})
    await ActionAskQuizAnswer().run(dispatcher, tracker, domain)
    message = dispatcher.messages[0]
    assert message["text"].startswith("第1题") and message["buttons"]


async def answer(dispatcher, domain, tracker_factory, state, text, intent="affirm", confidence=0.9):
    tracker = tracker_factory(text, intent=intent, confidence=confidence,
                              slots={"quiz_state": state, "requested_slot": "quiz_answer"})
    form = ValidateQuizForm()
    extracted = await form.extract_quiz_answer(dispatcher, tracker, domain)
    if not extracted:
        return None
    return await form.validate_quiz_answer(extracted["quiz_answer"], dispatcher, tracker, domain)


async def test_right_and_wrong_answers_get_feedback(services, dispatcher, domain, tracker_factory):
    state = (await start(services, dispatcher, domain, tracker_factory))["quiz_state"]
    q = services.bank.get(state["ids"][0])
    letter = "ABCD"[q.answer_index] if q.type == "single" else q.answer
    result = await answer(dispatcher, domain, tracker_factory, state, letter)
    assert result["quiz_answer"] is None and result["quiz_state"]["score"] == 1
    assert "答对了" in dispatcher.messages[-1]["text"]


async def test_an_unclear_reply_repeats_the_question_and_is_not_marked_wrong(services, dispatcher, domain,
                                                                             tracker_factory):
    state = (await start(services, dispatcher, domain, tracker_factory))["quiz_state"]
    result = await answer(dispatcher, domain, tracker_factory, state, "嗯……让我想想", intent="out_of_scope")
    assert result == {"quiz_answer": None}
    assert "选项" in dispatcher.messages[-1]["text"]


async def test_a_knowledge_question_interrupts_without_answering(services, dispatcher, domain, tracker_factory):
    state = (await start(services, dispatcher, domain, tracker_factory))["quiz_state"]
    result = await answer(dispatcher, domain, tracker_factory, state, "等等，安全账户是什么", intent="faq")
    assert result is None  # the form rejects, a rule answers, then the quiz resumes


async def test_going_on_after_a_question_resumes_without_scolding_or_stopping(services, dispatcher, domain,
                                                                               tracker_factory):
    state = (await start(services, dispatcher, domain, tracker_factory))["quiz_state"]
    result = await answer(dispatcher, domain, tracker_factory, state, "好了 接着答", intent="quiz_resume")
    assert result == {"quiz_answer": None}  # the form asks the same question again
    assert dispatcher.messages[-1]["text"] == "好的，我们接着答题。"
    assert state["index"] == 0, "nothing was answered or skipped"


async def test_finishing_shows_score_and_topics_to_learn(services, dispatcher, domain, tracker_factory):
    state = (await start(services, dispatcher, domain, tracker_factory))["quiz_state"]
    for i in range(5):
        q = services.bank.get(state["ids"][i])
        wrong = (q.answer_index + 1) % len(q.choices)
        result = await answer(dispatcher, domain, tracker_factory, state, str(wrong + 1) if q.type == "single"
                              else ("错" if wrong == 1 else "对"))
        state = result["quiz_state"]
    assert result["quiz_answer"] == "done"
    dispatcher.messages.clear()
    events = await ActionQuizFinish().run(dispatcher, tracker_factory("", slots={"quiz_state": state}), domain)
    text = dispatcher.messages[0]["text"]
    assert "0/5" in text and "建议再看看" in text
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert "再来一轮" in titles and any(t.startswith("了解") for t in titles)
    assert slot_values(events)["quiz_state"] is None


async def test_stopping_reports_progress(services, dispatcher, domain, tracker_factory):
    state = (await start(services, dispatcher, domain, tracker_factory))["quiz_state"]
    await ActionQuizStop().run(dispatcher, tracker_factory("不答了", slots={"quiz_state": state}), domain)
    assert "答题先到这里" in dispatcher.messages[-1]["text"]


async def test_joining_an_event_by_code_offers_audience_buttons(services, dispatcher, domain, tracker_factory):
    event = services.store.create_event(name="老年活动中心有奖问答", held_on=date(2026, 11, 27),
                                        venue_type="老年活动中心", n_prizes=2)
    tracker = tracker_factory(f"参加活动 {event.code}", intent="join_event")
    events = await ActionJoinEvent().run(dispatcher, tracker, domain)
    assert SlotSet("event_code", event.code) in events
    assert "老年活动中心有奖问答" in dispatcher.messages[0]["text"]
    assert any("跳过" in b["title"] for b in dispatcher.messages[0]["buttons"])


async def test_a_wrong_code_is_explained(services, dispatcher, domain, tracker_factory):
    events = await ActionJoinEvent().run(dispatcher, tracker_factory("参加活动 000000", intent="join_event"), domain)
    assert events == [] and "没有找到" in dispatcher.messages[0]["text"]


async def join(dispatcher, domain, tracker_factory, code, sender="resident-1", source="src-a"):
    tracker = tracker_factory(f"参加活动 {code}", intent="join_event", sender_id=sender,
                              metadata={"source": source})
    return await ActionJoinEvent().run(dispatcher, tracker, domain)


async def test_an_event_quiz_uses_the_event_settings(services, dispatcher, domain, tracker_factory):
    event = services.store.create_event(name="校园讲座", held_on=date(2026, 11, 27), venue_type="学校",
                                        n_questions=3, pass_mark=3, n_prizes=1)
    await join(dispatcher, domain, tracker_factory, event.code)
    values = await start(services, dispatcher, domain, tracker_factory, event_code=event.code)
    assert len(values["quiz_state"]["ids"]) == 3 and values["quiz_state"]["event_code"] == event.code


async def test_an_event_round_cannot_start_without_joining_in_this_conversation(services, dispatcher, domain,
                                                                               tracker_factory):
    event = services.store.create_event(name="社区讲座", held_on=date.today(), venue_type="社区", n_prizes=5)
    values = await start(services, dispatcher, domain, tracker_factory, event_code=event.code)
    assert "quiz_state" not in values and "先加入活动" in dispatcher.messages[-1]["text"]


async def test_a_wrong_answer_in_an_event_quiz_does_not_reveal_the_right_one(services, dispatcher, domain,
                                                                            tracker_factory):
    event = services.store.create_event(name="社区讲座", held_on=date.today(), venue_type="社区", n_prizes=5)
    await join(dispatcher, domain, tracker_factory, event.code)
    state = (await start(services, dispatcher, domain, tracker_factory, event_code=event.code))["quiz_state"]
    question = services.bank.get(state["ids"][0])
    wrong = "ABCD"[(question.answer_index + 1) % len(question.choices)] if question.type == "single" else (
        "错" if question.answer_index == 0 else "对")
    dispatcher.messages.clear()
    await answer(dispatcher, domain, tracker_factory, state, wrong)
    said = dispatcher.messages[-1]["text"]
    assert "没答对" in said and question.explanation not in said and "答案是" not in said
    if question.type == "single":  # (a true/false answer's 对 is inside 没答对 itself)
        assert question.choices[question.answer_index] not in said


async def test_one_address_cannot_join_an_event_endlessly_with_new_chat_sessions(services, dispatcher, domain,
                                                                                tracker_factory):
    services.store.joins_per_source = 12  # JOINS_PER_ADDRESS, small for the test
    event = services.store.create_event(name="商圈宣传", held_on=date.today(), venue_type="商圈", n_prizes=500)
    for i in range(12):
        assert await join(dispatcher, domain, tracker_factory, event.code, sender=f"script-{i}", source="one-ip")
    dispatcher.messages.clear()
    assert await join(dispatcher, domain, tracker_factory, event.code, sender="script-next", source="one-ip") == []
    assert "太多" in dispatcher.messages[-1]["text"]
    # Someone on another network still gets in.
    assert await join(dispatcher, domain, tracker_factory, event.code, sender="neighbour", source="other-ip")


async def test_a_paused_event_takes_no_new_participants_or_rounds(services, dispatcher, domain, tracker_factory):
    event = services.store.create_event(name="乡村宣传", held_on=date.today(), venue_type="乡村", n_prizes=5)
    await join(dispatcher, domain, tracker_factory, event.code, sender="early")
    services.store.set_joining(event.id, False)
    assert await join(dispatcher, domain, tracker_factory, event.code, sender="late") == []
    assert "暂时停止" in dispatcher.messages[-1]["text"]
    tracker = tracker_factory("答题", intent="quiz_start", slots={"event_code": event.code}, sender_id="early")
    assert "quiz_state" not in slot_values(await ActionQuizStart().run(dispatcher, tracker, domain))
    services.store.set_joining(event.id, True)
    assert await join(dispatcher, domain, tracker_factory, event.code, sender="late")


def test_one_participant_wins_one_prize_however_many_rounds_they_start(services, bank):
    from tests.bot.quiz.test_outbox import answer_round
    from bot.quiz import rules as quiz_rules

    store = services.store
    event = store.create_event(name="企业讲座", held_on=date.today(), venue_type="企业", n_prizes=5, pass_mark=1)
    joined = store.join(event.code, "greedy")
    attempts = [store.start_attempt("greedy", quiz_rules.choose_round(bank), "event", "", event.id,
                                    joined.participant_id) for _ in range(3)]
    for attempt in attempts:
        answer_round(store, bank, attempt, quiz_rules.choose_round(bank))
    codes = [store.finish_attempt(a).prize_code for a in attempts]
    assert sum(1 for c in codes if c) == 1


async def test_a_long_message_read_as_stop_outside_a_quiz_is_answered_not_told_no_quiz(
        services, dispatcher, domain, tracker_factory):
    from actions.quiz_actions import ActionQuizStop

    entities = [{"entity": "money_sent", "value": "yes"}]
    tracker = tracker_factory("I paid with my credit card. 银行能把这笔stop掉吗?", intent="quiz_stop", entities=entities)
    await ActionQuizStop().run(dispatcher, tracker, domain)
    text = "".join(m.get("text") or "" for m in dispatcher.messages)
    assert "110" in text and "没有在答题" not in text


async def test_go_on_said_about_a_scam_outside_a_quiz_starts_no_quiz(services, dispatcher, domain, tracker_factory):
    # 他还让我明天继续转: "继续" read as "go on with the quiz", in a conversation about a loss.
    tracker = tracker_factory("他还让我明天继续转 说今天没清完", intent="quiz_resume",
                              slots={"topic": "credit", "money_sent": "yes"})
    values = slot_values(await ActionQuizStart().run(dispatcher, tracker, domain))
    assert "quiz_state" not in values and values["quiz_answer"] == "cancelled"
    text = "".join(m.get("text") or "" for m in dispatcher.messages)
    assert "题" not in text and text, "no quiz question, and a reply about the scam"


async def test_go_on_with_a_quiz_word_outside_a_quiz_starts_one(services, dispatcher, domain, tracker_factory):
    tracker = tracker_factory("继续答题", intent="quiz_resume", slots={"topic": "credit"})
    values = slot_values(await ActionQuizStart().run(dispatcher, tracker, domain))
    assert len(values["quiz_state"]["ids"]) == 5
