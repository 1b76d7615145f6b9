"""The steps of `seed_demo` and `seed_scale`.

This module imports no app: each app registers its steps in its AppConfig.ready() by dotted
name and position (`register_demo_step`, `register_scale_step`). A step is imported only
when a command runs, so the demo data stays out of the running portal's memory.

Demo steps run by position: countries (10) before the people bound to them (20),
organisations (30) before the events and flows that name them. A demo step is
`seed(stdout=...)`; a scale step is a module whose `seed(factor=..., stdout=...)` returns
the counts it created.
"""

_DEMO_STEPS: dict[str, int] = {}
_SCALE_STEPS: dict[str, int] = {}


def register_demo_step(dotted: str, *, position: int) -> None:
    _DEMO_STEPS[dotted] = position


def register_scale_step(dotted: str, *, position: int) -> None:
    _SCALE_STEPS[dotted] = position


def demo_steps() -> list[str]:
    return sorted(_DEMO_STEPS, key=_DEMO_STEPS.__getitem__)


def scale_steps() -> list[str]:
    return sorted(_SCALE_STEPS, key=_SCALE_STEPS.__getitem__)
