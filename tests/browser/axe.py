"""axe-core in the browser tests: the rules of WCAG 2.0, 2.1 and 2.2 A and AA.

axe is injected with Playwright's `evaluate`, which the page's Content-Security-Policy does
not govern, so the policy stays as it is in production. The vendored copy and its licence
are in vendor/axe-core/.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    """The violations axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    return result["violations"]


def blocking(violations: list[dict]) -> list[str]:
    """One line per serious or critical violation: rule, impact, and the elements at fault."""
    lines = []
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            continue
        targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:8])
        more = len(violation["nodes"]) - 8
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
            + (f" and {more} more" if more > 0 else "")
        )
    return lines
