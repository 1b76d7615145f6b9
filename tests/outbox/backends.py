"""A mail server that fails on purpose, for the outbox tests."""

import smtplib

from django.core.mail.backends import locmem


class FlakyBackend(locmem.EmailBackend):
    """Django's test backend (mail.outbox), dropping the connection on the messages whose
    numbers are in `refuse` (1: the first message handed to it)."""

    refuse: set[int] = set()
    handed = 0

    def send_messages(self, messages) -> int:
        sent = 0
        for message in messages:
            type(self).handed += 1
            if type(self).handed in self.refuse:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            sent += super().send_messages([message])
        return sent
