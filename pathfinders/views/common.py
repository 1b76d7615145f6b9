"""What the Pathfinder views share."""

from typing import cast

from django.http import HttpRequest

from alliance87.accounts.models import User


def _signed_in(request: HttpRequest) -> User:
    """The person who acts: the views that call this are for signed-in people only
    (login_required, or an access helper that refuses anyone else first)."""
    return cast(User, request.user)
