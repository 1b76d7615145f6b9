from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("mine/", views.my_registrations, name="my_registrations"),
    path("follow-ups/", views.followup_board, name="followup_board"),
    path("follow-ups/<int:pk>/status/", views.followup_status, name="followup_status"),
    path("outputs/<int:pk>/decision/", views.output_decide, name="output_decide"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/calendar.ics", views.event_ics, name="event_ics"),
    path("<int:pk>/agenda/print/", views.event_agenda_print, name="event_agenda_print"),
    path("<int:pk>/follow-ups/new/", views.followup_create, name="followup_create"),
    path(
        "<int:pk>/follow-ups/carry-forward/",
        views.followups_carry_forward,
        name="followups_carry_forward",
    ),
    path("<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/circulate/", views.minutes_circulate, name="minutes_circulate"),
    path("<int:pk>/minutes/approve/", views.minutes_approve, name="minutes_approve"),
]
