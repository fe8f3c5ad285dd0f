"""Each guidance point (docs/guidance.md) reached through a real conversation.

Every test drives the engine as a person would — buttons and short messages — and
checks what that person reads. Test names carry the guidance ids they cover.
"""

from __future__ import annotations

import pytest

from flows.advice import advise
from flows.case import Case, Nation, Situation, Writer
from flows.events import Entity, IntentScore, NluResult
from flows.representatives import Purpose
from tests.builders import MINISTERS, centre, home, mp
from tests.conftest import Conversation

ENGLAND_MP = mp("Alex Example", "Birmingham Ladywood", interests=("Refugees", "Housing"))


def refused_without_lawyer() -> Conversation:
    talk = Conversation(results=(home("B12 9QJ", Nation.ENGLAND, ENGLAND_MP),),
                        ministers=MINISTERS).begin()
    talk.say("home office said no to my asylum, i dont have a lawyer",
             NluResult((IntentScore("refused+no_lawyer", 0.93),)))
    talk.press("confirm:yes")
    talk.say("b12 9qj")
    talk.press("own:reuse")
    talk.press("more:why")  # the reasons behind the first screen
    return talk


def detained_in(centre_id: str, helper: bool = False) -> Conversation:
    talk = Conversation(results=(
        centre("RH6 0PQ", mp("Centre Member", "Crawley")),
        home("B12 9QJ", Nation.ENGLAND, ENGLAND_MP,
             purpose=Purpose.HOME if helper else Purpose.FORMER_HOME),
    )).begin("other" if helper else "self")
    if helper:
        talk.press("rel:brother")
    talk.press("sit:detained")
    talk.press("sit:done")
    talk.press(f"centre:{centre_id}")
    talk.press("lawyer:no")
    talk.say("B12 9QJ")
    talk.press("own:skip")
    talk.press("more:why")
    return talk


def test_g1_mp_is_main_route_and_can_reach_ministers() -> None:
    text = refused_without_lawyer().text()
    assert "politician most likely to help" in text
    assert "immigration minister or the Home Secretary" in text


def test_g2_mp_explains_why_for_each_situation() -> None:
    text = refused_without_lawyer().text()
    assert "After a refusal, an MP can ask the Home Office" in text
    assert "Without a lawyer, an MP can help you get an answer" in text


def test_g3_mp_found_from_postcode_with_contact_details() -> None:
    talk = refused_without_lawyer()
    text = talk.text()
    assert talk.lookups[-1].postcodes[0][0] == "B12 9QJ"
    assert "Alex Example" in text and "someone.mp@parliament.uk" in text
    assert "020 7219 0000" in text and "area where you live" in text


def test_g4_surgery_meeting_and_start_early() -> None:
    talk = refused_without_lawyer()
    talk.press("more:tips")
    text = talk.text()
    assert "Start early" in text and "surgeries" in text
    talk.press("draft:surgery")
    assert "at one of your surgeries" in talk.text(talk.replies[-2:])


def test_g5_detained_person_told_a_friend_can_see_the_mp() -> None:
    text = detained_in("brook_house").text()
    assert "can meet the MP in person for you" in text


def test_g6_research_the_mp_and_listed_interests() -> None:
    talk = refused_without_lawyer()
    assert "Interests they list: Refugees; Housing" in talk.text()
    talk.press("more:tips")
    assert "Even an MP whose party is against immigration may help" in talk.text()


def test_g7_link_story_to_interests_and_be_clear() -> None:
    talk = refused_without_lawyer()
    talk.press("more:tips")
    assert "Link your story to what the MP cares about" in talk.text()


def test_g8_g9_no_obligation_but_duty_to_respond_caseworker() -> None:
    text = refused_without_lawyer().text()
    assert "does not have to take up your case" in text
    assert "caseworker" in text


def test_g10_refusal_reasons_and_new_evidence() -> None:
    talk = refused_without_lawyer()
    assert "Read the Home Office's reasons for refusing" in talk.text()
    talk.press("draft:mp_case")
    gap = "[what is wrong in the refusal, or any new evidence, in a sentence or two]"
    assert gap in talk.text()


def test_g11_bring_documents_in_order() -> None:
    talk = refused_without_lawyer()
    talk.press("more:tips")
    assert "Bring all your documents and letters, in order" in talk.text()


def test_g12_patience_for_non_urgent_cases() -> None:
    talk = Conversation().begin()
    talk.press("sit:delayed")
    talk.press("sit:done")
    talk.press("wait:gt2y")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.press("own:skip")
    talk.press("more:why")
    assert "it is not only you" in talk.text()
    talk.press("more:tips")
    assert "can take weeks to answer an MP. Be patient" in talk.text()


def test_g13_ho_must_reply_but_ask_mp_for_more_than_one_email() -> None:
    talk = refused_without_lawyer()
    talk.press("more:tips")
    text = talk.text()
    assert "has to answer the MP" in text and "more than send one email" in text


def test_g14_delay_warns_decision_may_be_negative_and_lawyer_first() -> None:
    talk = Conversation().begin()
    talk.say("waiting 3 years for decision", NluResult((IntentScore("delayed", 0.9),)))
    talk.press("confirm:yes")
    talk.say("3 years")
    assert "ask them before involving an MP" in talk.text()  # the question says why
    talk.press("lawyer:yes")
    talk.press("postcode:skip")
    talk.press("own:skip")
    talk.press("more:why")
    text = talk.text()
    assert "a faster decision can also be a refusal" in text
    assert "You have a lawyer: ask them first" in text
    talk.press("draft:mp_case")
    assert "waiting 3 years for a decision" in talk.text(talk.drafts()[-1:])


def test_g15_appeal_rights_exhausted_barriers_to_justice() -> None:
    talk = Conversation().begin()
    talk.press("sit:appeal_rights_exhausted")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.press("own:skip")
    talk.press("more:why")
    assert "what stood in the way of justice" in talk.text()


def test_g16_g25_ministers_rarely_act_reached_through_mp() -> None:
    talk = refused_without_lawyer()
    talk.press("more:who_else")
    text = talk.text()
    assert "very rarely step into a single case" in text
    assert "Some MPs have met the minister" in text
    assert "Test Home Secretary" in text and "Test Minister" in text


def test_g17_friends_in_other_constituencies() -> None:
    talk = refused_without_lawyer()
    talk.press("more:who_else")
    assert "Family and friends who live in other areas" in talk.text()


def test_g17_helper_gets_their_own_mp() -> None:
    text = detained_in("harmondsworth", helper=True).text()
    assert "You can ask your own MP to help the person you support" in text
    assert "Alex Example" in text


def test_g18_detention_centre_mp_and_former_mp() -> None:
    talk = detained_in("brook_house")
    text = talk.text()
    assert "The MP whose area includes the detention centre" in text
    assert "Centre Member" in text
    assert "where you lived before detention" in text and "Alex Example" in text
    assert talk.lookups[-1].centre_id == "brook_house"


def test_g19_f6_consent_letter_offered_and_signed_and_dated() -> None:
    talk = detained_in("harmondsworth", helper=True)
    assert "draft:consent" in talk.buttons()
    talk.press("draft:consent")
    letter = talk.text(talk.drafts()[-1:])
    assert "LETTER OF AUTHORITY" in letter and "Signed: [signature]" in letter
    assert "Date: [date]" in letter
    assert ("I also authorise [full name of the person helping] ([how you know them, e.g. my "
            "brother]) to speak about my case, for me, to the office of any MP named") in letter
    # Both MPs the helper was told to write to are authorised, each by name.
    assert "I authorise Alex Example (MP for Birmingham Ladywood) and Centre Member (MP for "\
           "Crawley), and their staff" in letter


def test_g20_community_supporters_when_mp_silent() -> None:
    talk = refused_without_lawyer()
    talk.press("more:silent")
    text = talk.text()
    assert "head teacher" in text and "family doctor" in text
    assert "I wrote to you on [date of your first letter]" in text


@pytest.mark.parametrize(
    ("nation", "expected"),
    [
        (Nation.SCOTLAND, "Home Office has long refused to answer MSPs"),
        (Nation.WALES, "The Senedd has no power over immigration"),
        (Nation.NORTHERN_IRELAND, "The Assembly has no power over immigration"),
    ],
)
def test_g21_g22_g23_devolved_members_with_caveats(nation: Nation, expected: str) -> None:
    postcode = {Nation.SCOTLAND: "G51 4TB", Nation.WALES: "CF10 4AU",
                Nation.NORTHERN_IRELAND: "BT7 1NN"}[nation]
    talk = Conversation(results=(home(postcode, nation, ENGLAND_MP),)).begin()
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.say(postcode)
    talk.press("own:skip")
    text = talk.text()
    assert expected in text
    assert text.index("Your MP") < text.index(expected)  # the MP comes first
    assert "draft:devolved" in talk.buttons()


def test_g24_councillors_and_mayors() -> None:
    talk = refused_without_lawyer()
    talk.press("more:who_else")
    text = talk.text()
    assert "Councillors are easier to reach" in text
    assert "writetothem.com/?pc=B12+9QJ" in text


def test_g26_g27_petition_risks_and_uses() -> None:
    talk = refused_without_lawyer()
    talk.say("should i start a petition or go to newspaper",
             NluResult((IntentScore("petition", 0.9),)))
    text = talk.text()
    assert "can even put you or your family in danger" in text
    assert "a petition alone will not" in text
    assert "few signatures" in text
    assert "crowdfunder" in text


def test_f1_f2_senedd_and_assembly_facts() -> None:
    wales = advise(Case(writer=Writer.SELF, situations=(Situation.REFUSED,), nation=Nation.WALES))
    ni = advise(Case(writer=Writer.SELF, situations=(Situation.REFUSED,),
                     nation=Nation.NORTHERN_IRELAND))
    assert any("F1" in r.guidance for r in wales)
    assert any("F2" in r.guidance for r in ni)


def test_f3_twenty_working_days_and_reminder_offer() -> None:
    talk = refused_without_lawyer()
    talk.press("draft:mp_case")
    assert "20 working days" in talk.text()
    assert "more:remind" in talk.buttons()


def test_f4_appeal_rights_exhausted_is_not_always_final() -> None:
    talk = Conversation().begin()
    talk.press("sit:appeal_rights_exhausted")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.press("own:skip")
    talk.press("more:why")
    text = talk.text()
    assert "Asylum support can stop" in text and "It is not always the end" in text


def test_f5_removal_lawyer_and_mp_at_once_before_any_question() -> None:
    talk = Conversation().begin()
    first = talk.say("they booked my flight, i dont know the day",
                     NluResult((IntentScore("removal", 0.95),)))
    first += talk.press("confirm:yes")
    # One tap first, so the essentials can say the right thing about the lawyer ...
    assert "Do you have a lawyer" in talk.text(first)
    assert "Get a lawyer now" not in talk.text(first)
    after = talk.press("lawyer:no")
    text = talk.text(after)
    # ... then the essentials, before any other follow-up question.
    assert text.index("Get a lawyer now") < text.index("When is the removal planned?")
    assert "An MP cannot cancel a removal" in text
    assert "put off" in text


def test_f5_a_person_with_a_lawyer_is_told_to_call_them_not_to_find_one() -> None:
    talk = Conversation().begin()
    talk.press("sit:removal")
    talk.press("sit:done")
    text = talk.text(talk.press("lawyer:yes"))
    assert "Call your lawyer now" in text and "Get a lawyer now" not in text


def test_f7_wrong_mp_is_usually_forwarded() -> None:
    assert "usually passed on" in refused_without_lawyer().text()


def test_f8_information_not_legal_advice_with_free_services() -> None:
    text = refused_without_lawyer().text()
    assert "information, not legal advice" in text
    assert "find-legal-advice.justice.gov.uk" in text
    assert "Unity Centre" not in text  # a closed service is never shown


def test_f9_drafts_are_personal_not_one_fixed_text() -> None:
    one = refused_without_lawyer()
    one.press("draft:mp_case")
    other = Conversation().begin()
    other.say("waiting 18 months no news", NluResult((IntentScore("delayed", 0.9),)))
    other.press("confirm:yes")
    other.press("wait:1to2y")
    other.press("lawyer:no")
    other.press("postcode:skip")
    other.press("own:reuse")
    other.press("draft:mp_case")
    first, second = one.text(one.drafts()), other.text(other.drafts())
    assert first != second
    assert "home office said no to my asylum" in first  # their own words
    assert "waiting 18 months no news" in second


def test_f10_centre_shown_with_date_and_closed_centre_answered_as_closed() -> None:
    text = detained_in("brook_house").text()
    assert "(my information is from 2025-07)" in text
    talk = Conversation().begin()
    talk.press("sit:detained")
    talk.press("sit:done")
    talk.say("morton hall")
    assert "closed as a detention centre" in talk.text()


def test_f11_ministers_named_only_when_fetched() -> None:
    talk = Conversation(results=(home("B12 9QJ", Nation.ENGLAND, ENGLAND_MP),)).begin()
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.say("B12 9QJ")
    talk.press("own:skip")
    talk.press("more:who_else")
    assert "I couldn't check who holds these posts right now" in talk.text()


def test_f12_helper_path_is_first_class() -> None:
    talk = Conversation().begin("other")
    talk.press("rel:wife")
    talk.say("she is held in yarls wood",
             NluResult((IntentScore("detained", 0.9),),
                       (Entity("detention_centre", "yarls_wood"),)))
    assert talk.state.case.helping and talk.state.case.centre_id == "yarls_wood"
    assert "Where are they held?" not in talk.text()  # the centre was understood
