from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from alliance87.accounts.tokens import api_token_find


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer a87_…`: a personal token made on the account's API tokens page."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send one token after “Bearer”."))
        try:
            plain = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from error
        token = api_token_find(plain)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This token is not valid: unknown, revoked or expired.")
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The portal's own pages call the API with their session; writes need the CSRF token."""


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal API token."}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = SessionAuthentication
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
