import datetime

import pytest

from governance import tasks
from governance.models import ActionGroup

from .factories import ActivityFactory, GroupFactory

pytestmark = pytest.mark.django_db


def test_the_scheduled_task_flags_each_quiet_group_once_committed(
    django_capture_on_commit_callbacks,
):
    quiet = GroupFactory(launched_on=datetime.date(2019, 1, 1))
    busy = ActivityFactory(date=datetime.date.today()).group
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.flag_inactive_groups() == 1
    quiet.refresh_from_db()
    busy.refresh_from_db()
    assert quiet.status == ActionGroup.Status.INACTIVE
    assert busy.status == ActionGroup.Status.ACTIVE


def test_the_task_for_one_group_is_safe_to_run_twice():
    group = GroupFactory(launched_on=datetime.date(2019, 1, 1))
    assert tasks.flag_inactive_group(group.pk) is True
    assert tasks.flag_inactive_group(group.pk) is False


def test_the_task_is_in_the_beat_schedule(settings):
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "governance.tasks.flag_inactive_groups" in names
