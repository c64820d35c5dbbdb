from rasa_sdk.events import SlotSet

from actions.knowledge_actions import ActionAnswerTopic, ActionTopicFollowup


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
