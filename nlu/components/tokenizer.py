"""Whitespace tokens whose text is folded (see folding.py) for the featurizers.

Each token keeps its span in the original message, so entities are still cut
from what the person typed, and synonyms map the original spelling.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from components.folding import fold


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class FoldingWhitespaceTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer, then every token's text and lemma folded."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return WhitespaceTokenizer.get_default_config()

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        return [
            Token(folded, token.start, token.end, token.data, lemma=folded)
            for token in tokens
            if (folded := fold(token.text))
        ]
