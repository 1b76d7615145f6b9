"""Converting original amounts to US dollars with the yearly exchange-rate table."""

from bisect import bisect_right
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from .models import ExchangeRate

CENT = Decimal("0.01")


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

    def to_usd(self, amount: Decimal, currency: str, year: int) -> Decimal | None:
        rate = self.rate(currency, year)
        if rate is None:
            return None
        return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)

    def to_usd_cents(self, amount: Decimal, currency: str, year: int) -> int | None:
        usd = self.to_usd(amount, currency, year)
        return None if usd is None else int(usd * 100)


def split_cents(cents: int, years: list[int]) -> list[tuple[int, int]]:
    """Spread an amount evenly over the years it covers; leftover cents go to the first years."""
    share, leftover = divmod(cents, len(years))
    return [(year, share + (1 if index < leftover else 0)) for index, year in enumerate(years)]
