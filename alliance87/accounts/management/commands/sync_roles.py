from django.core.management.base import BaseCommand

from alliance87.accounts.roles import sync_roles


class Command(BaseCommand):
    help = "Create or update the role groups (Secretariat, GCG member, GCG observer, focal point)."

    def handle(self, *args, **options) -> None:
        for role, count in sync_roles().items():
            self.stdout.write(f"{role}: {count} permissions")
