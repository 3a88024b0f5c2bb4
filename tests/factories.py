"""factory_boy factories for the whole suite; conftest exposes them as fixtures."""

from __future__ import annotations

import datetime as dt
import functools

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from demo.core import cycle_dates
from omakouvola.models import Area, Cycle, PostalCode, Role, User


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Alue {n}")
    name_sv = factory.Sequence(lambda n: f"Område {n}")
    population = 10_000
    population_year = 2022


class PostalCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostalCode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{45000 + n:05d}")
    locality = "Kouvola"
    area = factory.SubFactory(AreaFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"asukas{n}@example.fi")
    display_name = factory.Faker("name", locale="fi_FI")
    password = factory.django.Password("salasana-123")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Verified unless built with verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(*[Group.objects.get(name=Role(role).value) for role in extracted])


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle opening in October of `opening_year` (the city's yearly rhythm)."""

    class Meta:
        model = Cycle
        exclude = ("opening_year",)

    opening_year = 2026
    name = factory.LazyAttribute(lambda o: f"OmaKouvola {o.opening_year + 1}")
    year = factory.LazyAttribute(lambda o: o.opening_year + 1)
    opens_on = factory.LazyAttribute(lambda o: cycle_dates(o.opening_year)["opens_on"])
    ideation_starts_on = factory.LazyAttribute(
        lambda o: cycle_dates(o.opening_year)["ideation_starts_on"]
    )
    ideation_ends_on = factory.LazyAttribute(
        lambda o: cycle_dates(o.opening_year)["ideation_ends_on"]
    )
    workshops_starts_on = factory.LazyAttribute(
        lambda o: cycle_dates(o.opening_year)["workshops_starts_on"]
    )
    workshops_ends_on = factory.LazyAttribute(
        lambda o: cycle_dates(o.opening_year)["workshops_ends_on"]
    )
    voting_starts_on = factory.LazyAttribute(
        lambda o: cycle_dates(o.opening_year)["voting_starts_on"]
    )
    voting_ends_on = factory.LazyAttribute(lambda o: cycle_dates(o.opening_year)["voting_ends_on"])
    decision_starts_on = factory.LazyAttribute(
        lambda o: cycle_dates(o.opening_year)["decision_starts_on"]
    )
    decision_ends_on = factory.LazyAttribute(
        lambda o: cycle_dates(o.opening_year)["decision_ends_on"]
    )
    implementation_starts_on = factory.LazyAttribute(
        lambda o: cycle_dates(o.opening_year)["implementation_starts_on"]
    )
    implementation_ends_on = factory.LazyAttribute(
        lambda o: cycle_dates(o.opening_year)["implementation_ends_on"]
    )


def helsinki(*args: int) -> dt.datetime:
    """An aware datetime on the Helsinki wall clock."""
    from omakouvola.models import HELSINKI

    return dt.datetime(*args, tzinfo=HELSINKI)


# --- ideas ------------------------------------------------------------------------------


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideas.Theme"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"teema-{n}")
    name = factory.Sequence(lambda n: f"Teema {n}")
    name_sv = factory.Sequence(lambda n: f"Tema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideas.Idea"

    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"Ulkokuntosali {n}")
    description = "Kuntoilulaitteita puistoon kaikenikäisille."
    submitter = factory.SubFactory(UserFactory)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideas.Workshop"

    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"Paja {n}")
    starts_at = factory.LazyFunction(lambda: helsinki(2027, 1, 12, 17, 0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "Kouvolan pääkirjasto"
    capacity = 10


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideas.Proposal"

    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"Ehdotus {n}")
    description = "Kustannusarvioitu suunnitelma."
    cost = 10_000


# --- voting -----------------------------------------------------------------------------


TEST_ELECTION_PASSPHRASE = "test-election-passphrase"
TEST_ELECTION_SALT = "11" * 16


@functools.cache
def factory_election_key():
    """(private key, public key text) of every factory ballot, derived once per run."""
    from voting import secrecy

    key = secrecy.private_key_from_passphrase(TEST_ELECTION_PASSPHRASE, TEST_ELECTION_SALT)
    return key, secrecy.public_key_text(key)


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "voting.Ballot"
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    name = factory.Sequence(lambda n: f"Äänestys {n}")
    money = 10_000
    opens_at = factory.LazyFunction(lambda: helsinki(2027, 1, 26, 9, 0))
    closes_at = factory.LazyFunction(lambda: helsinki(2027, 2, 8, 20, 0))
    residency = "kouvola"
    public_key = factory.LazyFunction(lambda: factory_election_key()[1])
    key_salt = TEST_ELECTION_SALT

    @factory.post_generation
    def proposals(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.proposals.set(extracted)


# --- budgets ----------------------------------------------------------------------------


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budgets.FundingSource"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Rahoituslähde {n}")
    kind = "city_budget"


class ImplementationFactory(factory.django.DjangoModelFactory):
    """A PB project record for a selected proposal (use the services for money)."""

    class Meta:
        model = "budgets.Implementation"

    proposal = factory.SubFactory(ProposalFactory, status="selected")
    title = factory.LazyAttribute(lambda o: o.proposal.title)
    year = factory.LazyAttribute(lambda o: o.proposal.cycle.year)
    planned_cost = factory.LazyAttribute(lambda o: o.proposal.cost)
