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


# --- What each indicator is measured against, on the pages -----------------------------------


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def fiji_targets(roadmap, indicators):
    """Fiji's own baseline and target for NUM; PCT keeps the framework's (20 -> 10)."""
    return own_target(
        roadmap, indicators["NUM"], baseline=60, baseline_year=2019, target=300, target_year=2027
    )


def test_progress_form_shows_the_countrys_target_beside_the_frameworks(
    client_for, focal_point, report, fiji_targets
):
    response = client_for(focal_point).get(reverse("pathfinders:report_edit", args=[report.pk]))

    text = page_text(response)
    assert "Baseline 60 (2019) · <strong>Country target</strong>: 300 by 2027" in text
    assert "Baseline 20 · <strong>Framework target</strong>: 10" in text
    assert "reached by 30 Jun 2026" in text  # the milestone's framework date


def test_report_page_shows_the_countrys_baseline_and_target(
    client_for, focal_point, report, fiji_targets
):
    response = client_for(focal_point).get(reverse("pathfinders:report_detail", args=[report.pk]))

    text = page_text(response)
    assert "<td>60 (2019)</td>" in text
    assert '300 (2027) <br><span class="small muted pf-reference pf-reference--own">' in text
    assert "Framework target" in text


def test_review_page_shows_the_countrys_baseline_and_target(
    client_for, secretariat, focal_point, report, indicators, commitments, fiji_targets
):
    from .test_views import submit_report

    submit_report(report, focal_point, indicators, commitments)

    response = client_for(secretariat).get(reverse("pathfinders:report_review", args=[report.pk]))

    text = page_text(response)
    assert "<td>60 (2019)</td>" in text and "Country target" in text


def test_the_form_shows_a_target_set_after_it_was_last_opened(
    client_for, focal_point, report, roadmap, indicators
):
    client = client_for(focal_point)
    url = reverse("pathfinders:report_edit", args=[report.pk])
    assert "Country target" not in client.get(url).content.decode()

    own_target(roadmap, indicators["NUM"], baseline=60, target=300)

    assert "Country target" in client.get(url).content.decode()


# --- Ratings, trends, the country page and its dossier ----------------------------------------


@pytest.fixture
def accepted_2025(pathfinder, framework, indicators):
    period = PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=datetime.date(2025, 1, 15),
        due_on=datetime.date(2025, 3, 31),
    )
    report = ReportFactory(
        pathfinder=pathfinder,
        period=period,
        status=ReportStatus.ACCEPTED,
        first_submitted_at=datetime.datetime(2025, 3, 20, tzinfo=datetime.UTC),
        accepted_at=datetime.datetime(2025, 4, 2, tzinfo=datetime.UTC),
    )
    for code, number in (("NUM", 300), ("PCT", 17), ("YN", 0)):
        IndicatorValue.objects.create(
            report=report, indicator=indicators[code], value_number=Decimal(number)
        )
    return report


def test_the_countrys_own_targets_change_its_rating(accepted_2025, roadmap, indicators):
    before = reporting.report_ratings(report_ids=[accepted_2025.pk])[accepted_2025.pk]
    # NUM 300 of 0 -> 1000 is 30 %, PCT 17 of 20 -> 10 is 30 %, YN no, MS not reached:
    assert (before.level, before.percent) == ("red", 15)

    own_target(roadmap, indicators["NUM"], baseline=0, target=300)  # reached: 100 %
    own_target(roadmap, indicators["PCT"], baseline=20, target=17)  # reached: 100 %

    after = reporting.report_ratings(report_ids=[accepted_2025.pk])[accepted_2025.pk]
    assert (after.level, after.percent) == ("amber", 50)


def test_a_roadmap_started_after_the_period_does_not_rate_it(accepted_2025, pathfinder, indicators):
    later = RoadmapFactory(pathfinder=pathfinder, title="Second roadmap", starts_year=2026)
    own_target(later, indicators["NUM"], baseline=0, target=300)

    rating = reporting.report_ratings(report_ids=[accepted_2025.pk])[accepted_2025.pk]

    assert rating.percent == 15


def test_trend_chart_draws_the_countrys_target_and_follows_a_change(
    accepted_2025, pathfinder, roadmap, indicators
):
    def num():
        trends = selectors.indicator_trends(pathfinder=pathfinder)
        return next(i for i in trends["indicators"] if i["code"] == "NUM")

    assert "Target: 1,000" in num()["chart"] and not num()["reference"].own

    own_target(roadmap, indicators["NUM"], baseline=60, target=800, target_year=2028)

    assert "Target: 800" in num()["chart"] and "Target: 1,000" not in num()["chart"]
    assert (num()["reference"].baseline, num()["reference"].own) == (60, True)


def test_country_page_lists_the_countrys_baselines_and_targets(
    client_for, gcg_member, accepted_2025, fiji_targets
):
    response = client_for(gcg_member).get(reverse("pathfinders:country_detail", args=["FJ"]))

    text = page_text(response)
    assert "What each indicator is measured against, as of 2025" in text
    assert "NUM Indicator" in text and "<td>60 (2019)</td>" in text
    assert "Country target" in text and "Framework target" in text


def test_dossier_shows_the_countrys_baseline_and_target(accepted_2025, fiji_targets):
    from django.template.loader import render_to_string

    context = selectors.country_dossier_report(country="FJ")

    num = next(row for row in context["targets"] if row["indicator"].code == "NUM")
    assert (num["reference"].baseline, num["reference"].target, num["reference"].own) == (
        60,
        300,
        True,
    )
    assert (
        "Target: 300"
        in next(i for i in context["trends"]["indicators"] if i["code"] == "NUM")["chart"]
    )
    html = " ".join(render_to_string("pathfinders/pdf/country_dossier.html", context).split())
    assert "<td>NUM</td>" in html and '<td class="num">60 (2019)</td>' in html
    assert "Country target" in html and "Framework target" in html


# --- Demo data ----------------------------------------------------------------------------------


def test_demo_countries_are_measured_against_their_own_targets_and_seed_once(db):
    from demo import pathfinders as demo
    from demo.accounts import seed_users
    from pathfinders.models import PathfinderCountry
    from pathfinders.selectors import current_period

    demo.seed_countries()
    seed_users()
    demo.seed()
    targets = RoadmapTarget.objects.count()
    demo.seed()

    assert RoadmapTarget.objects.count() == targets
    period = current_period()
    en2 = period.framework_version.indicators.get(code="EN2")
    seen = {}
    for iso in ("FJ", "CI", "HN", "GH"):
        pathfinder = PathfinderCountry.objects.get(country__iso_code=iso)
        reference = reporting.references(pathfinder=pathfinder, period=period, indicators=[en2])
        seen[iso] = (reference[en2.pk].baseline, reference[en2.pk].target, reference[en2.pk].own)
    assert seen == {
        "FJ": (40, 240, True),
        "CI": (600, 4000, True),
        "HN": (180, 900, True),
        "GH": (250, 1500, False),
    }
