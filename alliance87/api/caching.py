"""The API's JSON answers kept in the cache while nothing they show has changed.

The same mechanism as the pages' parts (alliance87.fragments): an answer is kept for the
person (what they may see), the address with its filters, ordering and page, the language and
time zone and the minute, until any area's data changes. CSV files are written afresh, and
answers other than 200 are never kept.
"""

from django.core.cache import cache
from rest_framework.response import Response

from alliance87 import fragments
from alliance87.aggregates import AREAS, REFERENCE_AREA

from .tables import wants_csv


class CachedAnswer:
    """For an API view (a list or any GET): put it before the view's base classes."""

    cache_areas: tuple[str, ...] = (*AREAS, REFERENCE_AREA)
    # Open data is the same for everyone: kept once, not once per person.
    cache_per_person = True

    def get(self, request, *args, **kwargs):
        answer = super().get  # the view class this is mixed into
        if wants_csv(request):
            return answer(request, *args, **kwargs)
        key = fragments.key(
            request,
            areas=self.cache_areas,
            name=f"api|{request.build_absolute_uri()}",
            person=self.cache_per_person,
        )
        data = cache.get(key)
        if data is not None:
            return Response(data)
        response = answer(request, *args, **kwargs)
        if isinstance(response, Response) and response.status_code == 200:
            cache.set(key, response.data, fragments.FRAGMENT_SECONDS)
        return response
