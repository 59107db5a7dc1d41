"""The anonymous facilitator assessment (Appendix F): tokens, answers and what may be shown.

The threat model is in docs/anonymity.md: what is promised, what is stored and never stored, how
the tokens and the device cookie work, the thresholds and the protection against subtraction
(`groups_to_hide`), what each role sees, the risks accepted, and the tests of each promise.
Read it before changing this module, and keep it true when you do.
"""

import base64
import hashlib
import random
import secrets
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import Attendance, Session
from org.models import Person

from .models import ASSESSMENT_RATINGS, AssessmentToken, FacilitatorAssessment, TokenIssue

TOKEN_BYTES = 32


def min_responses() -> int:
    """Answers a group needs before its ratings are shown."""
    return getattr(settings, "CASCADE_MIN_RESPONSES", 5)


def min_comments() -> int:
    """Answers a group needs before its free texts (comments, topic suggestions) are shown."""
    return getattr(settings, "CASCADE_MIN_COMMENTS", 10)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


class InvalidToken(ValidationError):
    pass


# --- writes ------------------------------------------------------------------------------


def _lock_session(session_id: int) -> None:
    # Serialises the writes of one session (no-op on SQLite, whose writes are serial anyway).
    Session.objects.select_for_update().filter(pk=session_id).first()


def _rewrite_shuffled(model, session_id: int, extra: list) -> None:
    """Delete the session's rows of `model` and insert them again, with `extra`, in random order
    and with new random keys: the table then keeps no trace of the order of earlier writes."""
    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    rows = [model(**values) for values in model.objects.filter(session_id=session_id).values(*fields)]
    rows.extend(extra)
    random.SystemRandom().shuffle(rows)
    for row in rows:
        row.pk = model._meta.pk.get_default()
    model.objects.filter(session_id=session_id).delete()
    model.objects.bulk_create(rows)


def assessment_token_issue(*, session: Session, person: Person) -> str | None:
    """Give an attendee of `session` their one token for the facilitator assessment.

    Returns the raw token once; None when the person already had one for this session (a
    reload, a second click). Only its hash is stored, and nothing ties it to the person.
    Raises ValidationError if the person did not attend the session."""
    if not Attendance.objects.filter(session=session, person=person).exists():
        raise ValidationError(_("Only the people who attended a session can assess its facilitator."))
    token = base64.urlsafe_b64encode(secrets.token_bytes(TOKEN_BYTES)).rstrip(b"=").decode("ascii")
    with transaction.atomic():
        _lock_session(session.pk)
        try:
            with transaction.atomic():
                TokenIssue.objects.create(session=session, person=person)
        except IntegrityError:
            return None
        _rewrite_shuffled(AssessmentToken, session.pk, [AssessmentToken(session_id=session.pk, token_hash=token_hash(token))])
    return token


def token_session(token: str) -> Session | None:
    """The session of an unused token, or None (unknown, used, or not a token at all)."""
    if not token or len(token) > 100:
        return None
    found = AssessmentToken.objects.filter(token_hash=token_hash(token)).select_related("session__leader", "session__cycle").first()
    return found.session if found else None


def assessment_submit(*, token: str, data: dict) -> None:
    """Store one anonymous answer with `token`, which is used up in the same transaction.

    `data` holds the five ratings and, optionally, `comment` and `topic_suggestion`. Raises
    InvalidToken for an unknown or already used token. Returns nothing: the caller has no
    business knowing which row was written."""
    digest = token_hash(token or "")
    session_id = AssessmentToken.objects.filter(token_hash=digest).values_list("session_id", flat=True).first()
    if session_id is None:
        raise InvalidToken(_("This assessment link is not valid or has already been used."))
    answer = FacilitatorAssessment(
        session_id=session_id,
        comment=(data.get("comment") or "").strip(),
        topic_suggestion=(data.get("topic_suggestion") or "").strip(),
        day=timezone.localdate(),
        **{name: data[name] for name in ASSESSMENT_RATINGS},
    )
    answer.full_clean(exclude=["session"])
    with transaction.atomic(durable=True):
        _lock_session(session_id)
        # Checked again under the lock: of two submissions with one token, one wins.
        deleted, _detail = AssessmentToken.objects.filter(token_hash=digest, session_id=session_id).delete()
        if not deleted:
            raise InvalidToken(_("This assessment link is not valid or has already been used."))
        _rewrite_shuffled(FacilitatorAssessment, session_id, [answer])


# --- aggregates and suppression -------------------------------------------------------------


@dataclass
class Cell:
    """The answers of one group: their number, sums of each rating, and the overall ratings'
    distribution. `hidden` says whether the ratings may be shown."""

    label: str
    n: int = 0
    key: object = None
    sums: dict = field(default_factory=dict)
    distribution: list = field(default_factory=lambda: [0] * 5)  # overall rated 1..5
    hidden: bool = False
    complementary: bool = False  # hidden only to protect another cell

    @property
    def averages(self) -> dict:
        return {name: self.sums.get(name, 0) / self.n for name in ASSESSMENT_RATINGS} if self.n else {}

    @property
    def average_list(self) -> list:
        averages = self.averages
        return [averages.get(name) for name in ASSESSMENT_RATINGS]

    def add(self, other: "Cell") -> None:
        self.n += other.n
        for name in ASSESSMENT_RATINGS:
            self.sums[name] = self.sums.get(name, 0) + other.sums.get(name, 0)
        self.distribution = [a + b for a, b in zip(self.distribution, other.distribution, strict=True)]


def pooled(label: str, cells) -> Cell:
    total = Cell(label)
    for cell in cells:
        total.add(cell)
    return total


def assessment_cells(answers, key: str, *more: str) -> dict:
    """One Cell per value of `key` (a field path of FacilitatorAssessment), in one query; with
    `more` field paths, per tuple of the values of all of them."""
    aggregates = {f"sum_{name}": Sum(name) for name in ASSESSMENT_RATINGS}
    aggregates.update({f"overall_{i}": Count("pk", filter=Q(overall=i)) for i in range(1, 6)})
    cells = {}
    for row in answers.values(key, *more).annotate(n=Count("pk"), **aggregates).order_by():
        value = tuple(row[k] for k in (key, *more)) if more else row[key]
        cells[value] = Cell(
            label=str(value),
            n=row["n"],
            sums={name: row[f"sum_{name}"] or 0 for name in ASSESSMENT_RATINGS},
            distribution=[row[f"overall_{i}"] for i in range(1, 6)],
        )
    return cells


def fewer_than(minimum: int) -> str:
    # Translators: a number of answers below the threshold, such as "fewer than 5".
    return _("fewer than %(minimum)s") % {"minimum": minimum}


def shown_count(n: int, minimum: int) -> int | str:
    """A group's number of answers as pages and exports show it: "fewer than 5" below the
    threshold (never the exact 1 to 4), the number otherwise."""
    return fewer_than(minimum) if 0 < n < minimum else n


# --- suppression across everything one viewer sees ------------------------------------------


@dataclass(frozen=True)
class Group:
    """A group of answers one viewer may see: `members` are atoms of answers (sessions, or the
    rest of a unit) that never straddle two groups partly; `rank` orders groups of one size
    when one must be hidden: the lower rank first (a session 0 ... the organization 4)."""

    key: Hashable
    members: frozenset
    rank: int = 0


def groups_to_hide(groups: Iterable[Group], sizes: Mapping[Hashable, int], *, minimum: int, fixed: Mapping[Hashable, bool] | None = None) -> set:
    """The keys of the groups to hide so that nothing below `minimum` answers can be worked out
    from the groups shown (the rule and why it holds: docs/anonymity.md).

    `sizes` gives the answers of each atom. `fixed` gives decisions taken before ({key: hidden}),
    kept as they are: a group fixed as shown is never chosen to be hidden (the viewer's other
    groups give way), unless nothing else could repair the rule (not possible when the fixed
    decisions came from a run of this function over the fixed groups). Groups without answers
    show nothing and are never in the result.

    Groups are checked from the smallest; each is repaired, if need be, by hiding the smallest of
    it and of the largest shown groups inside it (ties: the lower rank, then the key), until it
    keeps the rule. Hiding a group inside a repaired one keeps the groups in between repaired
    (their residual gains the hidden group's residual, none or at least the minimum); a final
    pass checks everything again for groups that overlap without nesting."""
    fixed = fixed or {}
    members, n, rank = {}, {}, {}
    for group in groups:
        inside = frozenset(atom for atom in group.members if sizes.get(atom, 0) > 0)
        if inside:
            members[group.key], rank[group.key] = inside, group.rank
            n[group.key] = sum(sizes[atom] for atom in inside)
    keys = sorted(members, key=lambda key: (n[key], rank[key], repr(key)))
    hidden = {key for key in keys if n[key] < minimum or fixed.get(key) is True}

    # inside[G]: the groups whose members are a proper part of G's, found through one atom.
    holders: dict = {}
    for key in keys:
        for atom in members[key]:
            holders.setdefault(atom, []).append(key)
    inside: dict = {key: [] for key in keys}
    outside: dict = {key: [] for key in keys}
    for key in keys:
        atom = next(iter(members[key]))
        for other in holders[atom]:
            if members[key] < members[other]:
                inside[other].append(key)
                outside[key].append(other)

    def breach(key) -> list | None:
        """The groups that may be hidden to repair `key`, or None when it keeps the rule."""
        shown_inside = [h for h in inside[key] if h not in hidden]
        for h in shown_inside:
            if 0 < n[key] - n[h] < minimum:
                return [key, h]
        covered = set().union(*(members[h] for h in shown_inside)) if shown_inside else set()
        residual = sum(sizes[atom] for atom in members[key] if atom not in covered)
        if 0 < residual < minimum:
            within = set(inside[key])
            largest = [h for h in shown_inside if not any(o in within and o not in hidden for o in outside[h])]
            return [key, *largest]
        return None

    def repair(key) -> bool:
        changed = False
        while key not in hidden and (candidates := breach(key)) is not None:
            movable = [c for c in candidates if fixed.get(c) is not False] or [key]
            victim = min(movable, key=lambda c: (n[c], rank[c], repr(c)))
            hidden.add(victim)
            changed = True
        return changed

    for key in keys:
        repair(key)
    while any([repair(key) for key in keys]):
        pass
    return hidden
