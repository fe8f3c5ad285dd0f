"""One turn of a conversation: load the state, ask the NLU, step the engine, do the effects.

Shared by the terminal chat and the Telegram adapter, so both behave the same.
Nothing a person sends can make a turn fail: a broken state row starts afresh with
a kind word, a failing service degrades to buttons or official links, and any
unexpected error becomes an apology in the person's language, with the state as it
was before the turn.

Several workers may share one database. When another worker saved the person's state
while this turn ran (two of their messages handled at once), the save refuses, and
the turn is done again from the fresh state; replies go out only once a save held.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from bot.i18n import Renderer
from bot.language_guess import BackgroundGuesser, LanguageGuesser
from bot.log_safety import log_failure
from bot.lookups.base import RepresentativeFinder
from bot.nlu.base import NluClient
from bot.storage.conversations import ConversationStore, Loaded
from bot.storage.versioned import WriteConflict
from bot.typed_buttons import typed_button
from flows.centres import CENTRES_BY_ID
from flows.effects import Shown, settle
from flows.engine import Config, State, prompt, step
from flows.events import Event, LookupDone, NluResult, Start, Text
from flows.replies import LookUp, Reply, Say
from flows.representatives import LookupResult, Ministers
from flows.step_table import STEPS
from flows.text import t

log = logging.getLogger(__name__)

REMINDER_KEEP = timedelta(days=45)
# How often a turn is tried when other workers keep saving the same person's state
# meanwhile. Each try loses only to another turn of theirs that was saved, so this is
# reached only when several of their messages arrive at once; then the kind apology.
TURN_ATTEMPTS = 3


@dataclass
class TurnResult:
    """What the adapter shows, in which language, and what it must still do."""

    replies: list[Shown]
    language: str | None
    reminder_requested: bool = False
    erased: bool = False
    state: State = field(default_factory=State)

    def renderer(self, fallback_language: str | None = None) -> Renderer:
        """The renderer for these replies: their language, and the case person's gender
        where a translation must agree with it."""
        gender = self.state.case.subject_gender
        return Renderer(self.language or fallback_language, gender.value if gender else None)


SORRY = Say((t("error.sorry", "Sorry, something went wrong on my side. Nothing you told me is "
               "lost; please try again."),))
STATE_LOST = Say((t("error.state_lost", "Sorry, I couldn't pick up our earlier conversation, "
                    "so let's start again."),))


class ConversationService:
    def __init__(self, store: ConversationStore, nlu: NluClient, finder: RepresentativeFinder,
                 config: Config | None = None,
                 extra_erasers: list[Callable[[str], None]] | None = None,
                 today: Callable[[], date] = date.today,
                 guesser: LanguageGuesser | BackgroundGuesser | None = None) -> None:
        self.store = store
        self.nlu = nlu
        self.finder = finder
        self.config = config or Config()
        self.today = today
        self.guesser = guesser
        # Other stores that hold something about a person (e.g. reminders) register here,
        # so /forget reaches all of them.
        self.extra_erasers = list(extra_erasers or [])

    async def handle(self, key: str, event: Event, language_hint: str | None = None) -> TurnResult:
        started = time.perf_counter()
        # The NLU is asked once per message, however often the turn is done again.
        parses: dict[str, NluResult | None] = {}
        for attempt in range(1, TURN_ATTEMPTS + 1):
            loaded = self.store.load(key)
            state = loaded.state or State()
            notices: list[Shown] = []
            if loaded.unreadable:
                state = replace(State(), language=loaded.language)
                notices.append(STATE_LOST)
            try:
                result = await self._turn(key, loaded, state, event, language_hint, parses)
            except WriteConflict:
                log.info("turn saved over by another worker; doing it again (attempt %d)",
                         attempt)
                continue
            except Exception as error:  # noqa: BLE001 - the person must never see a traceback
                # Only the type and place: exception messages can carry the person's data
                # (an SQL error quotes the row it failed to write).
                log_failure(log, f"turn (step={state.step.value})", error)
                return TurnResult([*notices, SORRY, prompt(state)], state.language, state=state)
            result.replies[:0] = notices
            log.info("turn step=%s took_ms=%d", result.state.step.value,
                     (time.perf_counter() - started) * 1000)
            return result
        log.warning("turn given up: %d attempts, each saved over by another worker",
                    TURN_ATTEMPTS)
        return TurnResult([*notices, SORRY, prompt(state)], state.language, state=state)

    async def _turn(self, key: str, loaded: Loaded, state: State, event: Event,
                    language_hint: str | None, parses: dict[str, NluResult | None]
                    ) -> TurnResult:
        language_before = state.language
        if isinstance(event, Text):
            # A button's label typed out is the button; anything else goes to the NLU.
            pressed = typed_button(state, event.text)
            event = pressed or Text(event.text, await self._parse(event.text, state, parses),
                                    self._language_of(event.text, state))
        if isinstance(event, Start) and event.language_hint is None and language_hint:
            event = Start(language_hint=language_hint, payload=event.payload)
        # The engine reads no clock: today comes with the turn (typed dates, urgency).
        config = replace(self.config, today=self.today())
        state, replies = step(state, event, config)
        # Effects can lead to more replies (a look-up feeds an event back): the one loop
        # the tests drive too answers the look-ups; the other effects are done here.
        # RememberLanguage needs nothing: the language is in the state, saved below.
        settled = await settle(state, replies, config, self._look_up)
        state, shown, reminder = settled.state, settled.shown, settled.reminder_requested
        if settled.erase:
            # Whatever another worker saved meanwhile goes too: no version to compare.
            self.erase(key)
            # Keep nothing at all: not even the fresh, empty state. The confirmation is
            # still in the language they used, though nothing about them is kept.
            return TurnResult(shown, state.language or language_before, reminder, erased=True,
                              state=state)
        # A reminder comes after about 20 working days (longer over holidays): keep the
        # conversation a while past that, so the chaser can still be drafted from it.
        # Raises WriteConflict if another worker saved this person's state meanwhile.
        self.store.save(key, state, version=loaded.version,
                        keep_for=REMINDER_KEEP if reminder else None)
        return TurnResult(shown, state.language, reminder, state=state)

    def erase(self, key: str) -> None:
        self.store.erase(key)
        for eraser in self.extra_erasers:
            eraser(key)

    def _language_of(self, text: str, state: State) -> str | None:
        """The locale the words are in, until it has been compared with the interface's."""
        if state.language_checked or state.language is None or self.guesser is None:
            return None
        guess = self.guesser.guess(text)
        return guess.locale if guess else None

    async def _parse(self, text: str, state: State,
                     parses: dict[str, NluResult | None]) -> NluResult | None:
        # A step's own answer (a postcode, a day) is read by the engine: no NLU round
        # trip. Anything else is parsed at every step, so "delete everything" is heard.
        spec = STEPS.get(state.step)
        if spec is not None and spec.own_answer is not None \
                and spec.own_answer(text, self.today()):
            return None
        if text not in parses:
            parses[text] = await self.nlu.parse(text)
        return parses[text]

    async def _look_up(self, request: LookUp) -> LookupDone:
        """Every look-up at once; each failure is already folded into its result."""
        jobs = [self.finder.by_postcode(postcode, purpose)
                for postcode, purpose in request.postcodes]
        centre = CENTRES_BY_ID.get(request.centre_id or "")
        if centre is not None:
            jobs.append(self.finder.by_centre(centre))
        ministers_job = self.finder.ministers() if request.ministers else None
        gathered = await asyncio.gather(*jobs, return_exceptions=True)
        results = tuple(r for r in gathered if isinstance(r, LookupResult))
        for failure in (r for r in gathered if isinstance(r, BaseException)):
            log.warning("look-up raised %s", type(failure).__name__)
        ministers: Ministers | None = None
        if ministers_job is not None:
            try:
                ministers = await ministers_job
            except Exception as error:  # noqa: BLE001 - ministers are a nice-to-have
                log.warning("ministers look-up raised %s", type(error).__name__)
        return LookupDone(results=results, ministers=ministers)


__all__ = ["ConversationService", "Reply", "TurnResult"]
