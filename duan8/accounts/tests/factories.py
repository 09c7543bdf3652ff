import factory

from duan8.accounts.models import Membership, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    password = factory.django.Password("matkhau-demo-2023")


def membership(user: User, unit, role_code: str) -> Membership:
    return Membership.objects.create(
        user=user, org_unit=unit, role=Role.objects.get(code=role_code)
    )
