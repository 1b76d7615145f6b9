from django.urls import path

from . import views

app_name = "pathfinders"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("overview.<str:file_format>", views.overview_export, name="overview_export"),
    path("countries/<str:iso_code>/", views.country_detail, name="country_detail"),
    path("countries/<str:iso_code>/report/", views.report_start, name="report_start"),
    path("countries/<str:iso_code>/stage/", views.country_stage, name="country_stage"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/draft/", views.report_draft, name="report_draft"),
    path("reports/<int:pk>/submit/", views.report_confirm, name="report_confirm"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("reports/<int:pk>/reopen/", views.report_reopen, name="report_reopen"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("review/", views.review_queue, name="review_queue"),
    path("public/", views.public_list, name="public_list"),
    path("public/<str:iso_code>/", views.public_detail, name="public_detail"),
]
