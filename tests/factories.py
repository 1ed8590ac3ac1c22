"""factory-boy factories for the domain models."""
import factory
from factory.django import DjangoModelFactory

from chiso.accounts.models import Role, User
from chiso.plans.models import Assignment, Plan, PlanItem, PlanTable, Task
from chiso.units.models import Unit, UnitKind


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Tỉnh thử {n}")
    kind = UnitKind.PROVINCE


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Sở thử {n}")
    kind = UnitKind.DEPARTMENT
    parent = factory.SubFactory(ProvinceFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OFFICER
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    issuer = factory.SubFactory(ProvinceFactory)
    number = factory.Sequence(lambda n: f"{n}/KH-UBND")
    title = factory.Sequence(lambda n: f"Kế hoạch thử {n}")
    first_year = 2025
    last_year = 2025
    content_hash = factory.Sequence(lambda n: f"hash-{n}")


class PlanTableFactory(DjangoModelFactory):
    class Meta:
        model = PlanTable

    plan = factory.SubFactory(PlanFactory)
    index = "PAR_INDEX"


class PlanItemFactory(DjangoModelFactory):
    class Meta:
        model = PlanItem

    table = factory.SubFactory(PlanTableFactory)
    code = factory.Sequence(lambda n: f"1.{n}")
    name = factory.Sequence(lambda n: f"Tiêu chí {n}")
    level = 2


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    item = factory.SubFactory(PlanItemFactory)
    text = factory.Sequence(lambda n: f"Nhiệm vụ {n}")


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    role = "lead"
    unit = factory.SubFactory(UnitFactory)
    text = factory.LazyAttribute(lambda a: a.unit.name if a.unit else "Các sở, ban, ngành")
