from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("Alliance 8.7 administration")
admin.site.site_title = _("Alliance 8.7 administration")
admin.site.index_title = _("Secretariat records")
admin.site.site_url = "/dashboard/"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("alliance87.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("pathfinders/", include("pathfinders.urls")),
    path("governance/", include("governance.urls")),
    path("financing/", include("financing.urls")),
    path("events/", include("workshops.urls")),
    path("vision/", include("vision.urls")),
    path("reports/", include("alliance87.reports.urls")),
    # The API: shared plumbing here, each area's endpoints in its app (<app>/api.py).
    path("api/v1/", include("alliance87.api.urls")),
    path("api/v1/pathfinders/", include("pathfinders.api")),
    path("api/v1/financing/", include("financing.api")),
    path("api/v1/governance/", include("governance.api")),
    path("api/v1/events/", include("workshops.api")),
    path("api/v1/public/", include("pathfinders.public_api")),
    path("api/v1/public/", include("financing.public_api")),
    # Any other address under /api/ answers JSON, with DEBUG on as off (Django's debug 404
    # page would otherwise answer HTML).
    re_path(r"^api/", views.page_not_found),
    path("data/", include("alliance87.api.data_urls")),
]
if settings.BENCH_FLOOR:
    from bench.floor import floor

    urlpatterns.append(path("bench/floor/<int:size>/", floor, name="bench_floor"))
# Uploaded files are never served as plain media: evidence, documents and PDF reports are
# downloaded through views that check who may see them.

handler400 = "alliance87.views.bad_request"
handler403 = "alliance87.views.permission_denied"
handler404 = "alliance87.views.page_not_found"
handler500 = "alliance87.views.server_error"
