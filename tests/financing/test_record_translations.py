"""A Secretariat function's name and description in English, French and Spanish."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse

from financing.models import RecipientKind, SecretariatFunction
from tests.reader_pages import readable_parts

from .factories import ActionGroupFactory, FundingFlowFactory, SecretariatFunctionFactory


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


# --- A name shown through a table or a chart says which language it is in ------------------

SUSTAINABILITY = reverse("financing:sustainability")
GAPS = reverse("financing:gaps")


def _in_french(client_for, user):
    user.language = "fr"
    user.save()
    return client_for(user)


def _chart_label(html: str, first_word: str) -> str | None:
    """The attributes a chart's bar label starting with `first_word` has beyond its place."""
    found = re.search(rf'<text [^>]*text-anchor="end"([^>]*)>(?:<tspan[^>]*>)?{first_word}', html)
    return found.group(1) if found else None


def _funded_function(**names) -> None:
    SecretariatFunctionFactory(annual_cost=Decimal("120000"), **names)
    FundingFlowFactory(
        recipient_kind=RecipientKind.SECRETARIAT,
        country=None,
        theme="",
        amount=Decimal("60000"),
        year_start=2026,
        decision_date=datetime.date(2025, 12, 1),
    )


def test_a_function_named_in_english_only_is_marked_english_in_the_french_tables_and_charts(
    client_for, gcg_member
):
    _funded_function(name="Pathfinder support")

    html = _in_french(client_for, gcg_member).get(SUSTAINABILITY).content.decode()

    # The tables' cells, the charts' bars and the charts' figures.
    assert html.count('<span lang="en">Pathfinder support</span>') >= 3
    assert _chart_label(html, "Pathfinder") == ' lang="en" xml:lang="en"'


def test_a_function_named_in_french_is_not_marked_english(client_for, gcg_member):
    _funded_function(name="Pathfinder support", name_fr="Appui aux pays pionniers")

    html = _in_french(client_for, gcg_member).get(SUSTAINABILITY).content.decode()

    assert _chart_label(html, "Appui") == ""
    assert "Appui aux pays pionniers" in readable_parts(html)
    assert html.count('lang="en"') == 1  # the language menu's "English" alone
    assert "Pathfinder" not in html


def test_an_action_group_named_in_english_only_is_marked_english_on_the_french_gap_page(
    client_for, gcg_member
):
    group = ActionGroupFactory(name="Supply chains", name_fr="")
    FundingFlowFactory(recipient_kind=RecipientKind.ACTION_GROUP, country=None, action_group=group)
    client = _in_french(client_for, gcg_member)

    html = client.get(GAPS, {"group_by": "recipient"}).content.decode()
    group.name_fr = "Chaînes d'approvisionnement"
    group.save()
    translated = client.get(GAPS, {"group_by": "recipient"}).content.decode()

    assert '<span lang="en">Supply chains</span>' in html
    assert _chart_label(html, "Supply") == ' lang="en" xml:lang="en"'
    assert _chart_label(translated, "Chaînes") == ""
    assert "Supply" not in translated


def test_the_french_flow_list_marks_only_the_english_name_of_a_recipient_function(
    client_for, secretariat
):
    function = SecretariatFunctionFactory(name="Pathfinder support")
    FundingFlowFactory(
        recipient_kind=RecipientKind.SECRETARIAT,
        country=None,
        theme="",
        secretariat_function=function,
    )

    html = _in_french(client_for, secretariat).get(reverse("financing:flow_list")).content
    cells = [part for part in readable_parts(html.decode()) if part.startswith("Secrétariat")]

    assert ': <span lang="en">Pathfinder support</span>' in html.decode()
    assert cells and "Pathfinder" not in " ".join(cells)


def test_a_donor_s_ledger_history_marks_an_english_group_name_only(client_for, secretariat):
    group = ActionGroupFactory(name="Supply chains", name_fr="")
    flow = FundingFlowFactory(
        recipient_kind=RecipientKind.ACTION_GROUP, country=None, action_group=group
    )
    url = reverse("financing:donor_ledger", args=[flow.source_id])

    html = _in_french(client_for, secretariat).get(url).content.decode()

    assert ' · <span lang="en">Supply chains</span>' in html
