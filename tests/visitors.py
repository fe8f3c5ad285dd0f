"""Simulated people who talk to the bot as people do, for the load test and the benchmark.

Each person sends a message, waits for the bot's answer, then answers its question:
/start, their language, OK to the privacy note, who needs help, their situation typed
in their own words (a held-out sentence of nlu/tests in their language, so the NLU
reads it), then whatever the bot asks: a button it offered, or their postcode typed
out; at the end, the letters.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bot.nlu.training_files import SITUATIONS, atoms, language_files, read_examples
from flows.languages import supported
from tests.fakes.bot_api import Call, FakeBotApi, Person

# Postcodes with recorded answers, as people type them.
POSTCODES_TYPED = ("WC1X 8QD", "wc1x8qd", "RH6 0PQ", "rh6 0pq")
# Phones set to a language the bot doesn't speak: /start shows the language picker.
OTHER_APP_LANGUAGES = (None, "de", "it", "nl", "ru", "pt-br")
# Detention centres whose MP the recorded answers know (Crawley, Hayes and Harlington).
RECORDED_CENTRES = ("brook_house", "tinsley_house", "harmondsworth", "colnbrook")

TYPED, PRESSED = "typed", "pressed"


# --- who the people are --------------------------------------------------------------------


@dataclass
class Sent:
    kind: str  # TYPED or PRESSED
    content: str  # what was typed, or the button's data
    at: float  # time.monotonic() when it was pushed, comparable with Call.at


@dataclass
class Visitor:
    """One simulated person: who they are, what they will say, what happened."""

    person: Person
    language: str  # the interface language they read
    description: str  # their situation, in their own words
    situation: str  # what the description is about (the held-out intent's first part)
    postcode: str  # as they type it
    helping: bool  # writing for someone else
    sent: list[Sent] = field(default_factory=list)
    answers: list[Call] = field(default_factory=list)  # the end of each message's answer
    query_ids: list[str] = field(default_factory=list)  # of each button pressed
    described: bool = False
    typed_postcode: str | None = None
    asked: set[str] = field(default_factory=set)  # results buttons already pressed

    def next_message(self, question: Call | None) -> tuple[str, str]:
        """What this person sends next, given the bot's last question (None: nothing yet)."""
        if question is None:
            # At first, and after a letter in their language (which leaves no buttons):
            # the menu's command for the letters.
            return TYPED, "/draft" if self.sent else "/start"
        offered = question.button_data()
        actions = {data.partition(":")[0] for data in offered}

        def first(*wanted: str, prefix: str | None = None) -> str:
            for data in wanted:
                if data in offered:
                    return data
            matching = [d for d in offered if prefix and d.startswith(prefix)]
            assert matching, f"none of {wanted} or {prefix} among {offered}"
            return matching[0]

        if "lang" in actions:
            return PRESSED, first(f"lang:{self.language}", "lang:more")
        if "privacy" in actions:
            return PRESSED, "privacy:ok"
        if "who" in actions:
            return PRESSED, "who:other" if self.helping else "who:self"
        if "rel" in actions:
            return PRESSED, first(prefix="rel:")
        if "sit" in actions:
            if not self.described:
                self.described = True
                return TYPED, self.description
            # Not understood: they tick what applies (the buttons change in place), then Done.
            ticked = any(b.get("text", "").startswith("✓") for b in question.buttons)
            return PRESSED, "sit:done" if ticked else first(f"sit:{self.situation}",
                                                            prefix="sit:")
        if "confirm" in actions:
            return PRESSED, "confirm:yes"
        if "centre" in actions:
            return PRESSED, first(*(f"centre:{c}" for c in RECORDED_CENTRES))
        if "postcode" in actions:
            self.typed_postcode = self.postcode
            return TYPED, self.postcode
        simple = {"when": None, "wait": None, "silent": None, "lawyer": "lawyer:no",
                  "gender": ("gender:f", "gender:m", "gender:skip")[self.person.user_id % 3],
                  "own": "own:reuse" if self.person.user_id % 2 else "own:skip",
                  "friend": "friend:skip", "whose": "whose:mine", "forget": "forget:no",
                  "replied": "replied:no"}
        for action, choice in simple.items():
            if action in actions:
                return PRESSED, first(*([choice] if choice else []), prefix=f"{action}:")
        if "draft" in actions or "more" in actions:
            # The letters offered, each once, then what else the results can tell.
            fresh = [d for d in offered if d.startswith("draft:") and d not in self.asked]
            # Not "Remind me": it schedules a check-in weeks away, and answers with
            # a sentence, no question, so a person stops there.
            fresh += [d for d in ("more:drafts", "more:why", "more:advice", "more:tips",
                                  "more:who_else") if d in offered and d not in self.asked]
            assert fresh, f"nothing left to press among {offered}"
            self.asked.add(fresh[0])
            return PRESSED, fresh[0]
        raise AssertionError(f"a question this test can't answer: {offered}")


def held_out_descriptions() -> dict[str, list[tuple[str, str]]]:
    """(text, intent) of every held-out situation sentence, by the interface language."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in language_files():
        for example in read_examples(path):
            language = supported(example.language)  # ar_latn -> ar, prs -> fa, ...
            if language and atoms(example.intent) <= set(SITUATIONS):
                found[language].append((example.text, example.intent))
    return found


def cast(fake: FakeBotApi, count: int, first_id: int = 60_000_000,
         seed: int = 13) -> list[Visitor]:
    """`count` people across every language the NLU is tested in; the same people for the
    same `seed`, with user ids from `first_id`."""
    chance = random.Random(seed)
    descriptions = held_out_descriptions()
    languages = sorted(descriptions)
    people = []
    for n in range(count):
        language = languages[n % len(languages)]
        helping = n % 6 == 5
        text, intent = chance.choice([(text, intent) for text, intent in descriptions[language]
                                      if ("on_behalf" in atoms(intent)) == helping])
        # One in five has their phone in their own language: no picker at /start.
        app_language = language if n % 5 == 0 else chance.choice(OTHER_APP_LANGUAGES)
        person = fake.person(first_id + n, f"P{n}", app_language)
        main = sorted(atoms(intent) - {"on_behalf"}) or ["detained"]
        people.append(Visitor(person, language, text, main[0],
                              chance.choice(POSTCODES_TYPED), helping))
    return people


# --- what comes back ---------------------------------------------------------------------


def is_question(call: Call) -> bool:
    """A message asking the person something, with buttons to answer.

    Ticking a situation changes the question's buttons in place instead of asking
    again. The one-button offer to switch language comes before the question: not one.
    """
    data = call.button_data()
    if not data or (len(data) == 1 and data[0].startswith("lang:")):
        return False
    return call.method in ("sendMessage", "editMessageReplyMarkup", "editMessageText")


def ends_answer(call: Call, before: Call | None) -> bool:
    """The last message of the bot's answer to one message.

    Every turn ends with a question, except a letter in the person's own language: it
    ends with a note after the letter's file (and no buttons).
    """
    return is_question(call) or (call.method == "sendMessage" and before is not None
                                 and before.method == "sendDocument")


class Inbox:
    """The bot's calls routed to the person they went to, as the fake records them."""

    def __init__(self, fake: FakeBotApi, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.by_chat: dict[int, list[Call]] = defaultdict(list)
        self.query_answers: Counter[str] = Counter()
        self._arrived: dict[int, asyncio.Event] = {}
        self._anything = asyncio.Event()
        fake.watch(self._recorded)

    def _recorded(self, call: Call) -> None:
        # The fake's server thread: hand over to the event loop (unless the test is over).
        if call.status == 200:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._route, call)

    def _route(self, call: Call) -> None:
        self._anything.set()
        if call.method == "answerCallbackQuery":
            self.query_answers[str(call.params.get("callback_query_id"))] += 1
        elif call.chat_id is not None:
            self.by_chat[call.chat_id].append(call)
            if (arrived := self._arrived.get(call.chat_id)) is not None:
                arrived.set()

    def answers(self, chat_id: int) -> list[Call]:
        """The last message of each of the bot's answers to `chat_id`."""
        calls = self.by_chat[chat_id]
        return [c for n, c in enumerate(calls) if ends_answer(c, calls[n - 1] if n else None)]

    async def answer_after(self, chat_id: int, since: float, within: float) -> Call | None:
        """The end of the first answer to `chat_id` after `since`; None after `within` s."""
        deadline = time.monotonic() + within
        while True:
            arrived = self._arrived[chat_id] = asyncio.Event()
            found = next((c for c in self.answers(chat_id) if c.at > since), None)
            if found is not None:
                return found
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived.wait(), max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                return None

    async def quiet(self, seconds: float) -> None:
        """Until nothing has arrived for `seconds` (anything late would have by then)."""
        while True:
            self._anything.clear()
            try:
                await asyncio.wait_for(self._anything.wait(), seconds)
            except TimeoutError:
                return


def send_next(visitor: Visitor, question: Call | None) -> Sent:
    """The person's next message, given the bot's last question, sent to the fake."""
    kind, content = visitor.next_message(question)
    sent = Sent(kind, content, time.monotonic())
    if kind == TYPED:
        visitor.person.says(content)
    else:
        assert question is not None
        visitor.query_ids.append(visitor.person.presses(content, question)["id"])
    visitor.sent.append(sent)
    return sent


async def visit(visitor: Visitor, inbox: Inbox, arrives_after: float, *, messages: int,
                answer_within: float) -> None:
    """One person's `messages`, each sent once the answer to the one before has come."""
    await asyncio.sleep(arrives_after)
    question: Call | None = None
    for _ in range(messages):
        sent = send_next(visitor, question)
        answer = await inbox.answer_after(visitor.person.user_id, sent.at, answer_within)
        if answer is None:
            return  # unanswered: the caller sees fewer answers than messages sent
        visitor.answers.append(answer)
        question = answer if answer.buttons else None
