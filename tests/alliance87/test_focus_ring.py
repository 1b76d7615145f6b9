"""The focus ring keeps 3:1 against every background it is drawn on (WCAG 1.4.11)."""

import re
from pathlib import Path

PORTAL_CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css").read_text()


def _colour(name: str) -> str:
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{3,6}})", PORTAL_CSS).group(1)


def _luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_focus_ring_on_light_backgrounds_has_3_to_1():
    for background in ("white", "bg", "blue-light", "amber-light", "red-light", "green-light"):
        ratio = _contrast(_colour("focus-on-light"), _colour(background))
        assert ratio >= 3, (background, round(ratio, 2))


def test_focus_ring_on_the_blue_header_and_navigation_has_3_to_1():
    for background in ("blue", "blue-dark"):
        ratio = _contrast(_colour("focus-on-dark"), _colour(background))
        assert ratio >= 3, (background, round(ratio, 2))


def test_the_ring_is_the_one_every_focused_element_gets():
    assert ":focus-visible { outline: 3px solid var(--focus-on-light)" in PORTAL_CSS
    assert ".site-header :focus-visible" in PORTAL_CSS
