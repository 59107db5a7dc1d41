"""No date a person reads is numeric only: "12/06/2026" is 12 June in Paris and 6 December in New
York. Pages, e-mails and PDFs write days in the locale's long or medium form ("6 December 2026",
"6 déc. 2026", "2026年12月6日"); files use ISO 8601; date fields are native date inputs.

The demo's pages, as each role reaches them from the home page, and the e-mails Cascade sends
(invitations of every kind, the reminders, the digest, the escalations) are read in the six
languages, with a scheduled session in Nairobi among them."""

import datetime
import io
import re
import subprocess
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from accounts.models import User
from cascade.tests.crawl import NOT_PAGES, ROLES, shape
from dialogues.invitations import invitation_messages
from dialogues.models import Session
from dialogues.scheduling import SessionPlan, send_due_reminders, session_schedule
from org.models import Cycle
from oversight import reminders

NUMERIC_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
# Arabic's numeric form puts right-to-left marks between the parts: "06‏/12‏/2026".
BIDI_MARKS = re.compile("[\u200e\u200f\u061c\u2066-\u2069]")
LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]
ORG_LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es"]
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
MAX_PAGES_PER_ROLE = 40
TODAY = datetime.datetime(2026, 12, 2, 8, 0, tzinfo=datetime.UTC)  # inside the escalation weeks
SESSION_START = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("Africa/Nairobi"))


class _VisibleText(HTMLParser):
    """The text a person reads: text nodes outside scripts and styles, and the attributes read out."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        attributes = dict(attrs)
        self.parts.extend(value for name, value in attrs if name in READ_ATTRIBUTES and value)
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def numeric_dates(text: str) -> list[str]:
    return NUMERIC_DATE.findall(BIDI_MARKS.sub("", text))


def test_the_detector_finds_numeric_dates_and_nothing_else():
    assert numeric_dates("Held on 12/06/2026, 06.12.2026 and 6-12-26") == ["12/06/2026", "06.12.2026", "6-12-26"]
    assert numeric_dates("<td>06\u200f/12\u200f/2026</td>") == ["06/12/2026"]
    assert numeric_dates("6 December 2026 · 2026-12-06 · 10:00 · 3/4 of the team · 50.1 % · 1.234.567") == []
    assert visible_text('<p title="01/02/2026">Hi<script>var d = "01/02/2026";</script></p><input type="date" value="2026-12-06">') == "01/02/2026\nHi"


def _pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def demo(transactional_db, smtp_inbox):
    """The demo organization as on 2 December 2026, with a session scheduled in Nairobi by the
    manager who is ready to lead; the e-mails sent so far are in `smtp_inbox`."""
    with time_machine.travel(TODAY, tick=False) as traveller:
        call_command("demo", stdout=io.StringIO())
        leader = User.objects.get(email="hiwot.alemu@demo.cascade.example")
        reports = list(leader.person.direct_reports.filter(active=True))
        plan = SessionPlan(starts_at=SESSION_START, time_zone="Africa/Nairobi", duration_minutes=90, mode="in_person", location="Room 4", invitee_ids=[p.pk for p in reports])
        session = session_schedule(leader=leader.person, cycle=Cycle.objects.current(), plan=plan, actor=leader)
        yield {"traveller": traveller, "session": session, "inbox": smtp_inbox}


def pdf_kind(path: str) -> str:
    """One PDF of each kind: the Appendix E of one entity stands for all the others."""
    return re.sub(r"/entities/[^/]+/", "/entities/X/", shape(path))


def _crawl(client) -> tuple[dict[str, str], list[str]]:
    """The role's pages (path → HTML), breadth first from the home page, and the PDFs they link
    to (collected, not visited)."""
    queue, seen, pages, pdfs = ["/"], set(), {}, []
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        if shape(path) in seen:
            continue
        seen.add(shape(path))
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = pages[path] = response.content.decode()
        for href in re.findall(r'href="([^"#]+)', html):
            url = urlparse(urljoin("http://testserver" + path, href.replace("&amp;", "&")))
            if url.netloc != "testserver":
                continue
            if url.path.endswith(".pdf") and url.path not in pdfs and shape(url.path) not in {shape(p) for p in pdfs}:
                pdfs.append(url.path)
            elif not NOT_PAGES.search(url.path) and shape(url.path) not in seen:
                queue.append(url.path)
    return pages, pdfs


def test_no_numeric_date_on_pages_emails_or_pdfs_in_six_languages(demo, client):
    found, pdf_shapes = [], set()
    session = demo["session"]
    # The pages, as each role of the demo reaches them, in each language.
    for role in ROLES:
        client.force_login(User.objects.get(email=f"{role}@demo.cascade.example"))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        pages, pdfs = _crawl(client)
        assert len(pages) >= 3, f"{role} reached only {list(pages)}"
        found.extend(f"en {path} ({role}): {d}" for path, html in pages.items() for d in numeric_dates(visible_text(html)))
        pdfs = [path for path in pdfs if pdf_kind(path) not in pdf_shapes]  # each kind of PDF once
        pdf_shapes.update(map(pdf_kind, pdfs))
        for language in LANGUAGES:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            if language != "en":
                for path in pages:
                    response = client.get(path)
                    assert response.status_code == 200, f"{path} in {language} as {role}"
                    found.extend(f"{language} {path} ({role}): {d}" for d in numeric_dates(visible_text(response.content.decode())))
            for path in pdfs:
                response = client.get(path)
                if response.status_code == 200 and response["Content-Type"] == "application/pdf":
                    found.extend(f"{language} {path} ({role}): {d}" for d in numeric_dates(_pdf_text(response.content)))
    leader_pages = [f"/dialogues/sessions/{session.pk}/", f"/dialogues/sessions/{session.pk}/facilitate/", "/dialogues/sessions/"]
    client.force_login(User.objects.get(email="hiwot.alemu@demo.cascade.example"))
    for language in LANGUAGES:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for path in leader_pages:
            response = client.get(path)
            assert response.status_code == 200, f"{path} in {language}"
            found.extend(f"{language} {path}: {d}" for d in numeric_dates(visible_text(response.content.decode())))

    # The e-mails: every kind of invitation in each language, then the reminders.
    invitee = session.invitations.select_related("person").first().person
    messages = []
    for language in ORG_LANGUAGES:
        invitee.language = language
        for kind in ("invitation", "update", "reminder", "cancellation"):
            messages.extend(invitation_messages(session, [invitee], kind=kind))
    found.extend(f"{m.to[0]} {m.subject!r}: {d}" for m in messages for d in numeric_dates(m.subject + "\n" + m.body))
    traveller = demo["traveller"]
    traveller.move_to(SESSION_START - datetime.timedelta(days=2))
    sent = send_due_reminders()
    traveller.move_to(TODAY)
    sent += sum(send(today=TODAY.date(), now=TODAY) for send in (reminders.send_ready_nudges, reminders.send_feedback_reminders, reminders.send_focal_digests, reminders.send_escalations))
    received = demo["inbox"].messages
    assert sent > 0 and len(received) >= sent
    for message in received:
        text = message["Subject"] + "\n" + message.get_body(("plain",)).get_content()
        found.extend(f"{message['To']} {message['Subject']!r}: {d}" for d in numeric_dates(text))

    assert Session.objects.filter(pk=session.pk, time_zone="Africa/Nairobi").exists()
    with translation.override("en"):
        assert found == []
