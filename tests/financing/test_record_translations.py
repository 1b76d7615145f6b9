"""A Secretariat function's name and description in English, French and Spanish."""

from django.urls import reverse

from financing.models import SecretariatFunction

from .factories import SecretariatFunctionFactory


def test_the_secretariat_names_a_function_in_three_languages_side_by_side(client_for, secretariat):
    function = SecretariatFunctionFactory(name="Pathfinder support")
    url = reverse("admin:financing_secretariatfunction_change", args=[function.pk])
    client = client_for(secretariat)
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data |= {"name_fr": "Appui aux pays pionniers", "name_es": "Apoyo a los países pioneros"}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    response = client.post(url, data)

    for name in ("name_en", "name_fr", "name_es", "description_fr"):
        assert f'name="{name}"' in page.content.decode()
    assert response.status_code == 302, response.context["adminform"].form.errors
    function.refresh_from_db()
    assert (function.name_en, function.name_fr) == (
        "Pathfinder support",
        "Appui aux pays pionniers",
    )
    assert SecretariatFunction.objects.rewrite(False).filter(name="Pathfinder support").exists()
