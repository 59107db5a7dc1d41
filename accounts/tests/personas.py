"""People with accounts for tests: one password, roles granted by (role, entity code)."""

from accounts.models import RoleGrant, User
from org.models import Entity, Person

PASSWORD = "a-long-test-password"


def make_user(email, index_number=None, *grants):
    """A user linked to the person `index_number` (if given), with each (role, entity code) granted."""
    person = Person.objects.get(index_number=index_number) if index_number else None
    user = User.objects.create_user(email, PASSWORD, person=person)
    for role, code in grants:
        RoleGrant.objects.create(user=user, role=role, entity=Entity.objects.get(code=code) if code else None)
    return user
