"""The few texts only the Telegram adapter says; everything else comes from the engine.

Each is a `t()` message (gettext context key + English source), rendered through
`bot.i18n.Renderer` in the person's language like the engine's own messages.
"""

from __future__ import annotations

from flows.text import t

# --- groups: nothing personal is ever discussed there -------------------------------------
GROUP_INVITE = t(
    "telegram.group.invite",
    "I can help with this in a private chat, where your details stay between us. Press the "
    "button to continue there. Please don't post postcodes or details of a case in this group.")
GROUP_HELP = t(
    "telegram.group.help",
    "I help people in the UK asylum and immigration system, and the friends helping them, to "
    "ask a politician for help and to write the letter. I only talk about a case in a private "
    "chat: press the button to start.")
GROUP_PRIVACY = t(
    "telegram.group.privacy",
    "I keep nothing from group chats. In a private chat I keep only what your letter needs, for "
    "30 days, and /forget deletes it at once.")
GROUP_FORGET = t(
    "telegram.group.forget",
    "To delete what I hold about you, press the button and confirm in our private chat.")
PRIVATE_CHAT_BUTTON = t("telegram.button.private_chat", "Continue in private chat")

# --- private chats ------------------------------------------------------------------------
RATE_LIMITED = t(
    "telegram.rate_limited",
    "You are sending messages faster than I can answer. Please wait a minute, then carry on: "
    "nothing is lost.")
TEXT_ONLY = t(
    "telegram.text_only",
    "I can only read text. Please type your message, or use the buttons.")

# --- drafts -------------------------------------------------------------------------------
DRAFT_COPY_HINT = t(
    "telegram.draft.copy_hint",
    "Tap the letter below to copy it, then paste it into an email:")
DRAFT_FILE_CAPTION = t(
    "telegram.draft.file_caption",
    "The whole letter with its translation, as a file to keep, print or forward.")

# --- the command menu (descriptions shown next to each command) ---------------------------
COMMAND_DESCRIPTIONS = {
    "start": t("telegram.command.start", "Start, or carry on where we stopped"),
    "help": t("telegram.command.help", "What I do and how to use me"),
    "language": t("telegram.command.language", "Change the language"),
    "mp": t("telegram.command.mp", "Find your MP: /mp and your postcode"),
    "draft": t("telegram.command.draft", "Write a letter"),
    "privacy": t("telegram.command.privacy", "What I keep, and for how long"),
    "forget": t("telegram.command.forget", "Delete everything I hold about you"),
    "cancel": t("telegram.command.cancel", "Stop and start again"),
}
