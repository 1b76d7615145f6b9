"""Factories for the records every area uses: people with roles, countries, organisations."""

import factory
from django.contrib.auth.models import Group

from alliance87.accounts import roles
from alliance87.accounts.models import User
from alliance87.accounts.totp import authenticator_activate, secret_generate
from alliance87.models import Country, FocalPoint, IloRegion
from governance.models import Organisation

PASSWORD = "a-long-test-password"


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["iso_code"]

    iso_code = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.Sequence(lambda n: f"Country {n}")
    ilo_region = IloRegion.AFRICA


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs) -> None:
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
            if extracted == roles.SECRETARIAT:
                self.is_staff = True
        self.save()


class SecretariatFactory(UserFactory):
    """Staff with an authenticator, as the portal requires of the Secretariat."""

    is_staff = True

    @factory.post_generation
    def role(self, create: bool, extracted, **kwargs) -> None:
        self.groups.add(Group.objects.get(name=roles.SECRETARIAT))

    @factory.post_generation
    def totp(self, create: bool, extracted, **kwargs) -> None:
        self.totp_secret = secret_generate()
        authenticator_activate(user=self, secret=self.totp_secret)
        self.save()


class FocalPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocalPoint

    user = factory.SubFactory(UserFactory, role=roles.FOCAL_POINT)
    country = factory.SubFactory(CountryFactory)
    capacity = FocalPoint.Capacity.GOVERNMENT


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organisation.Kind.CIVIL_SOCIETY
