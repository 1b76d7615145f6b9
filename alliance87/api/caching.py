"""The API's JSON answers kept in the cache while nothing they show has changed.

The same mechanism as the pages' parts (alliance87.fragments): an answer is kept for the
person (what they may see), the address with its host, filters, ordering and page, the
language, time zone and quarter hour, until any area's data changes. CSV files are written afresh,
and answers other than 200 are never kept.

A view whose `get` is its own decorates it with `@cached_answer`; a list view that inherits
its `get` (generics.ListAPIView) takes the `CachedAnswer` mixin, first among its bases.
"""

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.http.response import HttpResponseBase
from rest_framework.response import Response

from alliance87 import fragments
from alliance87.aggregates import AREAS, REFERENCE_AREA

from .tables import wants_csv

EVERY_AREA = (*AREAS, REFERENCE_AREA)


def answer(
    get: Callable[..., Any],
    request,
    *args,
    per_person: bool = True,
    areas: Iterable[str] = EVERY_AREA,
    **kwargs,
):
    """`get(request, ...)`'s answer, or its data as kept for this reader and address."""
    if wants_csv(request):
        return get(request, *args, **kwargs)
    key = fragments.key(
        request, areas=areas, name=f"api|{request.build_absolute_uri()}", person=per_person
    )

    return fragments.cached_response(
        key, lambda: get(request, *args, **kwargs), payload=_data, rebuild=Response
    )


def _data(answer: HttpResponseBase) -> Any:
    """What is kept of an answer: the data of a 200; nothing of any other."""
    if isinstance(answer, Response) and answer.status_code == 200:
        return answer.data
    return None


def cached_answer(get: Callable[..., Any]) -> Callable[..., Any]:
    """For a view's own `get`: its answer kept for each person."""

    @functools.wraps(get)
    def cached_get(self, request, *args, **kwargs):
        return answer(
            functools.partial(get, self),
            request,
            *args,
            per_person=getattr(self, "cache_per_person", True),
            **kwargs,
        )

    return cached_get


class CachedAnswer:
    """For a list view that inherits its `get`: put it before the view's base classes."""

    # Open data is the same for everyone: kept once, not once per person.
    cache_per_person = True

    def get(self, request, *args, **kwargs):
        return answer(
            super().get,  # the view class this is mixed into
            request,
            *args,
            per_person=self.cache_per_person,
            **kwargs,
        )
