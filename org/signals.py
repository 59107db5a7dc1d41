"""What the organization tells the layers above it when people leave or come back.

The organization file (and the admin, and later provisioning) decides who is in the
organization; what that means for accounts and their roles is the accounts app's business,
one layer up. `people_deactivate` and `people_reactivate` (org/services.py) send these signals
inside their transaction and add up what the receivers report; accounts connects its receivers
in `AccountsConfig.ready`. With `dry_run`, a receiver only counts.
"""

from dataclasses import dataclass

from django.dispatch import Signal


@dataclass(frozen=True)
class AccessChange:
    """What people leaving changed (or, in a dry run, would change)."""

    people: int = 0
    accounts: int = 0
    grants: int = 0


# Sent with person_ids and dry_run; each receiver returns an AccessChange (accounts closed and
# role grants suspended).
people_left = Signal()

# Sent with person_ids and dry_run; each receiver returns (accounts reopened, grants still
# suspended).
people_returned = Signal()


def access_ended(person_ids: list[int], *, dry_run: bool) -> AccessChange:
    responses = people_left.send(sender=AccessChange, person_ids=person_ids, dry_run=dry_run)
    changes = [response for _receiver, response in responses]
    return AccessChange(
        people=len(person_ids), accounts=sum(change.accounts for change in changes), grants=sum(change.grants for change in changes)
    )


def access_restored(person_ids: list[int], *, dry_run: bool) -> tuple[int, int]:
    responses = people_returned.send(sender=AccessChange, person_ids=person_ids, dry_run=dry_run)
    return sum(response[0] for _r, response in responses), sum(response[1] for _r, response in responses)
