"""The opening steps: language, the privacy notice, who needs help, and what is happening.

Free text is welcome at every one of them: a message that describes the case is read
(`read_case`) and proposed back for the person to confirm, never taken as settled.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flows.answers import (
    SITUATION_INTENTS,
    find_removal_day,
    is_yes,
    looks_like_a_situation,
    names_relationship,
    opens_with_no,
    parse_duration_months,
)
from flows.buttons import Action, Press
from flows.case import Case, Relationship, Situation, Writer, bound_text
from flows.centres import CENTRES_BY_ID, find_centre
from flows.events import NluResult
from flows.languages import (
    LANGUAGES,
    LANGUAGES_BY_CODE,
    language_named_in,
    names_a_language_not_spoken,
)
from flows.postcodes import find_postcode, normalise_postcode
from flows.prompts import (
    FIRST_LANGUAGES,
    MORE_LANGUAGES,
    more_languages,
    not_understood,
    privacy_details,
)
from flows.replies import Choice, RememberLanguage, Say
from flows.steps import Config, State, Step
from flows.text import Plain, t
from flows.transitions import ADVANCE, DONE, STAY, GoTo, Turn, resumable


def choose_language(state: State, code: str) -> Turn:
    """The interface language; the conversation carries on where it was."""
    target = resumable(state) or Step.PRIVACY
    chosen = replace(state, language=code, resume=None)
    return Turn(chosen, [RememberLanguage(code)], GoTo(target, remember=False))


def offer_language(code: str) -> Say:
    """Said once, in the language someone writes in when it isn't the interface's."""
    name = Plain(LANGUAGES_BY_CODE[code].native_name)
    return Say((t("language.offer", "You seem to be writing in {language}. Tap the button to "
                  "see my messages in {language}, or carry on as you are.", language=name),),
               ((Choice(name, Press(Action.LANGUAGE, code)),),), language=code)


def not_spoken_yet() -> Say:
    spoken = Plain(" · ".join(language.native_name for language in LANGUAGES))
    return Say((t("language.not_yet", "I can't show my messages in that language yet; I speak "
                  "{languages}. You can still write to me in your own language, and I will "
                  "try to understand.", languages=spoken),))


def language_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == MORE_LANGUAGES:
        return Turn(state, [more_languages()], DONE)
    if press.value == FIRST_LANGUAGES:
        return Turn(state, [], STAY)
    if press.value not in LANGUAGES_BY_CODE:
        return None
    return choose_language(state, press.value)


def language_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    code = language_named_in(text)
    if code is not None:
        return choose_language(state, code)
    if names_a_language_not_spoken(text):
        return Turn(state, [not_spoken_yet()], STAY)
    if state.language is None and looks_like_a_situation(nlu, config):
        # Someone who starts by describing their case shouldn't be stopped by a menu;
        # keep what was understood (not their words: nothing agreed yet), ask for the
        # language once, then the privacy notice, then "Is that right?".
        case, proposed = read_case(state.case, text, nlu, consented=False,
                                   today=config.today)
        return Turn(replace(state, case=case, proposed=proposed), [], STAY)
    return Turn(state, [], STAY)


def privacy_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == "ok":
        return after_privacy(state)
    if press.value == "more":
        return Turn(state, [privacy_details()], STAY)
    return None


def after_privacy(state: State) -> Turn:
    return Turn(state, [], GoTo(Step.CONFIRM if state.proposed else Step.WHO))


def privacy_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    if looks_like_a_situation(nlu, config):
        # A story is not an OK to the privacy notice: what was understood waits (their
        # words and postcode are not kept) until they have read it and agreed.
        case, proposed = read_case(state.case, text, nlu, consented=False,
                                   today=config.today)
        first = Say((t("privacy.first", "Thank you. Before I use what you wrote, please read "
                       "this and press OK."),))
        return Turn(replace(state, case=case, proposed=proposed), [first], STAY)
    if is_yes(text, nlu, config):
        return after_privacy(state)
    return Turn(state, [], STAY)


def who_button(state: State, press: Press, config: Config) -> Turn | None:
    writer = {"self": Writer.SELF, "other": Writer.HELPER}.get(press.value)
    if writer is None:
        return None
    updated = replace(state, case=state.case.update(writer=writer))
    return Turn(updated, [], GoTo(Step.SITUATION if writer is Writer.SELF
                                  else Step.RELATIONSHIP))


def describe_or_not_understood(state: State, text: str, nlu: NluResult | None,
                               config: Config) -> Turn:
    """A step that waits for a button, given a message instead: read it if it describes."""
    if looks_like_a_situation(nlu, config) or names_relationship(nlu):
        return understand(state, text, nlu, config)
    return Turn(state, [not_understood(reading=nlu is not None)], STAY)


def relationship_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value not in Relationship._value2member_map_:
        return None
    case = state.case.update(relationship=Relationship(press.value))
    return Turn(replace(state, case=case), [], GoTo(Step.SITUATION))


def relationship_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    if looks_like_a_situation(nlu, config) or names_relationship(nlu):
        return understand(state, text, nlu, config)
    # Whatever they call the person is fine, but it is not guessed ("a volunteer" is no
    # relative): the letters leave "[how you know them]" for the helper to fill in.
    case = state.case.update(relationship=None)
    return Turn(replace(state, case=case), [], GoTo(Step.SITUATION))


def situation_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value in SITUATION_INTENTS:
        situation = SITUATION_INTENTS[press.value]
        case = (state.case.without_situation(situation) if state.case.has(situation)
                else state.case.with_situations(situation))
        return Turn(replace(state, case=case), [], STAY)
    if press.value == "done":
        if not state.case.situations:
            return Turn(state, [Say((t("situation.none_yet", "Please choose at least one, or "
                                       "describe what is happening in a few words."),))], STAY)
        return situations_settled(state)
    return None


def understand(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    """Free text describing the case: propose what we understood and ask to confirm."""
    case, proposed = read_case(state.case, text, nlu, today=config.today)
    if not proposed and not case.situations:
        return Turn(replace(state, case=case), [], GoTo(Step.SITUATION))
    return Turn(replace(state, case=case, proposed=proposed), [], GoTo(Step.CONFIRM))


# How sure the model must be of a situation it ranks second or third to propose it;
# a removal comes in at a lower bar (see read_case).
SECONDARY_BAR = 0.3
SECONDARY_REMOVAL_BAR = 0.15


def read_case(case: Case, text: str, nlu: NluResult | None, *, today: date,
              consented: bool = True) -> tuple[Case, tuple[Situation, ...]]:
    """Everything a free-text message tells us: situations, helper, relative, centre, postcode.

    Before the privacy notice is agreed (`consented=False`) only what was understood is
    kept: not the person's words, not a postcode.
    """
    proposed: list[Situation] = []
    helper = False
    if nlu is not None:
        for score in nlu.ranking[:3]:
            # Secondary intents count only when the model is fairly sure of them too;
            # a removal at a lower bar, because a missed removal costs a routine letter
            # when an urgent one was needed, and "Is that right?" shows it to be checked
            # ("in Brook House, a ticket for deportation, no lawyer" came back as
            # no_lawyer 0.61, detained+removal 0.24).
            parts = score.name.split("+")
            if score is not nlu.ranking[0] and score.confidence < SECONDARY_BAR:
                if "removal" not in parts or score.confidence < SECONDARY_REMOVAL_BAR:
                    continue
                parts = ["removal"]  # only the removal comes in at the lower bar
            for part in parts:
                if part in SITUATION_INTENTS and SITUATION_INTENTS[part] not in proposed:
                    proposed.append(SITUATION_INTENTS[part])
                helper = helper or part == "on_behalf"
            if score is nlu.ranking[0] and "+" in score.name:
                break  # a combined top intent already says everything
        # The first relationship the model could map, else any it found ("sorry" can
        # come back beside "husband").
        found = [e.value for e in nlu.entities if e.entity == "relationship"]
        known_found = [v for v in found if v in Relationship._value2member_map_]
        relation = (known_found or found or [None])[0]
        if len(set(known_found)) > 1:
            # "I am his sister, writing for my brother": two relatives named, and which
            # one the case is about is not for us to guess. Someone else is writing;
            # the letters leave "[how you know them]" for the helper to fill in.
            helper = True
            relation = None
        if relation is not None:
            # A form the model found but couldn't map ("ماما", "маму") still means
            # someone else is writing; the letter then says "a relative of mine".
            known = relation in Relationship._value2member_map_
            case = case.update(relationship=Relationship(relation) if known
                               else case.relationship or Relationship.RELATIVE)
            helper = True
        centre_id = nlu.entity("detention_centre")
        if centre_id in CENTRES_BY_ID:
            case = case.update(centre_id=centre_id)
            if Situation.DETAINED not in proposed:
                proposed.append(Situation.DETAINED)
    if case.centre_id is None:
        centre = find_centre(text)
        if centre is not None and _mentions_centre_by_name(text, centre.name, centre.aliases):
            case = case.update(centre_id=centre.id)
    waiting_said = Situation.DELAYED in proposed or case.has(Situation.DELAYED)
    if waiting_said and case.waiting is None and case.waiting_months is None:
        # "waiting 3 years for a decision": the wait, shown back at "Is that right?".
        case = case.update(waiting_months=parse_duration_months(text))
    removal_said = Situation.REMOVAL in proposed or case.has(Situation.REMOVAL)
    if removal_said and case.removal_date is None:
        # "flight on friday 11 december": the day, shown back at "Is that right?".
        day = find_removal_day(text, today)
        if day is not None:
            case = case.update(removal_date=day.isoformat())
    postcode = find_postcode(text) if consented else None
    if postcode:
        case = case.update(postcode=postcode)
    if helper:
        case = case.update(writer=Writer.HELPER)
    elif case.writer is None and proposed:
        case = case.update(writer=Writer.SELF)
    if proposed and len(text) >= 15 and consented:
        # Kept only to be offered back at the own-words step: a letter quotes it only
        # once the person has seen it there and chosen it.
        case = case.update(described=bound_text(text))
    return case, tuple(s for s in proposed if s not in case.situations) or tuple(proposed)


def _mentions_centre_by_name(text: str, name: str, aliases: tuple[str, ...]) -> bool:
    """Avoid guessing a centre from a loose fuzzy match in a long message."""
    folded = text.casefold()
    return any(alias.casefold() in folded for alias in (name, *aliases) if len(alias) >= 5)


def confirm_button(state: State, press: Press, config: Config) -> Turn | None:
    if press.value == "yes":
        case = state.case.with_situations(*state.proposed)
        return situations_settled(replace(state, case=case, proposed=()))
    if press.value == "no":
        # What was understood stays ticked, for the person to change rather than redo;
        # a date or a wait read from their words is asked again instead.
        case = state.case.with_situations(*state.proposed).update(
            removal_date=None, waiting_months=None)
        sorry = Say((t("confirm.change", "Sorry I got that wrong. Tick or untick what applies, "
                       "then press Done:"),))
        return Turn(replace(state, case=case, proposed=()), [sorry], GoTo(Step.SITUATION))
    if press.value == "add":
        case = state.case.with_situations(*state.proposed)
        return Turn(replace(state, case=case, proposed=()), [], GoTo(Step.SITUATION))
    return None


def confirm_text(state: State, text: str, nlu: NluResult | None, config: Config) -> Turn:
    """More words at "Is that right?": they add to what was understood, or correct it."""
    typed_postcode = normalise_postcode(text.strip())
    if typed_postcode is not None:
        # Only a postcode: "Back" from the postcode question, then the postcode typed, or
        # an answer a step early on a slow line. Kept, so the postcode question is not
        # asked again; "Is that right?" still waits for its answer.
        return Turn(replace(state, case=state.case.update(postcode=typed_postcode)), [], STAY)
    if not (looks_like_a_situation(nlu, config) or names_relationship(nlu)):
        return Turn(state, [], STAY)
    if opens_with_no(text):
        # "no sorry, not me: my husband is detained": read afresh who is writing and what
        # is happening; what was retracted goes.
        base = state.case.update(writer=None, relationship=None, described=None,
                                 removal_date=None, waiting_months=None)
        case, proposed = read_case(base, text, nlu, today=config.today)
        if not proposed:
            # Who it is about was corrected, but not what is happening: they choose.
            return Turn(replace(state, case=case, proposed=()), [], GoTo(Step.SITUATION))
        return Turn(replace(state, case=case, proposed=proposed), [], STAY)
    # "also he has no lawyer": added to what was understood.
    case, proposed = read_case(state.case, text, nlu, today=config.today)
    merged = tuple(dict.fromkeys((*state.proposed, *proposed)))
    if state.case.described and case.described != state.case.described:
        case = case.update(described=bound_text(f"{state.case.described} {case.described}"))
    return Turn(replace(state, case=case, proposed=merged), [], STAY)


def situations_settled(state: State) -> Turn:
    case = state.case
    if case.writer is None:
        case = case.update(writer=Writer.SELF)
    return Turn(replace(state, case=case), [], ADVANCE)
