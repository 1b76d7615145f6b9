"""Converting original amounts to US dollars with the yearly exchange-rate table."""

import datetime
from bisect import bisect_right
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    DecimalField,
    Func,
    IntegerField,
    Value,
    When,
)

from .models import ExchangeRate

CENT = Decimal("0.01")
ONE = Decimal(1)


class RateTable:
    """The USD value of a currency in a year, from one query.

    A year without a rate uses the closest earlier year, else the closest later one, so a
    flow decided before the Secretariat has entered this year's rates still converts.
    """

    def __init__(self, rates: dict[str, dict[int, Decimal]]) -> None:
        self._rates = rates
        self._years = {currency: sorted(by_year) for currency, by_year in rates.items()}

    @classmethod
    def load(cls) -> "RateTable":
        rates: dict[str, dict[int, Decimal]] = defaultdict(dict)
        for year, currency, rate in ExchangeRate.objects.values_list(
            "year", "currency", "usd_per_unit"
        ):
            rates[currency][year] = rate
        return cls(dict(rates))

    @property
    def currencies(self) -> frozenset[str]:
        """The currencies this table converts, USD included."""
        return frozenset(self._rates) | {"USD"}

    def knows(self, currency: str) -> bool:
        return currency == "USD" or currency in self._rates

    def rate(self, currency: str, year: int) -> Decimal | None:
        if currency == "USD":
            return Decimal(1)
        by_year = self._rates.get(currency)
        if not by_year:
            return None
        if year in by_year:
            return by_year[year]
        years = self._years[currency]
        index = bisect_right(years, year)
        return by_year[years[index - 1]] if index else by_year[years[0]]

    def rate_year(self, currency: str, year: int) -> int | None:
        """The year whose rate `rate(currency, year)` uses: `year` itself when the table has
        it (or for USD), else the one the fallback picks; None without any rate."""
        if currency == "USD":
            return year
        by_year = self._rates.get(currency)
        if not by_year:
            return None
        if year in by_year:
            return year
        years = self._years[currency]
        index = bisect_right(years, year)
        return years[index - 1] if index else years[0]

    def exact_pairs(self) -> dict[str, list[int]]:
        """The years each currency has a rate of its own for."""
        return {currency: list(years) for currency, years in self._years.items()}

    def to_usd(self, amount: Decimal, currency: str, year: int) -> Decimal | None:
        rate = self.rate(currency, year)
        if rate is None:
            return None
        return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# The same conversion inside the database, so the pages add up thousands of flows in SQL.


def _usd_cents_in_python(amount, rate) -> int | None:
    """SQLite's financing_usd_cents(amount, rate): Decimal arithmetic, as RateTable.to_usd.

    SQLite keeps decimals as floating point; the shortest repr of the stored float gives back
    the two-decimal amount, so the product is exact and rounds as on PostgreSQL.
    """
    if amount is None or rate is None:
        return None
    amount = Decimal(amount if isinstance(amount, int) else repr(amount))
    usd = (amount * Decimal(str(rate))).quantize(CENT, rounding=ROUND_HALF_UP)
    return int(usd * 100)


def _usd_whole_in_python(amount, rate) -> int | None:
    """SQLite's financing_usd_whole(amount, rate): as _usd_cents_in_python, to whole dollars."""
    if amount is None or rate is None:
        return None
    amount = Decimal(amount if isinstance(amount, int) else repr(amount))
    return int((amount * Decimal(str(rate))).quantize(ONE, rounding=ROUND_HALF_UP))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver (financing.apps): the functions UsdCents and UsdWhole call
    on SQLite."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "financing_usd_cents", 2, _usd_cents_in_python, deterministic=True
        )
        connection.connection.create_function(
            "financing_usd_whole", 2, _usd_whole_in_python, deterministic=True
        )


class UsdCents(Func):
    """amount × rate, rounded half up to whole cents, as an integer; NULL without a rate.

    PostgreSQL computes it in numeric (exact); SQLite through financing_usd_cents.
    """

    output_field = BigIntegerField()

    def __init__(self, amount, rate) -> None:
        super().__init__(amount, rate)

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(ROUND(%(expressions)s * 100) AS bigint)",
            arg_joiner=" * ",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="financing_usd_cents", **extra_context)


class UsdWhole(Func):
    """amount × rate, rounded half up to whole US dollars, as an integer; NULL without a rate.

    The financing figures are added up from these: each amount is rounded once, here, so
    every sum of them (a row, a column, a total, a donor) is exact and adds up as shown.
    """

    output_field = BigIntegerField()

    def __init__(self, amount, rate) -> None:
        super().__init__(amount, rate)

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(ROUND(%(expressions)s) AS bigint)",
            arg_joiner=" * ",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="financing_usd_whole", **extra_context)


def exact_rate_expression(rates: RateTable, *, year_field: str, by_date: bool = False) -> Case:
    """1 when a row's currency has a rate of its own year (USD always), else 0 (a fallback
    rate of another year, or none)."""
    lookup = f"{year_field}__year__in" if by_date else f"{year_field}__in"
    whens = [When(currency="USD", then=Value(1))]
    for currency, years in sorted(rates.exact_pairs().items()):
        whens.append(When(currency=currency, **{lookup: years}, then=Value(1)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def rate_expression(rates: RateTable, *, year_field: str, by_date: bool = False) -> Case:
    """The rate RateTable.rate gives each row, as a CASE over its currency and year.

    `year_field` holds the year, or with `by_date` a date whose year counts. A currency
    without any rate gives NULL.
    """
    # SQLite would turn a decimal into floating point: it gets the rate as text.
    as_text = connection.vendor == "sqlite"
    field = CharField() if as_text else _RATE_FIELD

    def rate_value(rate: Decimal) -> Value:
        return Value(str(rate) if as_text else rate, output_field=field)

    whens = [When(currency="USD", then=rate_value(Decimal(1)))]
    for currency, years in sorted(rates._years.items()):
        by_year = rates._rates[currency]
        # The rate of year i serves every year before year i + 1 (the first one also the
        # years before it); the last one every year after. Nested by currency, so a row
        # compares its year with its own currency's years only.
        by_years = [
            When(
                **{f"{year_field}__lt": datetime.date(next_year, 1, 1) if by_date else next_year},
                then=rate_value(by_year[year]),
            )
            for year, next_year in zip(years, years[1:], strict=False)
        ]
        rate = (
            Case(*by_years, default=rate_value(by_year[years[-1]]), output_field=field)
            if by_years
            else rate_value(by_year[years[-1]])
        )
        whens.append(When(currency=currency, then=rate))
    return Case(*whens, default=None, output_field=field)


_RATE_FIELD: DecimalField = DecimalField(max_digits=20, decimal_places=10)
