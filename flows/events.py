"""What can happen to a conversation: the events the engine consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.representatives import LookupResult, Ministers


@dataclass(frozen=True)
class IntentScore:
    name: str  # a Rasa intent; combined intents are joined by "+" ("on_behalf+detained")
    confidence: float


@dataclass(frozen=True)
class Entity:
    entity: str  # "postcode", "detention_centre" or "relationship"
    value: str  # canonical value (e.g. "brook_house", "brother") or the postcode text


@dataclass(frozen=True)
class NluResult:
    """What the NLU made of a free-text message; `ranking` is best first."""

    ranking: tuple[IntentScore, ...] = ()
    entities: tuple[Entity, ...] = ()

    @property
    def top(self) -> IntentScore | None:
        return self.ranking[0] if self.ranking else None

    def entity(self, name: str) -> str | None:
        for found in self.entities:
            if found.entity == name:
                return found.value
        return None


@dataclass(frozen=True)
class Start:
    """A new or resumed conversation; `language_hint` is e.g. Telegram's language_code."""

    language_hint: str | None = None
    payload: str | None = None  # deep-link payload


@dataclass(frozen=True)
class Text:
    text: str
    nlu: NluResult | None = None
    # The interface locale the text seems to be written in, when the shell could tell.
    language_guess: str | None = None


@dataclass(frozen=True)
class Button:
    data: str


@dataclass(frozen=True)
class Command:
    name: str  # without the slash: "help", "language", "forget", "back", "restart"…
    argument: str = ""


@dataclass(frozen=True)
class LookupDone:
    """The shell's answer to a `LookUp` effect."""

    results: tuple[LookupResult, ...] = ()
    ministers: Ministers | None = None


@dataclass(frozen=True)
class ReminderDue:
    """An opted-in follow-up has come due (F3)."""

    extra: dict[str, str] = field(default_factory=dict)


Event = Start | Text | Button | Command | LookupDone | ReminderDue
