"""The question for each step, with its buttons, and the engine's standing messages."""

from __future__ import annotations

from flows.buttons import Action, Press
from flows.case import Gender, LawyerSilence, Nation, Relationship, RemovalWhen, Situation, WaitBand
from flows.centres import CENTRES_BY_ID, open_centres
from flows.drafts import DRAFT_TITLES, available_drafts
from flows.languages import FIRST_PAGE, LANGUAGES, LANGUAGES_BY_CODE
from flows.letter_facts import duration
from flows.postcodes import EXAMPLE_POSTCODE
from flows.replies import Choice, Say
from flows.representatives import Purpose, Role
from flows.steps import State
from flows.text import Day, Msg, Plain, t

RELATIONSHIP_NAMES: dict[Relationship, Msg] = {
    Relationship.BROTHER: t("rel.brother", "brother"),
    Relationship.SISTER: t("rel.sister", "sister"),
    Relationship.MOTHER: t("rel.mother", "mother"),
    Relationship.FATHER: t("rel.father", "father"),
    Relationship.SON: t("rel.son", "son"),
    Relationship.DAUGHTER: t("rel.daughter", "daughter"),
    Relationship.HUSBAND: t("rel.husband", "husband"),
    Relationship.WIFE: t("rel.wife", "wife"),
    Relationship.PARTNER: t("rel.partner", "partner"),
    Relationship.COUSIN: t("rel.cousin", "cousin"),
    Relationship.UNCLE: t("rel.uncle", "uncle"),
    Relationship.AUNT: t("rel.aunt", "aunt"),
    Relationship.NEPHEW: t("rel.nephew", "nephew"),
    Relationship.NIECE: t("rel.niece", "niece"),
    Relationship.FRIEND: t("rel.friend", "friend"),
    Relationship.RELATIVE: t("rel.relative", "relative"),
    Relationship.NEIGHBOUR: t("rel.neighbour", "neighbour"),
    Relationship.CLIENT: t("rel.client", "client"),
    Relationship.COMMUNITY_MEMBER: t("rel.community_member", "member of my community"),
}


def stale_button() -> Say:
    return Say((t("button.stale", "That button is from an earlier message and doesn't apply "
                  "any more. Here is where we are now:"),))



# Letters on the first menu; the rest are behind "Other letters", so the menu fits a
# phone and nothing is out of reach.
FIRST_MENU_DRAFTS = 4


def draft_menu(state: State, everything: bool = False) -> Say:
    has_devolved = state.case.nation in (Nation.SCOTLAND, Nation.WALES, Nation.NORTHERN_IRELAND)
    has_friend_mp = any(r.purpose is Purpose.FRIEND and r.of_role(Role.MP)
                        for r in state.results)
    kinds = available_drafts(state.case, has_devolved=has_devolved, has_friend_mp=has_friend_mp)
    shown = kinds if everything else kinds[:FIRST_MENU_DRAFTS]
    rows = [(Choice(DRAFT_TITLES[kind], Press(Action.DRAFT, kind.value)),) for kind in shown]
    if len(shown) < len(kinds):
        rows.append((Choice(t("button.more_drafts", "Other letters"),
                            Press(Action.MORE, "drafts")),))
    rows += [
        (Choice(t("button.why", "What they can do"), Press(Action.MORE, "why")),
         Choice(t("button.free_advice", "Free legal advice"), Press(Action.MORE, "advice"))),
        (Choice(t("button.who_else", "Who else can help?"), Press(Action.MORE, "who_else")),
         Choice(t("button.tips", "Tips"), Press(Action.MORE, "tips"))),
        (Choice(t("button.friend_mp", "A friend's MP"), Press(Action.MORE, "friend")),
         Choice(t("button.mp_silent", "The MP didn't reply"), Press(Action.MORE, "silent"))),
        (Choice(t("button.petition", "Petitions, media"), Press(Action.MORE, "petition")),
         Choice(t("button.forget", "Delete my data"), Press(Action.NAV, "forget"))),
        (Choice(t("button.restart", "Start again"), Press(Action.NAV, "restart")),),
    ]
    return Say((t("drafts.menu", "I can write a draft for you to send. It is in English, with a "
                  "translation so you know what it says. Change it to make it yours: identical "
                  "letters get ignored or blocked."),), tuple(rows))


def not_understood(*, reading: bool = True) -> Say:
    """`reading` False: no NLU answered at all (still training, down, or turned off), so
    asking them to write it differently would only waste their time."""
    if not reading:
        return Say((t("text.not_read_now", "Sorry, I can't read typed messages just now. "
                      "Please use the buttons."),))
    return Say((t("text.not_understood", "Sorry, I didn't understand that. You can use the "
                  "buttons, or write it differently."),))


# --- prompts: the question for each step -----------------------------------------------------


def _nav_row() -> tuple[Choice, ...]:
    return (Choice(t("button.back", "Back"), Press(Action.NAV, "back")),
            Choice(t("button.restart", "Start again"), Press(Action.NAV, "restart")))


# Asked before any language is known, so said in several at once.
_CHOOSE_LANGUAGE = Plain("Choose your language · اختر لغتك · ژبه وټاکئ · زبان را انتخاب کنید · "
                         "ቋንቋ ምረጽ")
MORE_LANGUAGES = "more"  # the picker's second page
FIRST_LANGUAGES = "first"


def _language_rows(codes: list[str]) -> list[tuple[Choice, ...]]:
    """Two languages a row: sixteen fit a phone as two short pages."""
    buttons = [Choice(Plain(LANGUAGES_BY_CODE[code].native_name), Press(Action.LANGUAGE, code))
               for code in codes]
    return [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]


def ask_language(state: State) -> Say:
    rows = _language_rows(list(FIRST_PAGE))
    rows.append((Choice(Plain("🌐 More · المزيد · نور · بیشتر · Plus · Більше · ተወሳኺ"),
                        Press(Action.LANGUAGE, MORE_LANGUAGES)),))
    return Say((_CHOOSE_LANGUAGE,), tuple(rows))


def more_languages() -> Say:
    rest = [lang.code for lang in LANGUAGES if lang.code not in FIRST_PAGE]
    rows = _language_rows(rest)
    rows.append((Choice(Plain("‹ " + " · ".join(LANGUAGES_BY_CODE[c].native_name
                                                  for c in FIRST_PAGE[:3])),
                        Press(Action.LANGUAGE, FIRST_LANGUAGES)),))
    return Say((_CHOOSE_LANGUAGE,), tuple(rows))


def ask_privacy(state: State) -> Say:
    return Say(
        (t("privacy.short", "I help you ask a politician for help with an asylum or immigration "
           "case, and write the letter with you. I keep only what the letter needs, for 30 days, "
           "and nobody else sees it. Send /forget at any time to delete everything. I give "
           "information, not legal advice."),),
        ((Choice(t("button.ok", "OK, continue"), Press(Action.PRIVACY, "ok")),
          Choice(t("button.privacy_more", "More about privacy"), Press(Action.PRIVACY, "more"))),
         (Choice(t("button.language", "Language"), Press(Action.NAV, "language")),)),
    )


def ask_who(state: State) -> Say:
    return Say(
        (t("who.question", "Who needs help?"),),
        ((Choice(t("who.self", "Me"), Press(Action.WHO, "self")),
          Choice(t("who.other", "Someone else (I'm helping)"), Press(Action.WHO, "other"))),
         _nav_row()),
    )


_RELATION_BUTTONS = (Relationship.BROTHER, Relationship.SISTER, Relationship.HUSBAND,
                     Relationship.WIFE, Relationship.MOTHER, Relationship.FATHER,
                     Relationship.SON, Relationship.DAUGHTER, Relationship.FRIEND,
                     Relationship.RELATIVE, Relationship.COMMUNITY_MEMBER, Relationship.CLIENT)


def ask_relationship(state: State) -> Say:
    buttons = [Choice(RELATIONSHIP_NAMES[r], Press(Action.RELATIONSHIP, r.value))
               for r in _RELATION_BUTTONS]
    rows = tuple(tuple(buttons[i:i + 3]) for i in range(0, len(buttons), 3))
    return Say((t("relationship.question", "Thank you for helping. Who are they to you?"),),
               (*rows, _nav_row()))


SITUATION_LABELS: dict[Situation, Msg] = {
    Situation.REFUSED: t("sit.refused", "Refused"),
    Situation.APPEAL_RIGHTS_EXHAUSTED: t("sit.are", "No appeals left"),
    Situation.DETAINED: t("sit.detained", "Detained"),
    Situation.DELAYED: t("sit.delayed", "Waiting a long time"),
    Situation.NO_LAWYER: t("sit.no_lawyer", "No lawyer"),
    Situation.LAWYER_UNRESPONSIVE: t("sit.lawyer_unresponsive", "Lawyer gets no answer"),
    Situation.REMOVAL: t("sit.removal", "Removal or deportation"),
}


def ask_situation(state: State) -> Say:
    case = state.case
    buttons = [
        Choice(t("sit.chosen", "✓ {label}", label=label) if case.has(s) else label,
               Press(Action.SITUATION, s.value))
        for s, label in SITUATION_LABELS.items()
    ]
    rows = [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]
    rows.append((Choice(t("button.done", "Done"), Press(Action.SITUATION, "done")),))
    question = (t("situation.question.other", "What is happening to them? Write a few words in "
                  "any language, or choose all that apply, then press Done.")
                if case.helping else
                t("situation.question.self", "What is happening? Write a few words in any "
                  "language, or choose all that apply, then press Done."))
    return Say((question,), (*rows, _nav_row()))


def ask_confirm(state: State) -> Say:
    everything = state.case.with_situations(*state.proposed).situations
    labels = [SITUATION_LABELS[s] for s in everything]
    parts: list[Msg | Plain] = []
    if state.case.helping:
        parts.append(t("confirm.helper", "You are writing for someone else."))
    if labels:
        parts.append(t("confirm.question", "I understood: {list}. Is that right?",
                       list=join_list(labels)))
    else:
        parts.append(t("confirm.nothing", "Is that right?"))
    centre = CENTRES_BY_ID.get(state.case.centre_id or "")
    if centre:
        parts.append(t("confirm.centre", "Detention centre: {name}", name=Plain(centre.name)))
    # What else was read from the message is shown too, to be checked before it is used.
    if state.case.waiting_months:
        parts.append(t("confirm.waiting", "Waiting time: {duration}",
                       duration=duration(state.case)))
    if state.case.removal_date:
        parts.append(t("confirm.removal_date", "Removal date: {day}",
                       day=Day(state.case.removal_date)))
    if state.case.postcode:
        parts.append(t("confirm.postcode", "Postcode: {postcode}",
                       postcode=Plain(state.case.postcode)))
    return Say(tuple(parts), (
        (Choice(t("button.yes", "Yes"), Press(Action.CONFIRM, "yes")),
         Choice(t("button.no_choose", "No, let me choose"), Press(Action.CONFIRM, "no"))),
        (Choice(t("button.add_more", "Yes, and add more"), Press(Action.CONFIRM, "add")),),
        _nav_row(),
    ))


def join_list(items: list[Msg]) -> Msg:
    """A list for a sentence; the separator is translatable (Arabic uses '،')."""
    if len(items) == 1:
        return items[0]
    joined = items[0]
    for item in items[1:]:
        joined = t("list.join", "{a}, {b}", a=joined, b=item)
    return joined


def ask_centre(state: State) -> Say:
    buttons = [Choice(Plain(c.name), Press(Action.CENTRE, c.id)) for c in open_centres()]
    rows = [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]
    rows.append((Choice(t("button.other_centre", "Another place"), Press(Action.CENTRE, "other")),
                 Choice(t("button.skip", "Skip"), Press(Action.CENTRE, "skip"))))
    question = (t("centre.question.other", "Where are they held? Choose, or type the name.")
                if state.case.helping else
                t("centre.question.self", "Where are you held? Choose, or type the name."))
    return Say((question,), (*rows, _nav_row()))


def ask_removal_when(state: State) -> Say:
    labels = {
        RemovalWhen.WITHIN_3_DAYS: t("when.72h", "Within 3 days"),
        RemovalWhen.THIS_WEEK: t("when.week", "This week"),
        RemovalWhen.LATER: t("when.later", "Later"),
        RemovalWhen.UNKNOWN: t("when.unknown", "Don't know"),
    }
    buttons = [Choice(label, Press(Action.REMOVAL_WHEN, when.value))
               for when, label in labels.items()]
    return Say((t("removal.question", "When is the removal planned? You can also type the "
                  "date."),), (tuple(buttons[:2]), tuple(buttons[2:]), _nav_row()))


def ask_waiting(state: State) -> Say:
    labels = {
        WaitBand.UNDER_6_MONTHS: t("waitbtn.lt6m", "Under 6 months"),
        WaitBand.SIX_TO_12_MONTHS: t("waitbtn.6to12m", "6–12 months"),
        WaitBand.ONE_TO_2_YEARS: t("waitbtn.1to2y", "1–2 years"),
        WaitBand.OVER_2_YEARS: t("waitbtn.gt2y", "Over 2 years"),
    }
    buttons = [Choice(label, Press(Action.WAITING, band.value)) for band, label in labels.items()]
    return Say((t("waiting.question", "How long has the wait been for a decision?"),),
               (tuple(buttons[:2]), tuple(buttons[2:]), _nav_row()))


def ask_lawyer_silence(state: State) -> Say:
    """Who does not answer: the two problems need different help (issue 11, item 4)."""
    helping = state.case.helping
    question = t("silence.question", "Who is not answering?")
    home_office = (t("button.silence.home_office.other", "Home Office doesn't answer their lawyer")
                   if helping else
                   t("button.silence.home_office", "Home Office doesn't answer my lawyer"))
    lawyer = (t("button.silence.lawyer.other", "Their lawyer doesn't answer them") if helping
              else t("button.silence.lawyer", "My lawyer doesn't answer me"))
    return Say((question,), (
        (Choice(home_office, Press(Action.LAWYER_SILENCE, LawyerSilence.HOME_OFFICE.value)),),
        (Choice(lawyer, Press(Action.LAWYER_SILENCE, LawyerSilence.LAWYER.value)),),
        (Choice(t("button.not_sure", "Not sure"), Press(Action.LAWYER_SILENCE, "skip")),),
        _nav_row(),
    ))


def ask_gender(state: State) -> Say:
    """One tap, only where the letter's translation must say "detained" as a woman or a man."""
    return Say((t("gender.question", "In your language, some words of the letter change for a "
                  "woman or a man. Which should I use for you?"),), (
        (Choice(t("button.gender.female", "A woman"), Press(Action.GENDER, Gender.FEMALE.value)),
         Choice(t("button.gender.male", "A man"), Press(Action.GENDER, Gender.MALE.value))),
        (Choice(t("button.gender.skip", "Rather not say"), Press(Action.GENDER, "skip")),),
        _nav_row(),
    ))


def ask_lawyer(state: State) -> Say:
    question = (t("lawyer.question.other", "Do they have a lawyer (solicitor) for the case?")
                if state.case.helping else
                t("lawyer.question.self", "Do you have a lawyer (solicitor) for your case?"))
    parts: list[Msg | Plain] = [question]
    if state.case.has(Situation.DELAYED):
        parts.append(t("lawyer.why_delay", "I ask because with a lawyer, the first step is to "
                       "ask them before involving an MP."))
    return Say(tuple(parts), (
        (Choice(t("button.yes", "Yes"), Press(Action.LAWYER, "yes")),
         Choice(t("button.no", "No"), Press(Action.LAWYER, "no"))),
        (Choice(t("button.not_sure", "Not sure"), Press(Action.LAWYER, "skip")),),
        _nav_row(),
    ))


def ask_postcode(state: State) -> Say:
    case = state.case
    if case.has(Situation.DETAINED) and not case.helping:
        question = t("postcode.question.former", "If you lived somewhere in the UK before "
                     "detention, send that postcode: the MP there can help too. Or press Skip.")
    elif case.helping:
        question = t("postcode.question.helper", "What is your own postcode? I'll find your MP, "
                     "who can act for you both. It looks like {example}.",
                     example=Plain(EXAMPLE_POSTCODE))
    else:
        question = t("postcode.question.self", "What is your postcode? I need it to find your "
                     "MP. It looks like {example}.", example=Plain(EXAMPLE_POSTCODE))
    return Say((question, t("postcode.privacy", "I use it only to find your representatives.")),
               ((Choice(t("button.skip", "Skip"), Press(Action.POSTCODE, "skip")),), _nav_row()))


def ask_own_words(state: State) -> Say:
    question = (t("own_words.question.other", "In a sentence or two, in any language: what do "
                  "you most want the MP to know about them? I will quote your words in the "
                  "letters as you write them.")
                if state.case.helping else
                t("own_words.question.self", "In a sentence or two, in any language: what do "
                  "you most want the MP to know? I will quote your words in the letters as you "
                  "write them."))
    parts: list[Msg | Plain] = [question]
    rows: list[tuple[Choice, ...]] = []
    if state.case.described:
        parts.append(t("own_words.earlier", "Or use what you wrote before: “{words}”",
                       words=Plain(state.case.described)))
        rows.append((Choice(t("button.use_earlier", "Use what I wrote"),
                            Press(Action.OWN_WORDS, "reuse")),))
    rows += [(Choice(t("button.skip", "Skip"), Press(Action.OWN_WORDS, "skip")),), _nav_row()]
    return Say(tuple(parts), tuple(rows))


def ask_friend_postcode(state: State) -> Say:
    return Say((t("friend.question", "A friend or relative who lives in another area can ask "
                  "their own MP to help too. What is their postcode? I'll find their MP and "
                  "write a letter for them to send."),
                t("postcode.privacy", "I use it only to find your representatives.")),
               ((Choice(t("button.skip", "Skip"), Press(Action.FRIEND_POSTCODE, "skip")),),))


def ask_postcode_whose(state: State) -> Say:
    return Say((t("whose.question", "Whose postcode is {postcode}?",
                  postcode=Plain(state.pending_postcode or "")),),
               ((Choice(t("whose.mine", "Mine: find my MP again"),
                        Press(Action.POSTCODE_WHOSE, "mine")),
                 Choice(t("whose.friend", "A friend's or relative's"),
                        Press(Action.POSTCODE_WHOSE, "friend"))),
                _nav_row()))


def ask_looking_up(state: State) -> Say:
    return Say((t("lookup.still_working", "Still looking — one moment."),))


def ask_forget(state: State) -> Say:
    return Say((t("forget.question", "Delete everything I hold about you? This can't be "
                  "undone."),),
               ((Choice(t("button.forget_yes", "Yes, delete everything"),
                        Press(Action.FORGET, "yes")),
                 Choice(t("button.forget_no", "No, keep it"), Press(Action.FORGET, "no"))),))


def ask_mp_replied(state: State) -> Say:
    return Say((t("reminder.question", "It's been about four weeks since your letter. Has the "
                  "MP's office replied?"),),
               ((Choice(t("button.yes", "Yes"), Press(Action.REPLIED, "yes")),
                 Choice(t("button.no", "No"), Press(Action.REPLIED, "no"))),))


def help_message() -> Say:
    return Say((t("help.text", "I help you find a politician who can help with an asylum or "
                  "immigration case, and write a letter to them. Use the buttons, or write in "
                  "your own language. Commands: /language to change language, /back to go back, "
                  "/restart to begin again, /forget to delete your data, /privacy about "
                  "privacy."),))


def privacy_details() -> Say:
    return Say((t("privacy.details", "What I keep: your language, where we are in the "
                  "conversation, and the facts for your letter. It is deleted 30 days after your "
                  "last message, or at once with /forget. Your Telegram account is stored only "
                  "as a scrambled code; if you ask for a reminder, the chat number it goes to is "
                  "kept until it is sent. Your messages are never written to logs. To find your "
                  "representatives, postcodes are sent only to postcodes.io, a public postcode "
                  "service, and in Scotland, Wales and Northern Ireland also to TheyWorkForYou, "
                  "a charity's website about Parliament. I never share anything with the Home "
                  "Office."),))
