"""Each Pathfinder's own baselines and targets (issue 13, item 5): set in the admin on its
roadmap, shown on the progress form, the report and review pages, the country page and its
dossier, and used by the ratings and the trend charts."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from pathfinders import reporting, selectors
from pathfinders.models import IndicatorValue, ReportStatus, RoadmapTarget

from .factories import PeriodFactory, ReportFactory, RoadmapFactory


@pytest.fixture
def roadmap(pathfinder):
    return RoadmapFactory(pathfinder=pathfinder, title="Fiji roadmap 2020", starts_year=2020)


def own_target(roadmap, indicator, **numbers) -> RoadmapTarget:
    target = RoadmapTarget(roadmap=roadmap, indicator=indicator, **numbers)
    target.full_clean()
    target.save()
    return target


# --- Admin ------------------------------------------------------------------------------------


def roadmap_form(roadmap, *rows: dict, initial: int = 0) -> dict:
    data = {
        "pathfinder": roadmap.pathfinder_id,
        "title": roadmap.title,
        "starts_year": roadmap.starts_year,
        "ends_year": roadmap.ends_year,
        "summary": "",
        "targets-TOTAL_FORMS": str(len(rows)),
        "targets-INITIAL_FORMS": str(initial),
        "commitments-TOTAL_FORMS": "0",
        "commitments-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(rows):
        data |= {f"targets-{index}-{name}": value for name, value in row.items()}
        data[f"targets-{index}-roadmap"] = roadmap.pk
    return data


def post_roadmap(client, roadmap, *rows, initial: int = 0):
    return client.post(
        reverse("admin:pathfinders_roadmap_change", args=[roadmap.pk]),
        roadmap_form(roadmap, *rows, initial=initial),
    )


def inline_errors(response) -> list[dict]:
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "targets"
    )
    return [form.errors for form in formset.forms]


def test_secretariat_sets_a_countrys_target_on_its_roadmap(
    client_for, secretariat, roadmap, indicators, period
):
    response = post_roadmap(
        client_for(secretariat),
        roadmap,
        {
            "indicator": indicators["NUM"].pk,
            "baseline": "60",
            "baseline_year": "2019",
            "target": "300",
            "target_year": "2027",
        },
    )

    assert response.status_code == 302
    target = roadmap.targets.get()
    assert (target.baseline, target.target, target.target_year) == (60, 300, 2027)
    assert target.history.count() == 1


def test_admin_refuses_a_target_out_of_range_beside_the_field(
    client_for, secretariat, roadmap, indicators, period
):
    response = post_roadmap(
        client_for(secretariat),
        roadmap,
        {"indicator": indicators["PCT"].pk, "baseline": "20", "target": "140"},
    )

    assert response.status_code == 200
    assert inline_errors(response)[0]["target"] == ["Give a value between 0 and 100."]
    assert 'value="140"' in response.content.decode()  # what was typed is kept
    assert not RoadmapTarget.objects.exists()


def test_admin_refuses_a_target_for_a_text_indicator_and_a_milestone_without_date(
    client_for, secretariat, roadmap, indicators, period
):
    response = post_roadmap(
        client_for(secretariat),
        roadmap,
        {"indicator": indicators["TXT"].pk, "target": ""},
        {"indicator": indicators["MS"].pk, "target_date": ""},
    )

    text, milestone = inline_errors(response)
    assert text["target"] == ["This indicator is not measured against a target."]
    assert milestone["target_date"] == ["A milestone date indicator needs a target date."]


def test_admin_refuses_a_second_target_for_the_same_indicator_code(
    client_for, secretariat, roadmap, indicators, period
):
    row = {"indicator": indicators["NUM"].pk, "baseline": "1", "target": "5"}

    response = post_roadmap(client_for(secretariat), roadmap, row, row)

    assert "already sets a target for NUM" in inline_errors(response)[1]["indicator"][0]
    assert not RoadmapTarget.objects.exists()


def test_admin_offers_the_rated_indicators_of_the_framework_in_use(
    client_for, secretariat, roadmap, indicators, period
):
    from pathfinders.services import framework_version_copy

    old = framework_version_copy(version=period.framework_version)  # v2, newest
    PeriodFactory(label="2027", framework_version=old)  # in use, so v1 stays offered too

    response = client_for(secretariat).get(
        reverse("admin:pathfinders_roadmap_change", args=[roadmap.pk])
    )

    field = response.context["inline_admin_formsets"][0].formset.empty_form.fields["indicator"]
    offered = {(i.version.number, i.code) for i in field.offered}
    assert (1, "NUM") in offered and (2, "NUM") in offered
    assert not any(code == "TXT" for _, code in offered)


def test_country_admin_lists_which_indicators_its_roadmaps_set_targets_for(
    client_for, secretariat, roadmap, indicators
):
    own_target(roadmap, indicators["NUM"], baseline=60, target=300)

    response = client_for(secretariat).get(
        reverse("admin:pathfinders_pathfindercountry_change", args=[roadmap.pathfinder_id])
    )

    assert response.status_code == 200
    assert "NUM" in response.content.decode()


def test_country_targets_have_an_admin_list_and_history(
    client_for, secretariat, roadmap, indicators
):
    target = own_target(roadmap, indicators["NUM"], baseline=60, target=300)
    client = client_for(secretariat)

    listing = client.get(reverse("admin:pathfinders_roadmaptarget_changelist"), {"q": "Fiji"})
    history = client.get(reverse("admin:pathfinders_roadmaptarget_history", args=[target.pk]))

    assert listing.status_code == history.status_code == 200
    assert "Fiji" in listing.content.decode()
