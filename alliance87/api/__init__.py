"""What every area's API shares: token and session authentication, per-token rate limits,
JSON errors, pagination, CSV tables through alliance87.exports and the request log.

The areas' serializers and views live in their apps (`<app>/api.py`) and are routed under
`/api/v1/<area>/` by alliance87/urls.py; this package imports no app.
"""
