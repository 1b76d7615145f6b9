"""Demo users, one per role. Created only outside production mode (see seed_demo)."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import Group

from alliance87.accounts import roles, totp
from alliance87.accounts.models import User
from alliance87.models import Country, FocalPoint

# Fixed so the demo can be tried: add it to an authenticator app, or run `make totp`.
DEMO_TOTP_SECRET = "KRUGKIDBNRWGSYLOMNSSAOBOG4QGI3LP"  # noqa: S105  demo only, printed on purpose

DEMO_USERS = [
    # email, first name, last name, role, countries (ISO), language
    ("secretariat@alliance87.test", "Sara", "Mensah", roles.SECRETARIAT, [], "en"),
    ("gcg.member@alliance87.test", "Claire", "Dubois", roles.GCG_MEMBER, [], "fr"),
    ("gcg.observer@alliance87.test", "Tom", "Walker", roles.GCG_OBSERVER, [], "en"),
    ("focal.point@alliance87.test", "Mere", "Naivalu", roles.FOCAL_POINT, ["FJ"], "en"),
    ("focal.point.ci@alliance87.test", "Awa", "Kouassi", roles.FOCAL_POINT, ["CI"], "fr"),
]


def seed_users(*, stdout=None) -> list[User]:
    users = []
    for email, first_name, last_name, role, iso_codes, language in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"first_name": first_name, "last_name": last_name, "language": language},
        )
        if created or not user.has_usable_password():
            user.set_password(settings.DEMO_PASSWORD)
        user.is_staff = role == roles.SECRETARIAT
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        for iso_code in iso_codes:
            FocalPoint.objects.get_or_create(
                user=user,
                country=Country.objects.get(iso_code=iso_code),
                defaults={"capacity": FocalPoint.Capacity.GOVERNMENT},
            )
        if (
            role == roles.SECRETARIAT
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            totp.authenticator_activate(user=user, secret=DEMO_TOTP_SECRET)
        users.append(user)
    if stdout:
        stdout.write(f"Demo users: {len(users)}")
    return users


def logins_text() -> str:
    role_width = max(len(row[3]) for row in DEMO_USERS)
    lines = [
        "",
        f"Demo logins (password for all: {settings.DEMO_PASSWORD})",
        "-" * 72,
    ]
    for email, _first, _last, role, iso_codes, _language in DEMO_USERS:
        extra = f" for {', '.join(iso_codes)}" if iso_codes else ""
        lines.append(f"  {role:<{role_width}}  {email}{extra}")
    lines += [
        "-" * 72,
        "The Secretariat account asks for a two-factor code: run `make totp` in another",
        f"terminal, or add the secret {DEMO_TOTP_SECRET} to an authenticator app.",
        "",
    ]
    return "\n".join(lines)
