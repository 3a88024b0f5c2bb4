"""factory_boy factories for the committees tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from committees.models import (
    Allocation,
    ApplicantKind,
    ApplicationStatus,
    Committee,
    CostItem,
    FundingApplication,
    FundingRequest,
    Membership,
    MembershipRole,
    OperatingRules,
)
from tests.factories import AreaFactory, UserFactory


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("slug",)

    area = factory.SubFactory(AreaFactory)
    name = factory.LazyAttribute(lambda o: f"{o.area.name}n aluetoimikunta")
    slug = factory.LazyAttribute(lambda o: o.area.slug)
    description = "Tukee alueen kylä- ja yhdistystoimintaa."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    committee = factory.SubFactory(CommitteeFactory)
    user = None
    name = factory.Faker("name", locale="fi_FI")
    email = factory.Sequence(lambda n: f"jasen{n}@example.fi")
    role = MembershipRole.MEMBER
    represents = "Kyläyhdistys"
    term_start = dt.date(2021, 1, 1)
    term_end = None


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation
        django_get_or_create = ("committee", "year")

    committee = factory.SubFactory(CommitteeFactory)
    year = 2026
    amount = Decimal("10000.00")


class RulesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatingRules

    committee = None
    version = factory.Sequence(lambda n: n + 1)
    valid_from = dt.date(2023, 4, 1)
    text = "Toimintasääntö."


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete, verified draft; `submitted=True` makes it submitted."""

    class Meta:
        model = FundingApplication
        skip_postgeneration_save = True

    applicant_kind = ApplicantKind.ORGANISATION
    organisation_name = "Valkealan Kyläyhdistys ry"
    business_id = "1234567-1"
    responsible_person = "Liisa Laine"
    email = factory.Sequence(lambda n: f"hakija{n}@example.fi")
    title = factory.Sequence(lambda n: f"Kylätalon kunnostus {n}")
    description = "Kylätalon ikkunat ja maalaus talkoilla."
    own_funding = Decimal("200.00")
    volunteer_hours = 120
    sustainability_ecological = "Puuikkunat kunnostetaan, ei uusita."
    sustainability_social = "Kyläläiset tekevät yhdessä."
    sustainability_economic = "Ei jatkokustannuksia kaupungille."
    email_verified_at = factory.LazyFunction(lambda: dt.datetime(2026, 1, 2, tzinfo=dt.UTC))

    @factory.post_generation
    def submitted(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.status = ApplicationStatus.SUBMITTED
            obj.submitted_at = dt.datetime(2026, 1, 3, tzinfo=dt.UTC)
            obj.save()


def application_to(committee, amount="1000.00", *, submitted=True, **kwargs):
    """An application asking `amount` from `committee`, its costs adding up."""
    amount = Decimal(amount)
    application = ApplicationFactory(submitted=submitted, **kwargs)
    CostItem.objects.create(
        application=application,
        position=1,
        description="Materiaalit",
        amount=amount + application.own_funding,
    )
    request = FundingRequest.objects.create(
        application=application, committee=committee, amount=amount
    )
    return request


__all__ = ["UserFactory"]
