"""The sign-in sheet (Appendix A) as a PDF in the language of the person who downloads it, with
Arabic shaped and in reading order and Chinese characters present: what pdftotext reads out of
the PDF is the expected text, line for line.

pdftotext (poppler 22) gives right-to-left lines in logical order (the order they are typed
in), wrapped in bidi embedding marks (U+202B ... U+202C) that are taken out before comparing.
Two things it does not give back as typed: a line mixing Arabic and digits (the date) comes out
regrouped, and a ligature's letters come out backwards (الاسم reads االسم, though the PDF maps
the lam-alef glyph to ل then ا); the exact lines compared avoid both. It would give the same
letters for an unshaped PDF (isolated letter forms), so the Arabic test also reads the fonts'
glyph maps: shaped text uses several glyphs for one letter (initial, medial, final)."""

import datetime
import re
import subprocess
import zlib

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from cascade.testing import PASSWORD
from dialogues.models import Attendance, Session
from org.models import Cycle, Entity, Person, Unit

BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))


def sheet_for(language: str, leader_name: str, names: list[str], entity_name: str, unit: str):
    """A session held on 15 October 2026 by a leader whose organization file says `language`,
    with these participants; returns the leader's e-mail and the session."""
    entity = Entity.objects.create(code="ESC", name=entity_name)
    unit = Unit.objects.create(entity=entity, path=unit)
    leader = Person.objects.create(index_number="L1", name=leader_name, email="leader@example.org", entity=entity, unit=unit, language=language)
    cycle = Cycle.objects.create(year=2026, topic="Speaking up", opens=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 12, 31))
    session = Session.objects.create(cycle=cycle, leader=leader, ref="D1", date=datetime.date(2026, 10, 15))
    for number, name in enumerate(names):
        participant = Person.objects.create(index_number=f"P{number}", name=name, email=f"p{number}@example.org", entity=entity, unit=unit, manager=leader)
        Attendance.objects.create(session=session, person=participant)
    User.objects.create_user(leader.email, PASSWORD, person=leader)
    return leader.email, session


def download_as(client, email: str, session) -> bytes:
    """Log in through the login page (which takes the person's language) and download the PDF."""
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("dialogues:sheet_pdf", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def pdf_lines(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [" ".join(line.translate(BIDI_MARKS).split()) for line in text.splitlines() if line.strip()]


def glyph_maps(pdf: bytes) -> list[dict[str, str]]:
    """The ToUnicode map of each font in the PDF: glyph number -> the text it stands for."""
    maps = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            cmap = zlib.decompress(stream)
        except zlib.error:
            continue
        glyphs = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
            for glyph, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                glyphs[glyph.decode()] = bytes.fromhex(text.decode()).decode("utf-16-be")
        if glyphs:
            maps.append(glyphs)
    return maps


def line_after(lines: list[str], label: str) -> str:
    """The line below a field's label: its value."""
    assert label in lines, f"{label!r} not in {lines}"
    return lines[lines.index(label) + 1]


@pytest.mark.django_db
def test_arabic_sign_in_sheet_pdf_reads_in_arabic_shaped_and_in_order(client):
    names = ["سارة العمري", "مريم حداد", "يوسف منصور"]  # in the sheet's order
    email, session = sheet_for("ar", "كريم نصر", names[::-1], "اللجنة الاقتصادية", "شعبة التخطيط")
    pdf = download_as(client, email, session)
    lines = pdf_lines(pdf)
    with translation.override("ar"):
        heading, leader, unit, count = (translation.gettext(s) for s in ("Sign-in sheet", "Discussion leader", "Unit/section/team", "Number of participants"))
    assert heading == "كشف الحضور"  # the catalogue's Arabic, not the English fallback
    assert lines[1] == heading
    assert line_after(lines, leader) == "كريم نصر"
    assert line_after(lines, unit) == "شعبة التخطيط"
    assert line_after(lines, count) == "3"
    first = lines.index(names[0])
    assert lines[first : first + 3] == names
    # The date, "15 أكتوبر، 2026" (Arabic month, day before month): pdftotext regroups the
    # digits around the Arabic word, so only its parts are compared.
    date = next(line for line in lines if "أكتوبر" in line)
    assert re.fullmatch(r"15 ?أكتوبر ?،? ?2026 ?،?", date), date

    # Shaped, not a string of isolated letters: the م of مريم is drawn with two glyphs (initial
    # and final), and lam-alef (in الاسم, "Name") is one ligature glyph that stands for ل then
    # ا, in reading order. (pdftotext itself reads a ligature's letters backwards: االسم.)
    maps = glyph_maps(pdf)
    assert max(sum(text == "م" for text in glyphs.values()) for glyphs in maps) >= 2
    assert any("لا" in glyphs.values() for glyphs in maps)


@pytest.mark.django_db
def test_chinese_sign_in_sheet_pdf_reads_in_chinese(client):
    names = ["李娜", "王伟", "陈晓玲"]  # in the sheet's order
    email, session = sheet_for("zh", "张建", names[::-1], "经济委员会", "规划科")
    lines = pdf_lines(download_as(client, email, session))
    with translation.override("zh-hans"):
        kicker = translation.gettext("Leadership Dialogue %(year)s: %(topic)s") % {"year": 2026, "topic": "Speaking up"}
        heading, date, leader, participants = (translation.gettext(s) for s in ("Sign-in sheet", "Date", "Discussion leader", "Participants"))
    assert lines[:2] == [kicker, heading] == ["2026 年领导对话：Speaking up", "签到表"]
    assert line_after(lines, date) == "2026年10月15日"
    assert line_after(lines, leader) == "张建"
    assert participants in lines
    first = lines.index(names[0])
    assert lines[first : first + 6] == ["李娜", "2", "王伟", "3", "陈晓玲", "4"]
