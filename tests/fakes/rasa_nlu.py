"""A stub Rasa NLU server: POST /model/parse answered like Rasa 3.6 from a small phrase table.

(Not named `rasa.py`, so it can never be mistaken for the real `rasa` package.)
"""

from __future__ import annotations

import json
import time

from tests.fakes.json_server import Answer, JsonObject, JsonServer


class FakeRasa:
    """POST /model/parse like Rasa 3.6: the first phrase found in the text decides.

    `table` maps a phrase to (intent, confidence, entities); anything else is
    out_of_scope with low confidence, as a trained model would say. Each parse takes
    `delay` seconds, parses at the same time side by side (a turn waiting on the NLU).
    """

    def __init__(self, table: dict[str, tuple[str, float, list[JsonObject]]],
                 port: int = 0, delay: float = 0.0) -> None:
        """`port` 0 picks a free one; another port restarts a server where one was."""
        self.table = table
        self.delay = delay
        self.parsed = 0
        self._server = JsonServer(self._answer, port)

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.port}"

    def close(self) -> None:
        self._server.close()

    def _answer(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if verb == "GET" and path == "/status":
            return 200, {"model_file": "fake.tar.gz", "num_active_training_jobs": 0}
        if verb != "POST" or path != "/model/parse":
            return 404, {"error": "not found"}
        text = str(json.loads(body or b"{}").get("text", ""))
        self.parsed += 1
        time.sleep(self.delay)  # on this request's own thread
        intent, confidence, entities = next(
            (found for phrase, found in self.table.items() if phrase in text),
            ("out_of_scope", 0.3, []))
        ranking = [{"name": intent, "confidence": confidence},
                   {"name": "out_of_scope", "confidence": round(1 - confidence, 3)}]
        if intent == "out_of_scope":
            ranking = ranking[:1]
        return 200, {"text": text, "intent": ranking[0], "intent_ranking": ranking,
                     "entities": entities}
