from rest_framework.throttling import SimpleRateThrottle

from alliance87.accounts.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (or per signed-in person, or per address for the open data), counted
    in the shared cache so that every web process counts the same requests."""

    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            self.scope = "token"
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            self.scope = "token"
            ident = f"user:{request.user.pk}"
        else:
            self.scope = "anonymous"
            ident = f"ip:{self.get_ident(request)}"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return self.cache_format % {"scope": self.scope, "ident": ident}
