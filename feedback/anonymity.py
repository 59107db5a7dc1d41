"""The anonymous facilitator assessment (Appendix F): tokens, answers and what may be shown.

Anonymity has to hold against whoever reads the database, not only in the pages.

How an attendee gets a token
    `assessment_token_issue` gives each attendee of a session one random token (32 bytes from
    `secrets`, shown once as a link). Two tables keep what the server must know:
    - `TokenIssue(session, person)`, unique: THAT the person was given a token, so that a
      reload or a second click cannot give a second one; never which token;
    - `AssessmentToken(session, token_hash)`: the SHA-256 of each UNUSED token; no person, no
      time, a random UUID key.
    They share the session and nothing else.

    Opening the form uses nothing; only sending does. The browser that opened it keeps the
    token in a cookie (`assess_<session>`, HttpOnly, SameSite=Strict, path /feedback/) until
    the answer is sent, so that an attendee who closed the tab can come back from "Sessions you
    attended" on the same device and finish. What changed in the threat model: the token now
    also lives on the attendee's device until it is used (anyone who uses that device and
    account can send the answer in their place, as they could read the link before), and the
    attendee's signed-in requests to /feedback/ carry it, so a server that logged cookies could
    pair person and token; Cascade logs none and the database still holds no pair. Another
    device gets no second token: nothing on the server says whose token is whose.

How an answer is stored
    `assessment_submit` finds the token by its hash, deletes it and stores the answer in one
    transaction. `FacilitatorAssessment` holds the session, the answers and the day (a date,
    not a time); no person, no token, no address; a random UUID key, so that key order tells
    nothing. No audit entry and no flash message is written for either step: the audit trail
    and the session store would otherwise record who did what and when.

Order of writes (the remaining risk, and the mitigation chosen)
    A random key does not hide the order in which rows were written: SQLite keeps a hidden,
    increasing `rowid`; PostgreSQL keeps rows roughly in insertion order on disk (`ctid`) and
    stamps each with the id of the transaction that wrote it (`xmin`). Read side by side, the
    order of `TokenIssue` rows (who got a token, in order) and of tokens or answers would pair
    people with tokens and answers. So every write rewrites the session's rows of the table
    it touches, in random order, in the same transaction: issuing a token deletes and
    re-inserts all unused tokens of the session shuffled, and storing an answer does the same
    for the session's answers. Afterwards all of them share one `xmin` and one random
    physical order. It costs a few dozen rows per write (a session has 10-25 people) under a
    lock on the session row, which also serialises concurrent writes of one session.

    What remains, and is accepted:
    - until VACUUM reclaims them (autovacuum: minutes to hours), PostgreSQL's dead row
      versions, readable with `pageinspect`, still carry the old order; SQLite keeps deleted
      content in free pages unless `PRAGMA secure_delete` is on;
    - the write-ahead log and any WAL archive or point-in-time backup record every insert and
      delete in order, for as long as they are kept: keep the WAL archive of this database
      short-lived and readable only by those already trusted with backups;
    - an administrator who watches the database live (or a web server access log, which
      records the token in the URL path with an address and a time) can pair events: the
      reverse proxy must not log paths under /feedback/assess/ and its pages send
      `Referrer-Policy: same-origin` (the token never leaves in a Referer to another site) and `Cache-Control: no-store`;
    - an answer is anonymous among the people who received a token for the session: if only
      one did, the answer is theirs. The thresholds below protect what leaders and offices see,
      not what the database holds;
    - a leader who watches their averages change after one more answer learns that answer;
      the thresholds limit, and do not remove, that risk.

What may be shown
    A group of answers (a session, a pool, a unit, an entity) shows its ratings only from
    `CASCADE_MIN_RESPONSES` answers (default 5) and its free texts only from
    `CASCADE_MIN_COMMENTS` (default 10), the defaults of Microsoft Viva Glint. In a table with a
    total, `suppress` also hides the next-smallest cells (or the total) wherever a hidden cell
    could be worked out by subtraction.
"""

import base64
import hashlib
import random
import secrets
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


def assessment_cells(answers, key: str) -> dict:
    """One Cell per value of `key` (a field path of FacilitatorAssessment), in one query."""
    aggregates = {f"sum_{name}": Sum(name) for name in ASSESSMENT_RATINGS}
    aggregates.update({f"overall_{i}": Count("pk", filter=Q(overall=i)) for i in range(1, 6)})
    cells = {}
    for row in answers.values(key).annotate(n=Count("pk"), **aggregates).order_by():
        cells[row[key]] = Cell(
            label=str(row[key]),
            n=row["n"],
            sums={name: row[f"sum_{name}"] or 0 for name in ASSESSMENT_RATINGS},
            distribution=[row[f"overall_{i}"] for i in range(1, 6)],
        )
    return cells


def suppress(cells: list[Cell], total: Cell, *, minimum: int, total_hidden: bool = False) -> None:
    """Mark which cells of a one-level table (cells that add up to `total`) may not be shown.

    - a cell with answers but fewer than `minimum` is hidden; so is the total below `minimum`;
    - complementary suppression: while the total is shown and the hidden cells together are
      one cell or fewer than `minimum` answers (so subtracting the shown cells from the total
      would reveal them), the next-smallest shown cell is hidden too; when none is left, the
      total is hidden;
    - when the total is hidden from above (`total_hidden`: a higher-level table hides it) and
      every cell is shown, the smallest is hidden, so that the cells do not add up to it.
    Empty cells show nothing and are left alone."""
    for cell in cells:
        cell.hidden = 0 < cell.n < minimum
    total.hidden = total_hidden or total.n < minimum

    def hidden_cells():
        return [c for c in cells if c.hidden and c.n]

    def shown_cells():
        return sorted((c for c in cells if not c.hidden and c.n), key=lambda c: (c.n, c.label))

    while not total.hidden and hidden_cells():
        group = hidden_cells()
        if len(group) > 1 and sum(c.n for c in group) >= minimum:
            break
        candidates = shown_cells()
        if not candidates:
            total.hidden = True
            break
        candidates[0].hidden = candidates[0].complementary = True
    if total.hidden and total.n and not hidden_cells():
        candidates = shown_cells()
        if len(candidates) > 1 or (candidates and total_hidden):
            candidates[0].hidden = candidates[0].complementary = True
