"""The follow-up questions a case needs: centre, removal date, wait, lawyer, postcode, own words.

Each handler reads one answer, by button or typed, and either keeps it and advances or
explains kindly what it needs and asks again. A typed answer goes into a letter only as
what it was read as (a real day, a number of months), never copied in as typed.
"""

from __future__ import annotations

from dataclasses import replace

from flows.answers import parse_duration_months, parse_removal_day
from flows.buttons import Press
from flows.case import (
    MAX_OWN_WORDS,
    Gender,
    LawyerSilence,
    RemovalWhen,
    Situation,
    WaitBand,
    Writer,
    bound_text,
)
from flows.centres import CENTRES_BY_ID, CentreStatus, find_centre
from flows.events import NluResult
from flows.languages import LANGUAGES_BY_CODE
from flows.letter_facts import duration
from flows.looking_up import look_up_friend
from flows.postcodes import EXAMPLE_POSTCODE, find_postcode, normalise_postcode, outward_code
from flows.present import FIND_MP_URL, lookup_problem_message
from flows.prompts import not_understood
from flows.replies import Say
from flows.representatives import LookupProblem, LookupResult, Purpose
from flows.steps import Config, State, Step
from flows.text import Day, Plain, t
from flows.transitions import ADVANCE, STAY, GoTo, Turn


def skipped(state: State, step: Step) -> State:
    """The person chose not to answer: this question is not asked again."""
    return replace(state, skipped=(*state.skipped, step))


def needs_lawyer_answer(state: State) -> bool:
    """Nothing said yet about a lawyer (skipping is `next_question`'s to honour)."""
    case = state.case
    return (case.has_lawyer is None and not case.has(Situation.NO_LAWYER)
            and not case.has(Situation.LAWYER_UNRESPONSIVE))


# --- the detention centre ---------------------------------------------------------------


def centre_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == "other":
        return Turn(state, [Say((t("centre.type_name", "Please type the name of the centre or "
                                   "prison."),))])
    if press.value == "skip":
        return Turn(skipped(state, Step.CENTRE), [], ADVANCE)
    if press.value in CENTRES_BY_ID:
        return centre_chosen(state, press.value)
    return None


def centre_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    centre_id = nlu.entity("detention_centre") if nlu else None
    centre = CENTRES_BY_ID.get(centre_id or "") or find_centre(text)
    if centre is None:
        return Turn(state, [Say((t("centre.unknown", "I don't know that centre. Choose one "
                                   "below, or press Skip: I can still help without it."),))],
                    STAY)
    return centre_chosen(state, centre.id)


def centre_chosen(state: State, centre_id: str) -> Turn:
    centre = CENTRES_BY_ID[centre_id]
    if centre.status is CentreStatus.CLOSED:
        return Turn(state, [Say((t("centre.closed", "{name} closed as a detention centre "
                                   "({date}). Please check where the person is held now and "
                                   "choose again.", name=Plain(centre.name),
                                   date=Plain(centre.status_since or "")),))], STAY)
    if centre.status is CentreStatus.PLANNED:
        return Turn(state, [Say((t("centre.planned", "As far as I know, {name} was not yet "
                                   "open (my information is from {date}). Please check and "
                                   "choose again, or press Skip.", name=Plain(centre.name),
                                   date=Plain(centre.source_date)),))], STAY)
    return Turn(replace(state, case=state.case.update(centre_id=centre_id)), [], ADVANCE)


# --- when the removal is ------------------------------------------------------------------


def removal_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value not in RemovalWhen._value2member_map_:
        return None
    case = state.case.update(removal_when=RemovalWhen(press.value), removal_date=None)
    return Turn(replace(state, case=case), [], ADVANCE)


def unplaced_question() -> Say:
    """A question the NLU could not place: "that's no date/postcode" would not answer it."""
    return Say((t("question.unplaced", "I'm not sure what you are asking. /privacy says who "
                  "sees what you write, and /help what I can do. Then, please answer this:"),))


def _asks(text: str) -> bool:
    return "?" in text or "؟" in text


def removal_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    # A typed date goes into the letter only as a real day, shown back to be checked;
    # anything else is asked again rather than copied into a letter as a "date".
    day = parse_removal_day(text, config.today)
    if day is None and _asks(text):
        return Turn(state, [unplaced_question()], STAY)
    if day is None:
        return Turn(state, [Say((t("removal.unclear", "I couldn't read a date in that. Please "
                                   "choose a button, or type the date, for example 14 "
                                   "March."),))], STAY)
    noted = Say((t("removal.noted", "Removal date: {day}. If that is wrong, press Back.",
                   day=Day(day.isoformat())),))
    case = state.case.update(removal_date=day.isoformat(), removal_when=None)
    return Turn(replace(state, case=case), [noted], ADVANCE)


# --- how long the wait has been -----------------------------------------------------------


def waiting_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value not in WaitBand._value2member_map_:
        return None
    case = state.case.update(waiting=WaitBand(press.value), waiting_months=None)
    return Turn(replace(state, case=case), [], ADVANCE)


def waiting_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    months = parse_duration_months(text, config.today)
    if months is None and _asks(text):
        return Turn(state, [unplaced_question()], STAY)
    if months is None:
        return Turn(state, [Say((t("waiting.unclear2", "Please choose one of the buttons, or "
                                   "write how long, like \"3 years\" or \"since 2022\"."),))],
                    STAY)
    case = state.case.update(waiting_months=months, waiting=None)
    noted = Say((t("waiting.noted", "Waiting time: {duration}. If that is wrong, press Back.",
                   duration=duration(case)),))
    return Turn(replace(state, case=case), [noted], ADVANCE)


# --- the lawyer ---------------------------------------------------------------------------


def lawyer_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == "skip":
        return Turn(skipped(state, Step.LAWYER), [], ADVANCE)
    if press.value not in ("yes", "no"):
        return None
    has = press.value == "yes"
    case = state.case.update(has_lawyer=has)
    if not has:
        case = case.with_situations(Situation.NO_LAWYER)
    return Turn(replace(state, case=case), [], ADVANCE)


def lawyer_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    return Turn(state, [not_understood()], STAY)


# --- who does not answer: the Home Office, or the lawyer ----------------------------------


def needs_lawyer_silence(state: State) -> bool:
    return state.case.has(Situation.LAWYER_UNRESPONSIVE) and state.case.lawyer_silence is None


def lawyer_silence_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == "skip":  # not sure: the letters leave a marked gap instead
        return Turn(skipped(state, Step.LAWYER_SILENCE), [], ADVANCE)
    if press.value not in {silence.value for silence in LawyerSilence}:
        return None
    case = state.case.update(lawyer_silence=LawyerSilence(press.value))
    return Turn(replace(state, case=case), [], ADVANCE)


def lawyer_silence_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    return Turn(state, [not_understood()], STAY)


# --- how the letter speaks of them -----------------------------------------------------


def needs_gender(state: State) -> bool:
    """Asked once, of someone writing for themselves, where their language must choose."""
    language = LANGUAGES_BY_CODE.get(state.language or "")
    return (language is not None and language.first_person_gendered
            and state.case.writer is Writer.SELF and state.case.gender is None)


def gender_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == "skip":  # the translation then uses wording that fits anyone
        return Turn(skipped(state, Step.GENDER), [], ADVANCE)
    if press.value not in {gender.value for gender in Gender}:
        return None
    return Turn(replace(state, case=state.case.update(gender=Gender(press.value))), [], ADVANCE)


def gender_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    return Turn(state, [not_understood()], STAY)


# --- the postcode -------------------------------------------------------------------------


def postcode_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == "skip":
        return Turn(skipped(state, Step.POSTCODE), [], ADVANCE)
    return None


def postcode_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    postcode = (nlu.entity("postcode") if nlu else None) or text
    found = find_postcode(postcode) or find_postcode(text)
    if found is not None:
        return Turn(replace(state, case=state.case.update(postcode=found)), [], ADVANCE)
    if _asks(text):
        return Turn(state, [unplaced_question()], STAY)
    return Turn(state, [postcode_problem(text)], STAY)


def postcode_problem(text: str) -> Say:
    """Not a postcode: say why, with an example, in the person's language."""
    if _looks_like_a_place(text):
        # "I live in Birmingham": help to find the postcode, and the official finder.
        return Say((t("postcode.place", "That looks like the name of a place. I need the full "
                      "postcode: it is on letters sent to the address, or you can look it up at "
                      "{royal_mail}. You can also find the MP by place at {find_mp}.",
                      royal_mail=Plain(FIND_POSTCODE_URL), find_mp=Plain(FIND_MP_URL)),))
    problem = (LookupProblem.PARTIAL_POSTCODE if outward_code(text)
               else LookupProblem.INVALID_POSTCODE)
    message = lookup_problem_message(LookupResult(purpose=Purpose.HOME, problem=problem),
                                     EXAMPLE_POSTCODE)
    return Say((message,)) if message else not_understood()


FIND_POSTCODE_URL = "https://www.royalmail.com/find-a-postcode"


def _looks_like_a_place(text: str) -> bool:
    """A few words and no digits, e.g. a town or a street (a postcode always has digits);
    a question is not a place."""
    letters = sum(ch.isalpha() for ch in text)
    return (letters >= 3 and len(text.split()) <= 6 and not any(ch.isdigit() for ch in text)
            and not any(mark in text for mark in "?؟"))


# --- their own words ----------------------------------------------------------------------


def own_words_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == "skip":
        return Turn(skipped(state, Step.OWN_WORDS), [], ADVANCE)
    if press.value == "reuse" and state.case.described:
        case = state.case.update(own_words=state.case.described,
                                 own_words_language=state.language)
        return Turn(replace(state, case=case), [], ADVANCE)
    return None


def own_words_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    late_postcode = normalise_postcode(text.strip())
    if late_postcode is not None and state.case.postcode is None:
        # Only a postcode, just after the postcode question: on a slow phone an answer
        # lands one question late. Quoted to the MP as "my own words" it would say
        # nothing; taken as the postcode, the MP is found, and this question comes again.
        return Turn(replace(state, case=state.case.update(postcode=late_postcode)), [], ADVANCE)
    # Whatever they write is theirs to say: kept bounded, quoted in the letters as typed.
    case = state.case.update(own_words=bound_text(text, MAX_OWN_WORDS),
                             own_words_language=state.language)
    thanks = Say((t("own_words.kept", "Thank you. I will quote your words in the letters, as "
                    "you wrote them."),))
    return Turn(replace(state, case=case), [thanks], ADVANCE)


# --- a friend's postcode (G17) --------------------------------------------------------------


def friend_postcode_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == "skip":
        return Turn(state, [], GoTo(Step.RESULTS, remember=False))
    return None


def friend_postcode_text(state: State, text: str, nlu: NluResult | None,
                         config: Config) -> Turn:
    found = find_postcode(text)
    if found is None:
        return Turn(state, [postcode_problem(text)], STAY)
    return look_up_friend(state, found)
