"""seed_scale: refused in production, idempotent, and its sizes follow --factor."""

from io import StringIO

import pytest
from django.core.management import call_command

from demo.accounts import DEMO_USERS
from demo.management.commands import seed_scale
from demo.pathfinders import seed_countries
from financing.models import FundingFlow
from governance.models import Engagement, Organisation, Partner
from pathfinders.models import IndicatorValue, PathfinderCountry, ProgressReport
from tests.alliance87.test_settings import PRODUCTION_ENV, manage
from tests.factories import SecretariatFactory
from workshops.models import AgendaItem, Event, FollowUpAction

MODELS = [
    PathfinderCountry,
    ProgressReport,
    IndicatorValue,
    Organisation,
    Partner,
    Engagement,
    FundingFlow,
    Event,
    AgendaItem,
    FollowUpAction,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo_present(db):
    # The countries and the Secretariat's demo login are what seed_scale builds on; the rest
    # of the demo (slow to load) is left out so the figures below are seed_scale's alone.
    seed_countries()
    SecretariatFactory(email=DEMO_USERS[0][0])


def run(factor: float) -> str:
    out = StringIO()
    call_command("seed_scale", factor=factor, stdout=out)
    return out.getvalue()


def test_production_mode_refuses_the_scale_seed():
    result = manage("seed_scale", "--factor", "0.01", env=PRODUCTION_ENV)

    assert result.returncode != 0
    assert "seed_scale refuses to run in production mode" in result.stderr


def test_second_run_adds_nothing(demo_present):
    run(0.02)
    first = counts()

    output = run(0.02)

    assert counts() == first
    assert "engagement records: 0" in output
    assert "funding flows: 0 new" in output


def test_sizes_follow_the_factor(demo_present):
    run(0.01)
    small = counts()

    run(0.02)
    large = counts()

    assert small["Engagement"] == 500 and large["Engagement"] == 1000
    assert small["FundingFlow"] == 200 and large["FundingFlow"] == 400
    assert small["Partner"] == 50 and large["Partner"] == 100
    assert small["FollowUpAction"] == 100 and large["FollowUpAction"] == 200
    assert small["AgendaItem"] == 40 and large["AgendaItem"] == 80
    assert small["Event"] == 5 and large["Event"] == 10


def test_full_factor_targets_ten_times_the_alliance():
    from demo.scale.financing import target_counts as financing
    from demo.scale.governance import target_counts as governance
    from demo.scale.pathfinders import target_counts as pathfinders
    from demo.scale.workshops import target_counts as workshops

    figures = pathfinders(1.0) | governance(1.0) | financing(1.0) | workshops(1.0)

    assert figures["pathfinders"] * figures["periods"] * figures["indicators"] == 24_000
    assert (figures["organisations"], figures["partners"], figures["engagements"]) == (
        2_000,
        5_000,
        50_000,
    )
    assert figures["funding flows"] == 20_000
    assert (figures["events"], figures["agenda items"], figures["follow-up actions"]) == (
        500,
        4_000,
        10_000,
    )


def test_reports_carry_a_value_for_every_indicator(demo_present):
    run(0.05)

    reports = ProgressReport.objects.filter(period__label__endswith="(scale data)")
    assert reports.count() == 3
    assert set(reports.values_list("status", flat=True)) <= {"accepted", "submitted"}
    assert IndicatorValue.objects.filter(report__in=reports).count() == 3 * 40


def test_generated_records_are_marked_as_demo_data(demo_present):
    run(0.01)

    assert not Engagement.objects.filter(is_demo=False).exists()
    assert not FundingFlow.objects.filter(is_demo=False).exists()
    assert not Event.objects.filter(is_demo=False).exists()
    assert not Organisation.objects.filter(is_demo=False).exists()


def test_demo_is_loaded_first_when_missing(db, monkeypatch):
    loaded = []

    def fake_call_command(name, **options):
        loaded.append(name)
        seed_countries()
        SecretariatFactory(email=DEMO_USERS[0][0])

    monkeypatch.setattr(seed_scale, "call_command", fake_call_command)

    output = run(0.01)

    assert loaded == ["seed_demo"]
    assert "running seed_demo first" in output


def test_factor_must_be_positive(demo_present):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="more than 0"):
        run(0)
