"""Who may open the "Vision and progress" page: the people who read every area (the GCG and
the Secretariat), as it sums up every country, the funding and the events."""

from alliance87.access import AccessRefused, can_read_everything


def require_vision_reader(user) -> None:
    if not can_read_everything(user):
        raise AccessRefused
