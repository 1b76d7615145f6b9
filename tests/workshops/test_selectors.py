import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.workshops.factories import EventFactory, FollowUpActionFactory, OutputFactory
from workshops import selectors
from workshops.models import Event

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_no_summary_for_anonymous_visitors():
    assert selectors.dashboard_summary(user=AnonymousUser()) is None


def test_the_summary_counts_open_and_overdue_actions_and_outputs_by_status(gcg_member):
    FollowUpActionFactory(due_date=TODAY - datetime.timedelta(days=1))
    FollowUpActionFactory(due_date=TODAY + datetime.timedelta(days=1))
    FollowUpActionFactory(due_date=TODAY - datetime.timedelta(days=1), status="dropped")
    OutputFactory()

    summary = selectors.dashboard_summary(user=gcg_member)

    assert summary["actions"] == {"open": 2, "overdue": 1}
    assert ("Proposed", 1) in summary["output_rows"]
    assert "<svg" in summary["output_chart"]


def test_the_cached_summary_counts_an_action_agreed_since(gcg_member):
    FollowUpActionFactory(due_date=TODAY + datetime.timedelta(days=1))
    assert selectors.dashboard_summary(user=gcg_member)["actions"] == {"open": 1, "overdue": 0}

    FollowUpActionFactory(due_date=TODAY - datetime.timedelta(days=1))

    assert selectors.dashboard_summary(user=gcg_member)["actions"] == {"open": 2, "overdue": 1}


def test_the_summary_lists_the_next_three_visible_events_soonest_first(focal_point):
    for days in (30, 10, 20, 40):
        EventFactory(
            title=f"In {days} days",
            is_public=True,
            status=Event.Status.PLANNED,
            start_date=TODAY + datetime.timedelta(days=days),
        )
    EventFactory(title="Hidden", start_date=TODAY + datetime.timedelta(days=1))

    summary = selectors.dashboard_summary(user=focal_point)

    assert [e.title for e in summary["upcoming"]] == ["In 10 days", "In 20 days", "In 30 days"]
    assert "actions" not in summary and summary["board_url"] is None


def test_an_event_ending_today_is_still_upcoming(gcg_member):
    EventFactory(
        title="Last day today", start_date=TODAY - datetime.timedelta(days=1), end_date=TODAY
    )

    result = selectors.event_list(user=gcg_member, params={})

    assert [e.title for e in result["upcoming"]] == ["Last day today"]
    assert result["past"] == []
