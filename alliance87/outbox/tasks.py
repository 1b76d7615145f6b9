from celery import shared_task

from . import services


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def send_outbox_email(email_id: int) -> None:
    """Send one queued email; a duplicate delivery finds it claimed and sends nothing."""
    services.outbox_send(email_id=email_id)
