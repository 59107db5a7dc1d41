"""Throttles for what can be guessed or abused by repetition: passwords on the login page, room
codes on the sign-in entry page, password reset e-mails.

A limit is N attempts within M minutes (settings.CASCADE_THROTTLES); the attempt that reaches N
locks the key for M minutes, during which `locked` says so and the caller refuses the request
without checking it (so a right password is no use either). Keys are what the attempt came from:
an account (the e-mail typed, whether or not it exists, so the answer never tells), a client
address, a browser or a login.

Counters live in the shared database cache (`caches["shared"]`), which every worker sees. Each
attempt claims one of N slots with `cache.add`, which inserts a row under a unique key: two
workers never claim the same slot, so concurrent guesses cannot hide from the count the way a
read-then-write counter would let them. Keys are HMACs: no e-mail or address is stored in clear.
"""

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

CACHE = "shared"


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    minutes: int

    @property
    def seconds(self) -> int:
        return self.minutes * 60


def limit(name: str) -> Limit:
    """The limit called `name` in settings.CASCADE_THROTTLES."""
    attempts, minutes = settings.CASCADE_THROTTLES[name]
    return Limit(name, attempts, minutes)


# -- who is asking -----------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, behind CASCADE_TRUSTED_PROXIES proxies that each
    append to X-Forwarded-For, the entry the outermost of them appended (what comes before it
    is whatever the client sent). IPv6 addresses count per /64, what one subscriber gets."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "CASCADE_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def browser_key(request: HttpRequest) -> str:
    """The login when there is one (read from the session, not the database), else the
    browser's session or CSRF cookie, else "" (a client that keeps no cookie has only its
    address)."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        user_id = session.get("_auth_user_id")
        if user_id:
            return f"user:{user_id}"
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        if value := request.COOKIES.get(name):
            return f"{name}:{value}"
    return ""


# -- counting ----------------------------------------------------------------------------------


def _base(rule: Limit, key: str) -> str:
    return f"throttle:{rule.name}:{salted_hmac('cascade.throttle', f'{rule.name}:{key}', algorithm='sha256').hexdigest()[:32]}"


def _slots(base: str, rule: Limit) -> list[str]:
    return [f"{base}:{n}" for n in range(rule.attempts)]


def locked(checks: Iterable[tuple[Limit, str]]) -> Limit | None:
    """The first of the (limit, key) pairs that is locked now, or None; one query. Empty keys
    are skipped."""
    locks = {f"{_base(rule, key)}:lock": rule for rule, key in checks if key}
    found = caches[CACHE].get_many(list(locks)) if locks else {}
    return next((rule for lock, rule in locks.items() if lock in found), None)


def hit(checks: Iterable[tuple[Limit, str]]) -> bool:
    """Count one attempt against each (limit, key) pair; lock the keys that reach their limit.
    True when one of them is locked now."""
    cache = caches[CACHE]
    bases = [(rule, _base(rule, key)) for rule, key in checks if key]
    taken = cache.get_many([slot for rule, base in bases for slot in _slots(base, rule)])
    now_locked = False
    for rule, base in bases:
        free = [slot for slot in _slots(base, rule) if slot not in taken]
        # Another worker may claim a free slot first: then try the next one.
        claimed = next((n for n, slot in enumerate(free) if cache.add(slot, 1, timeout=rule.seconds)), None)
        if claimed is None or claimed == len(free) - 1:
            cache.set(f"{base}:lock", 1, timeout=rule.seconds)
            cache.delete_many(_slots(base, rule))  # a fresh count once the lock-out is over
            now_locked = True
    return now_locked


def clear(checks: Iterable[tuple[Limit, str]]) -> None:
    """Forget the attempts and any lock of these keys (a successful login, a new password)."""
    keys = []
    for rule, key in checks:
        if key:
            base = _base(rule, key)
            keys += [*_slots(base, rule), f"{base}:lock"]
    if keys:
        caches[CACHE].delete_many(keys)
