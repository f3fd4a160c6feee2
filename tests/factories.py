from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Department, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@hotel.test")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            roles.roles_sync()
            self.groups.add(Group.objects.get(name=extracted.name))


def department(code: str) -> Department:
    return Department.objects.get(code=code)
