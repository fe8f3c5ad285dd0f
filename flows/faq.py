"""Answers to the questions people type at any step ("is this free?", "can my MP stop it?").

Each NLU question intent has one short answer here; the engine shows it and asks
the current question again, so a question never becomes a fact of the case. The
facts behind each answer are the guidance ids in docs/guidance.md.
"""

from __future__ import annotations

from collections.abc import Callable

from flows.prompts import privacy_details
from flows.replies import Say
from flows.text import t


def cost() -> Say:
    return Say((t("faq.cost", "This bot is free. Asking an MP for help is free too: MPs don't "
                  "charge the people who live in their area, and nobody needs to be paid to "
                  "contact an MP for you."),))


def mp_power() -> Say:
    # G1, G13, G16; F5 (no MP can cancel a removal), F8 (no legal advice here).
    return Say((t("faq.mp_power", "An MP can write to the Home Office about a case, and the "
                  "Home Office has to answer. They can ask why a decision takes so long, raise "
                  "a refusal or a detention, press for urgent action, and sometimes take a case "
                  "to the immigration minister. An MP cannot change a decision or cancel a "
                  "removal: that is for the Home Office and the courts. With new and important "
                  "information, an MP can ask for a removal to be put off. Only a lawyer can "
                  "advise on the legal case itself."),))


def minister() -> Say:
    # G25: ministers rarely step in, and mostly after an MP's representations; G1.
    return Say((t("faq.minister", "Anyone can write to the Home Secretary or the immigration "
                  "minister, but they very rarely step into one person's case, and when they "
                  "do it is usually because an MP raised it with them. So the way to a minister "
                  "is through the MP, who can write to them about the case. The letters I "
                  "prepare are for the MP."),))


def what_is_an_mp() -> Say:
    # G1, G3, G21-G24.
    return Say((t("faq.what_is_mp", "An MP (Member of Parliament) is the person elected to "
                  "speak for one local area in the UK Parliament in Westminster. Immigration is "
                  "decided by the UK government, so the MP is the politician who can take a "
                  "case to the Home Office, and anyone living in the area can ask them for help. "
                  "Scotland, Wales and Northern Ireland also have their own parliaments (MSPs, "
                  "Members of the Senedd, MLAs), and councillors look after local matters: they "
                  "can support you and speak to the MP, but the Home Office deals with MPs."),))


# NLU question intent -> its answer (nlu/domain.yml lists the intents).
ANSWERS: dict[str, Callable[[], Say]] = {
    "ask_cost": cost,
    "ask_privacy": privacy_details,
    "ask_mp_power": mp_power,
    "ask_minister": minister,
    "ask_what_is_mp": what_is_an_mp,
}

__all__ = ["ANSWERS"]
