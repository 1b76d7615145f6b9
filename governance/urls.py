from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("gcg/", views.composition, name="composition"),
    path("gcg/composition.csv", views.composition_csv, name="composition_csv"),
    path("gcg/rotation/", views.rotation, name="rotation"),
    path("gcg/calls/new/", views.call_create, name="call_create"),
    path("gcg/calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("gcg/calls/<int:pk>/close/", views.call_close, name="call_close"),
    path("gcg/calls/<int:pk>/appoint/", views.call_appoint, name="call_appoint"),
    path("gcg/meetings/", views.meeting_list, name="meeting_list"),
    path("gcg/meetings/<int:number>/", views.meeting_detail, name="meeting_detail"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/propose/", views.group_propose, name="group_propose"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/activity/", views.activity_create, name="activity_create"),
    path("groups/<int:pk>/approve/", views.group_approve, name="group_approve"),
    path("groups/<int:pk>/propose-closure/", views.closure_propose, name="closure_propose"),
    path("groups/<int:pk>/withdraw-closure/", views.closure_withdraw, name="closure_withdraw"),
    path("groups/<int:pk>/close/", views.group_close, name="group_close"),
    path("partners/", views.partner_analysis, name="partner_analysis"),
    path(
        "partners/export.<str:fmt>", views.partner_analysis_export, name="partner_analysis_export"
    ),
]
