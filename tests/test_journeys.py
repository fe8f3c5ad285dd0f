"""Conversations as people have them: what reaches the screen and the letter, step by step.

Each test is one defect seen by someone trying the bot, driven through the real engine
with buttons and short messages; look-ups are answered with recorded-shape results.
"""

from __future__ import annotations

import pytest

from bot.i18n import Renderer
from bot.render import render_draft, render_say
from flows.case import Nation, RemovalWhen
from flows.events import IntentScore, NluResult
from flows.replies import OfferReminder, Say
from flows.representatives import (
    Contact,
    LookupProblem,
    LookupResult,
    Purpose,
    Representative,
    Role,
)
from flows.steps import Step
from tests.builders import MINISTERS, centre, home, mp
from tests.conftest import Conversation

OWN_MP = mp("Alex Example", "Birmingham Ladywood",
            interests=("Political Interests: Refugees, Housing",))
FRIEND_MP = mp("Fran Friend", "Crawley", email="fran.friend.mp@parliament.uk")
CENTRE_MP = mp("Centre Member", "Crawley", email="centre.mp@parliament.uk")

# The first screen after the look-up must fit a phone (issue: 2.3–4.6 k before).
FIRST_SCREEN_LIMIT = 1500


def first_screen(talk: Conversation, since: int) -> str:
    """The results, as shown, from the look-up to the draft menu (buttons not counted)."""
    renderer = Renderer(talk.language)
    says = [r for r in talk.replies[since:] if isinstance(r, Say)]
    shown = [render_say(s, renderer).text for s in says]
    return "\n\n".join(text for text in shown if not text.startswith("One moment"))


def refused_in_birmingham(language: str = "en") -> Conversation:
    talk = Conversation(language=language,
                        results=(home("B12 9QJ", Nation.ENGLAND, OWN_MP),
                                 home("RH10 1EG", Nation.ENGLAND, FRIEND_MP,
                                      purpose=Purpose.FRIEND)),
                        ministers=MINISTERS).begin()
    talk.press("sit:refused")
    talk.press("sit:no_lawyer")
    talk.press("sit:done")
    if talk.state.step is Step.GENDER:  # Arabic, French…: a one-tap question first
        talk.press("gender:skip")
    talk.say("B12 9QJ")
    talk.press("own:skip")
    return talk


def test_g17_a_friends_postcode_adds_their_mp_and_never_replaces_mine() -> None:
    talk = refused_in_birmingham()
    asked = talk.say("my friend lives at RH10 1EG")
    assert "Whose postcode is RH10 1EG?" in talk.text(asked)
    shown = talk.press("whose:friend")
    text = talk.text(shown)
    assert "Fran Friend" in text and "fran.friend.mp@parliament.uk" in text
    assert talk.lookups[-1].postcodes == (("RH10 1EG", Purpose.FRIEND),)
    # The letter for the friend: signed by them, greeting their MP, about the person.
    friend_letter = talk.text(talk.drafts()[-1:])
    assert "Dear Fran Friend," in friend_letter
    assert "They do not live in your constituency, but I do" in friend_letter
    assert "they fill in the brackets and send it to their own MP" in text  # who sends it
    # The person's own MP and letter are untouched.
    assert talk.state.case.postcode == "B12 9QJ"
    talk.press("draft:mp_case")
    mine = talk.text(talk.drafts()[-1:])
    assert "Dear Alex Example," in mine and "I live in your constituency" in mine
    assert "draft:friend_mp" in talk.buttons() or "more:drafts" in talk.buttons()


def test_g17_the_friend_route_asks_for_the_friends_postcode() -> None:
    talk = refused_in_birmingham()
    talk.press("more:friend")
    assert talk.state.step is Step.FRIEND_POSTCODE
    talk.say("RH10 1EG")
    assert talk.state.case.friend_postcode == "RH10 1EG"
    assert talk.state.case.postcode == "B12 9QJ"
    assert any(r.purpose is Purpose.HOME for r in talk.state.results)
    assert any(r.purpose is Purpose.FRIEND for r in talk.state.results)


def test_a_postcode_typed_at_the_end_can_still_be_my_own_new_one() -> None:
    talk = refused_in_birmingham()
    talk.say("RH10 1EG")
    talk.press("whose:mine")
    assert talk.state.case.postcode == "RH10 1EG"
    assert talk.state.case.friend_postcode is None


def removal(when: str, lawyer: str = "lawyer:no") -> Conversation:
    talk = Conversation(results=(home("B12 9QJ", Nation.ENGLAND, OWN_MP),)).begin()
    talk.press("sit:removal")
    talk.press("sit:done")
    talk.press(lawyer)
    if when.startswith("when:"):
        talk.press(when)
    else:
        talk.say(when)
    talk.say("B12 9QJ")
    talk.press("own:skip")
    return talk


def test_removal_within_three_days_says_phone_today_and_offers_no_four_week_reminder() -> None:
    talk = removal("when:72h")
    after = talk.press("draft:mp_case")
    text = talk.text(after)
    assert "phone the MP's office today" in text
    assert "usually replies within a few weeks" not in text
    assert "more:remind" not in talk.buttons()
    assert "contact the Home Office today" in talk.text(talk.drafts()[-1:])


def test_removal_later_asks_for_action_before_the_date_not_today() -> None:
    talk = removal("when:later")
    talk.press("draft:mp_case")
    letter = talk.text(talk.drafts()[-1:])
    assert "today" not in letter and "before the removal date" in letter


def test_a_typed_removal_date_is_read_shown_back_and_written_out() -> None:
    talk = Conversation(results=(home("B12 9QJ", Nation.ENGLAND, OWN_MP),)).begin()
    talk.press("sit:removal")
    talk.press("sit:done")
    talk.press("lawyer:no")
    shown = talk.say("Friday")
    assert "Removal date: Friday, 11 December 2026." in talk.text(shown)
    talk.say("B12 9QJ")
    talk.press("own:skip")
    talk.press("draft:mp_case")
    assert "remove me from the UK on Friday, 11 December 2026." in talk.text(talk.drafts())


@pytest.mark.parametrize("typed", ["i have a flight ticket from home office, they deport me",
                                   "can i write to the home secretary?", "نازانم", "s'e di",
                                   "delete everything"])
def test_anything_but_a_date_at_the_removal_question_is_asked_again(typed: str) -> None:
    talk = Conversation().begin()
    talk.press("sit:removal")
    talk.press("sit:done")
    talk.press("lawyer:no")
    shown = talk.text(talk.say(typed))
    assert ("I'm not sure what you are asking" if "?" in typed
            else "I couldn't read a date in that") in shown
    assert talk.state.step is Step.REMOVAL_WHEN and talk.state.case.removal_date is None
    talk.press("when:unknown")
    talk.press("postcode:skip")
    talk.press("own:skip")
    talk.press("draft:mp_case")
    letter = talk.text(talk.drafts())
    assert typed not in letter
    assert "[date of the removal, or delete this sentence if none has been given]" in letter


def test_own_words_are_asked_once_quoted_and_labelled() -> None:
    talk = Conversation(language="ar").begin()
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.press("gender:skip")
    talk.press("postcode:skip")
    assert talk.state.step is Step.OWN_WORDS
    talk.say("أريد أن أبقى مع أطفالي")
    talk.press("draft:mp_case")
    english = talk.drafts()[-1].draft
    rendered = "\n".join(Renderer("en").render(p) for p in english.paragraphs)
    assert "In my own words, in Arabic: \u201cأريد أن أبقى مع أطفالي\u201d" in rendered


def test_a_postcode_typed_one_question_late_is_the_postcode_not_their_own_words() -> None:
    # A basic phone, a slow line: "skip" reached the postcode question, the postcode
    # arrived at the next one. The MP must not get "In my own words: EH1 1YZ".
    talk = Conversation(language="so",
                        results=(home("EH1 1YZ", Nation.SCOTLAND, OWN_MP),)).begin()
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    assert talk.state.step is Step.OWN_WORDS
    talk.say("eh1 1yz")
    assert talk.state.case.postcode == "EH1 1YZ"
    assert talk.state.case.own_words is None
    assert talk.state.step is Step.OWN_WORDS  # asked again
    talk.say("Waxaan rabaa inaan la joogo carruurtayda")  # now her own words
    talk.press("draft:mp_case")
    letter = talk.text(talk.drafts())
    assert "EH1 1YZ\u201d" not in letter and "Waxaan rabaa" in letter
    assert talk.lookups and talk.lookups[-1].postcodes[0][0] == "EH1 1YZ"


def test_a_description_goes_into_a_letter_only_when_chosen_at_the_own_words_step() -> None:
    talk = Conversation().begin()
    talk.say("i am in detention", NluResult((IntentScore("detained", 0.9),)))
    talk.press("confirm:no")  # not what they meant: they change it
    talk.press("sit:detained")  # untick
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    shown = talk.text(talk.replies[-1:])
    assert "\u201ci am in detention\u201d" in shown  # offered back, not assumed
    talk.press("own:skip")
    talk.press("draft:mp_case")
    assert "i am in detention" not in talk.text(talk.drafts())


@pytest.mark.parametrize("journey", ["refused", "detained", "helper_detained", "scotland",
                                     "removal"])
def test_the_first_screen_after_the_look_up_fits_a_phone(journey: str) -> None:
    results = {
        "refused": (home("B12 9QJ", Nation.ENGLAND, OWN_MP),),
        "detained": (centre("RH6 0PQ", CENTRE_MP),
                     home("B12 9QJ", Nation.ENGLAND, OWN_MP, purpose=Purpose.FORMER_HOME)),
        "helper_detained": (centre("RH6 0PQ", CENTRE_MP),
                            home("B12 9QJ", Nation.ENGLAND, OWN_MP)),
        "scotland": (home("G51 4TB", Nation.SCOTLAND, OWN_MP),),
        "removal": (home("B12 9QJ", Nation.ENGLAND, OWN_MP),),
    }[journey]
    talk = Conversation(results=results).begin("other" if journey == "helper_detained"
                                               else "self")
    if journey == "helper_detained":
        talk.press("rel:brother")
    situations = {"refused": ("refused", "no_lawyer"), "detained": ("detained",),
                  "helper_detained": ("detained",), "scotland": ("refused",),
                  "removal": ("removal",)}[journey]
    for situation in situations:
        talk.press(f"sit:{situation}")
    talk.press("sit:done")
    for answer in ("centre:brook_house", "lawyer:no", "when:72h"):
        if answer.split(":")[0] in " ".join(c for c in talk.buttons()):
            talk.press(answer)
    talk.say(results[-1].area.postcode if results[-1].area else "B12 9QJ")
    since = len(talk.replies)
    talk.press("own:skip")
    screen = first_screen(talk, since)
    assert talk.state.step is Step.RESULTS
    assert len(screen) <= FIRST_SCREEN_LIMIT, (journey, len(screen))
    assert "Email:" in screen and "Free legal advice" in screen  # the essentials are there
    assert screen.count("someone.mp@parliament.uk") == 1  # each MP once


def test_the_centres_mp_is_not_printed_twice_when_it_is_also_the_home_mp() -> None:
    talk = Conversation(results=(
        centre("RH6 0PQ", OWN_MP),
        home("RH10 1EG", Nation.ENGLAND, OWN_MP, purpose=Purpose.FORMER_HOME))).begin()
    talk.press("sit:detained")
    talk.press("sit:done")
    talk.press("centre:brook_house")
    talk.press("lawyer:no")
    talk.say("RH10 1EG")
    since = len(talk.replies)
    talk.press("own:skip")
    screen = first_screen(talk, since)
    assert screen.count("MP: Alex Example") == 1
    assert "it is the same MP as above" in screen


def test_a_centre_with_an_address_but_no_known_seat_does_not_claim_it_has_no_address() -> None:
    talk = Conversation(results=(LookupResult(purpose=Purpose.DETENTION_CENTRE,
                                              problem=LookupProblem.CENTRE_HAS_NO_POSTCODE),))
    talk.begin()
    talk.press("sit:detained")
    talk.press("sit:done")
    talk.press("centre:campsfield")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.press("own:skip")
    talk.press("more:why")
    text = talk.text()
    assert "Campsfield House" in text
    assert "reliable address" not in text
    assert "couldn't confirm which constituency this centre is in" in text


def test_a_helper_is_told_about_the_person_not_about_themself() -> None:
    talk = Conversation().begin("other")
    talk.press("rel:sister")
    talk.press("sit:delayed")
    talk.press("sit:done")
    talk.press("wait:gt2y")
    talk.press("lawyer:yes")
    talk.press("postcode:skip")
    talk.press("own:skip")
    talk.press("more:why")
    text = talk.text()
    assert "They have a lawyer: the lawyer should be asked first" in text
    assert "You have a lawyer" not in text and "it is not only you" not in text


def test_a_short_wait_gets_honest_advice() -> None:
    talk = Conversation().begin()
    talk.press("sit:delayed")
    talk.press("sit:done")
    talk.press("wait:lt6m")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.press("own:skip")
    talk.press("more:why")
    text = talk.text()
    assert "A wait of under six months is common" in text
    assert "After a very long wait" not in text


def test_every_letter_stays_reachable_from_the_menu() -> None:
    talk = Conversation(results=(home("G51 4TB", Nation.SCOTLAND, OWN_MP),)).begin("other")
    talk.press("rel:friend")
    talk.press("sit:detained")
    talk.press("sit:done")
    talk.press("centre:dungavel")
    talk.press("lawyer:no")
    talk.say("G51 4TB")
    talk.press("own:skip")
    first = talk.buttons()
    assert "draft:consent" in first
    talk.press("more:drafts")
    everything = talk.buttons()
    for kind in ("helper_mp", "centre_mp", "consent", "community", "devolved", "councillor",
                 "chaser", "friend_mp"):
        assert f"draft:{kind}" in everything


def test_the_reminder_is_offered_for_routine_letters() -> None:
    talk = refused_in_birmingham()
    talk.press("draft:mp_case")
    assert "more:remind" in talk.buttons()
    replies = talk.press("more:remind")
    assert OfferReminder() in replies


def test_removal_date_button_later_is_not_called_soon_in_the_letter() -> None:
    talk = removal("when:later")
    assert talk.state.case.removal_when is RemovalWhen.LATER
    talk.press("draft:mp_case")
    letter = talk.text(talk.drafts()[-1:])
    assert "[date of the removal, or delete this sentence if none has been given]" in letter


def test_with_a_removal_the_free_services_are_listed_once() -> None:
    talk = removal("when:72h")
    text = talk.text()
    assert text.count("Migrant Help") == 1
    assert "The services are listed above, with the removal advice." in text


def test_a_removal_this_week_gets_a_call_the_next_day_and_no_four_week_reminder() -> None:
    talk = removal("when:week")
    text = talk.text(talk.press("draft:mp_case"))
    assert "phone the MP's office the day after sending" in text
    assert "more:remind" not in talk.buttons()


def test_the_removal_essentials_list_a_few_services_with_how_to_reach_them() -> None:
    talk = Conversation().begin()
    talk.press("sit:removal")
    talk.press("sit:done")
    essentials = talk.text(talk.press("lawyer:no"))
    block = essentials.split("When is the removal planned?")[0]
    assert 1 <= block.count("• ") <= 3
    assert "find-legal-advice.justice.gov.uk" in block  # England's legal aid finder
    assert len(block) < 1500


def test_own_words_that_sound_like_a_request_are_kept_as_words() -> None:
    talk = Conversation().begin()
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.say("forget me", NluResult((IntentScore("forget_me", 0.95),)))  # always heard
    assert talk.state.step is Step.FORGET
    talk.press("forget:no")
    assert talk.state.step is Step.OWN_WORDS
    talk.say("please help me, my children are at school here",
             NluResult((IntentScore("help", 0.9),)))
    assert talk.state.case.own_words == "please help me, my children are at school here"


def test_a_helper_reads_tips_petition_advice_about_the_person_not_themself() -> None:
    talk = Conversation(results=(home("B12 9QJ", Nation.ENGLAND, OWN_MP),)).begin("other")
    talk.press("rel:brother")
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.say("B12 9QJ")
    talk.press("own:skip")
    for view in ("more:tips", "more:petition", "more:advice"):
        talk.press(view)
    text = talk.text()
    for slip in ("your case", "your documents", "your legal case", "put you or your family",
                 "tells your story", "already knows you"):
        assert slip not in text, slip
    assert "may advise on their case" in text and "makes their case public" in text


def test_a_detained_person_with_no_home_postcode_is_offered_the_centres_mp_first() -> None:
    talk = Conversation(results=(centre("RH6 0PQ", CENTRE_MP),)).begin()
    talk.press("sit:detained")
    talk.press("sit:done")
    talk.press("centre:brook_house")
    talk.press("lawyer:no")
    talk.press("postcode:skip")
    talk.press("own:skip")
    letters = [data for data in talk.buttons() if data.startswith("draft:")]
    assert letters[0] == "draft:centre_mp"


def test_a_friends_look_up_that_fails_outright_keeps_the_persons_own_results() -> None:
    talk = refused_in_birmingham()
    talk.press("more:friend")
    talk.results = ()  # the look-up raised: nothing at all comes back
    talk.say("RH10 1EG")
    assert any(r.purpose is Purpose.HOME for r in talk.state.results)
    assert talk.state.step is Step.RESULTS and not talk.state.friend_lookup


# --- "my lawyer gets no answer": from whom? ---------------------------------------------------


def _lawyer_trouble(silence: str) -> Conversation:
    talk = Conversation(results=(home("B12 9QJ", Nation.ENGLAND, OWN_MP),),
                        ministers=MINISTERS).begin()
    talk.press("sit:lawyer_unresponsive")
    talk.press("sit:done")
    assert talk.state.step is Step.LAWYER_SILENCE  # asked, not assumed
    talk.press(f"silent:{silence}")
    talk.say("B12 9QJ")
    talk.press("own:skip")
    return talk


def _mp_letter(talk: Conversation, kind: str = "mp_case") -> str:
    talk.press(f"draft:{kind}")
    english = talk.drafts()[-1].draft
    return "\n".join(Renderer("en").render(p) for p in english.paragraphs)


def test_a_lawyer_who_does_not_answer_me_is_not_told_as_the_home_office_not_answering() -> None:
    talk = _lawyer_trouble("lawyer")
    talk.press("more:why")
    shown = talk.text()
    assert "cannot make a lawyer answer" in shown
    assert "write to the law firm" in shown
    assert "ask them first before involving an MP" not in shown  # the silent lawyer can't be asked
    letter = _mp_letter(talk)
    assert "cannot get an answer from them about my case" in letter
    assert "has written to the Home Office but has had no reply" not in letter


def test_the_home_office_not_answering_the_lawyer_keeps_its_own_letter_and_advice() -> None:
    talk = _lawyer_trouble("home_office")
    talk.press("more:why")
    assert "When the Home Office does not answer your lawyer" in talk.text()
    letter = _mp_letter(talk)
    assert "has written to the Home Office but has had no reply" in letter
    assert "cannot get an answer from them" not in letter


def test_not_sure_who_is_silent_leaves_a_marked_gap_not_a_guess() -> None:
    talk = _lawyer_trouble("skip")
    letter = _mp_letter(talk)
    assert "There has been no answer from [the Home Office to my lawyer, or my lawyer to me" \
        in letter
    assert "has written to the Home Office" not in letter
    assert "cannot get an answer from them" not in letter


def test_a_helper_is_asked_in_the_persons_terms_and_the_letter_speaks_of_them() -> None:
    talk = Conversation(results=(home("B12 9QJ", Nation.ENGLAND, OWN_MP),),
                        ministers=MINISTERS).begin("other")
    talk.press("rel:brother")
    talk.press("sit:lawyer_unresponsive")
    talk.press("sit:done")
    assert "Their lawyer doesn't answer them" in talk.text(talk.replies[-1:])
    talk.press("silent:lawyer")
    talk.say("B12 9QJ")
    talk.press("own:skip")
    letter = _mp_letter(talk, "helper_mp")  # the helper's letter to their own MP
    assert "They have a legal representative" in letter
    assert "I have a legal representative" not in letter


def test_journey_7_in_wales_in_welsh_with_the_letter_in_welsh() -> None:
    """A Cardiff postcode, the Welsh interface, the MP and the Member of the Senedd, and
    the letter in Welsh to send when asked (journeys.md 7, G22)."""
    member = Representative(role=Role.MS, name="Rhian Prawf", area="Caerdydd Penarth",
                            contact=Contact(email="rhian.prawf@senedd.cymru"))
    talk = Conversation(language="cy", results=(
        home("CF10 4AU", Nation.WALES, mp("Dafydd Enghraifft", "Cardiff South and Penarth"),
             member),))
    talk.begin()
    talk.press("sit:refused")
    talk.press("sit:done")
    talk.press("lawyer:no")
    talk.say("CF10 4AU")
    talk.press("own:skip")
    shown = talk.text()
    english = Conversation(language="en").text(talk.replies)
    assert shown != english and "Rhian Prawf" in shown and "Dafydd Enghraifft" in shown
    talk.press("draft:mp_case")
    assert "draft:native.mp_case" in talk.buttons()
    talk.press("draft:native.mp_case")
    native = talk.drafts()[-1]
    assert native.native
    rendered = render_draft(native, Renderer("cy"))
    sent_english = render_draft(talk.drafts()[-2], Renderer("cy")).english
    assert rendered.translation is None and rendered.english != sent_english
    assert "Dafydd Enghraifft" in rendered.english or "Annwyl" in rendered.english
    assert "Senedd" in talk.text(talk.replies[-1:])


def test_after_the_letter_in_her_language_and_after_remind_me_there_is_a_way_on() -> None:
    # On a basic phone a message without buttons is a dead end: she would have to know
    # to type /draft to see her letters again.
    talk = refused_in_birmingham("ar")
    talk.press("draft:mp_case")
    for press in ("draft:native.mp_case", "more:remind"):
        last = talk.press(press)[-1]
        assert isinstance(last, Say) and last.choices, f"no buttons after {press}"
        assert "more:drafts" in [c.data for row in last.choices for c in row]
    assert "draft:mp_case" in [c.data for row in talk.press("more:drafts")[-1].choices
                               for c in row]
