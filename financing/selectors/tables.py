"""Tables shared by the pages and the exports, so a download holds exactly what the page shows,
and the whole-dollar figures their cells carry."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse

ONE = Decimal(1)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class TableColumn:
    header: str
    kind: str = "text"  # text, usd, percent, number, amount (two decimals), date


@dataclass
class Table:
    key: str
    caption: str
    columns: list[TableColumn]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    # A link for each row's cell in column `link_column` (the page shows it, the exports
    # do not), or None.
    links: list[str | None] | None = None
    link_column: int = 0

    def _typed(self, row: list) -> list[tuple]:
        return [(value, column.kind) for value, column in zip(row, self.columns, strict=True)]

    @property
    def typed_rows(self) -> list[list[tuple]]:
        """(value, kind) pairs, for templates that format each cell by its column."""
        return [self._typed(row) for row in self.rows]

    @property
    def linked_rows(self) -> list[list[tuple]]:
        """(value, kind, link) of each cell, for a table with links in one column."""
        links = self.links or [None] * len(self.rows)
        return [
            [
                (value, kind, link if index == self.link_column else None)
                for index, (value, kind) in enumerate(self._typed(row))
            ]
            for row, link in zip(self.rows, links, strict=True)
        ]

    @property
    def typed_total(self) -> list[tuple] | None:
        return self._typed(self.total) if self.total else None


def usd(dollars: int) -> Decimal:
    """Whole dollars (an int from the sums) as the Decimal the lines carry."""
    return Decimal(int(dollars))


def coverage_percent(funded: int, required: int) -> Decimal | None:
    if not required:
        return None
    return (Decimal(int(funded)) * 100 / Decimal(int(required))).quantize(
        TENTH, rounding=ROUND_HALF_UP
    )


def ledger_url(source_id: int | None) -> str | None:
    return reverse("financing:donor_ledger", args=[source_id]) if source_id else None
