"""Background work of the governance area: thin tasks that call services."""

import logging
from functools import partial

from celery import shared_task
from django.db import OperationalError, transaction

from . import services

logger = logging.getLogger(__name__)


@shared_task(
    ignore_result=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5
)
def flag_inactive_group(group_id: int) -> bool:
    """Flag one group inactive if nothing was logged for GROUP_INACTIVITY_MONTHS; safe to repeat."""
    return services.group_flag_inactive(group_id=group_id)


@shared_task(ignore_result=True)
def flag_inactive_groups() -> int:
    """Beat runs it daily: one job per group due, each claiming its row with a conditional UPDATE."""
    group_ids = list(services.groups_due_for_inactivity().values_list("pk", flat=True))
    for group_id in group_ids:
        transaction.on_commit(partial(flag_inactive_group.delay, group_id))
    if group_ids:
        logger.info("Groups due to be flagged inactive: %s", group_ids)
    return len(group_ids)
