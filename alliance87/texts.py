"""Messages kept untranslated with their values, so each reader reads them in their language.

A message produced by background work (an import's row errors, say) is read later by other
people, in other languages. `Text` is the message as the active language writes it now (it is
a `str`), and also its msgid and values: `str()` writes it again in the language active at
that moment, and `as_json()` / `from_json()` keep it in a JSON field.

    _ = Text                      # in a module whose messages are kept
    error = _("“%(value)s” is not a year.") % {"value": "20x4"}
    stored = error.as_json()      # {"msgid": "“%(value)s” is not a year.", "params": {...}}
    with translation.override("fr"):
        str(Text.from_json(stored))   # "« 20x4 » n'est pas une année."

makemessages finds the msgids as it finds any `_()` call. Values are kept as text (a nested
Text stays a Text, so a translated part inside a message is translated too).
"""

from typing import Any

from django.utils.translation import gettext


def _render(msgid: str, params: dict[str, Any]) -> str:
    text = gettext(msgid)
    if not params:
        return text
    return text % {name: str(value) for name, value in params.items()}


class Text(str):
    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any] | None = None) -> "Text":
        kept = {
            name: value if isinstance(value, Text) else str(value)
            for name, value in (params or {}).items()
        }
        text = super().__new__(cls, _render(msgid, kept))
        text.msgid, text.params = msgid, kept
        return text

    def __mod__(self, params: dict[str, Any]) -> "Text":
        return Text(self.msgid, params)

    def __str__(self) -> str:
        return _render(self.msgid, self.params)

    def __reduce__(self) -> tuple:
        return (Text, (self.msgid, self.params))

    def as_json(self) -> dict[str, Any]:
        return {
            "msgid": self.msgid,
            "params": {
                name: value.as_json() if isinstance(value, Text) else value
                for name, value in self.params.items()
            },
        }

    @classmethod
    def from_json(cls, value: Any) -> "Text | str":
        """A stored message; plain text (stored before messages were kept) as it is."""
        if not isinstance(value, dict):
            return "" if value is None else str(value)
        return cls(
            value["msgid"],
            {
                name: cls.from_json(inner) if isinstance(inner, dict) else inner
                for name, inner in value.get("params", {}).items()
            },
        )

    @classmethod
    def join_sentences(cls, texts: list["Text | str"]) -> "Text | str":
        """Sentences one after the other, each kept."""
        if len(texts) == 1:
            return texts[0]
        msgid = " ".join(f"%(part{index})s" for index in range(len(texts)))
        return cls(msgid, {f"part{index}": text for index, text in enumerate(texts)})


def as_json(message: "Text | str") -> Any:
    """What a JSON field keeps of a message."""
    return message.as_json() if isinstance(message, Text) else str(message)
