from django.urls import path

from . import views

app_name = "financing"

urlpatterns = [
    path("", views.gaps, name="gaps"),
    path("gaps.<str:file_format>", views.gaps_export, name="gaps_export"),
    path("secretariat/", views.sustainability, name="sustainability"),
    path(
        "secretariat.<str:file_format>", views.sustainability_export, name="sustainability_export"
    ),
    path("flows/", views.flow_list, name="flow_list"),
    path("flows.<str:file_format>", views.flow_list_export, name="flow_list_export"),
    path("donors/<int:pk>/", views.donor_ledger_view, name="donor_ledger"),
    path(
        "donors/<int:pk>.<str:file_format>",
        views.donor_ledger_export,
        name="donor_ledger_export",
    ),
    path("import/", views.flow_import, name="flow_import"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/undo/", views.import_undo, name="import_undo"),
    path("import/template.<str:file_format>", views.import_template, name="import_template"),
]
