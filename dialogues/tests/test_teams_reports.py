"""Teams attendance reports as people really have them (issue 11, item 3): every layout (current,
older, Live Events), in the languages Teams writes, in the encodings Teams and Excel write; names
matched within what the uploader may record; a name that fits several people picked by the
leader; the organizer counted unless they lead the session.

Files are built by fixtures/teams_i18n.py. Personas (fixtures/__init__.py): lena leads pat,
quinn, mona, ravi and ina (inactive); otto, lena's peer, leads olga; hugo heads the entity. Each
language adds one of lena's reports with a name in that language (T3nn).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.scope import scope_for
from core.tabular import TableError
from core.tests.bombs import MIB, xlsx_bomb
from dialogues.conference import name_key, read_conference_report
from dialogues.models import Attendance, UnmatchedParticipant
from dialogues.signin import GUEST_CHOICE, attendance_conference_plan, session_appoint_monitor

from .fixtures import invite, login, make_people, make_session, person
from .fixtures.teams_i18n import ENCODINGS, LANGUAGE_CODES, LAYOUTS, NATIVE_NUMBERS, WORDS, build, guest_name, make_native_people

UNICODE = {"utf16le-bom-tab": "utf-16", "utf16le-nobom-tab": "utf-16", "utf16be-bom-tab": "utf-16",
           "utf8-bom-comma-padded": "utf-8", "utf8-semicolon": "utf-8", "xlsx": "xlsx"}
# Live Events name their columns in English, so nothing says which Windows code page a
# re-saved copy is in but its names. Windows-1254 (Turkish) writes the bytes Windows-1252 and
# -1250 read as plausible names ("Ayþe Yýldýz"): the warning names the code page it was read in.
CODE_PAGE_NOT_TOLD = {("live", "tr")}


def expected_names(layout: str, code: str) -> list[str]:
    native, variant = WORDS[code][5]
    return ["Lena Leader", "Pat Participant", variant if layout == "old" else native, guest_name(code)]


# -- reading: every layout × language × encoding -----------------------------------------------


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("code", LANGUAGE_CODES)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_layout_language_and_encoding_is_read(layout, code, encoding):
    report = read_conference_report(build(layout, code, encoding))
    assert report.layout == layout
    # each participant once, though the older layout and Live Events list each join and leave
    if (layout, code) in CODE_PAGE_NOT_TOLD and encoding.startswith("codepage"):
        assert len(report.attendees) == 4 and report.attendees[0].name == "Lena Leader"
    else:
        assert [a.name for a in report.attendees] == expected_names(layout, code)
    if layout != "live":
        assert report.language == code
    if layout == "participants":
        assert [a.email for a in report.attendees] == ["lena@example.org", "pat@example.org", f"{code}@example.org", ""]
        assert report.attendees[0].is_organizer and not report.attendees[1].is_organizer
    if layout == "live":
        assert [a.upn for a in report.attendees] == ["lena@example.org", "pat@example.org", f"{code}@example.org", ""]
    if encoding in UNICODE:
        assert report.encoding == UNICODE[encoding] and report.warnings == []
    elif report.encoding != "utf-8":  # a file of ASCII only is UTF-8 too
        code_page = WORDS[code][6]
        if (layout, code) not in CODE_PAGE_NOT_TOLD:
            assert report.encoding == code_page
        assert [w.message for w in report.warnings] == [
            f"the file is neither UTF-8 nor UTF-16 text; it was read as {_label(report.encoding)}: check that the names look right"
        ]


def _label(encoding: str) -> str:
    from dialogues.conference import LEGACY_ENCODINGS

    return LEGACY_ENCODINGS[encoding]


@pytest.mark.parametrize(
    "encoding, code, label",
    [("cp1252", "fr", "Windows-1252"), ("cp1250", "pl", "Windows-1250"), ("cp1251", "ru", "Windows-1251"), ("cp1256", "ar", "Windows-1256")],
)
def test_a_code_page_is_named_in_a_warning(encoding, code, label):
    report = read_conference_report(build("old", code, "codepage-semicolon-padded"))
    assert report.encoding == encoding
    assert report.warnings[0].row == 1 and report.warnings[0].column == "file"
    assert f"it was read as {label}" in report.warnings[0].message
    assert report.attendees[2].name == WORDS[code][5][1]


@pytest.mark.parametrize(
    "names, code_page",
    [
        (["Zoë Ashworth", "José Peña", "Jürgen Groß"], "cp1252"),
        (["Łukasz Żółkiewski", "Agnieszka Wiśniewska", "Paweł Dąbrowski"], "cp1250"),
        (["Иван Петров", "Ольга Смирнова", "Дмитрий Козлов"], "cp1251"),
        (["ليلى حداد", "عمر فاروق", "سلمى منصور"], "cp1256"),
        (["Ayşe Yıldız", "Mehmet Öztürk", "Çağrı Şahin"], "cp1254"),
    ],
)
def test_a_code_page_is_told_by_the_names_when_the_header_is_english(names, code_page):
    """A few names are enough; one name alone may read as well in another code page."""
    rows = [["Full Name", "User Action", "Timestamp"]] + [[name, "Joined", "10/14/2020, 10:00:15 AM"] for name in names]
    data = "\r\n".join(",".join(row) for row in rows).encode(code_page)
    report = read_conference_report(data)
    assert report.encoding == code_page and [a.name for a in report.attendees] == names


def test_headers_match_ignoring_case_accents_spaces_and_punctuation():
    rows = "NOM   COMPLET;action de l’utilisateur;HORODATAGE\nÉlodie Lefèvre;A rejoint;14/10/2026\n"
    report = read_conference_report(rows.encode("utf-8"))
    assert report.layout == "old" and report.language == "fr" and report.attendees[0].name == "Élodie Lefèvre"
    rows = "nombre completo\tAccion del usuario\tmarca de tiempo\r\nJosé Peña\tSe unió\t14/10/2026\r\n"
    assert read_conference_report(rows.encode("utf-16")).attendees[0].name == "José Peña"


def test_padded_rows_are_read_without_their_empty_cells_and_a_padded_blank_row_ends_the_table():
    lines = [
        "1. Summary,,,,,,,,",
        "Meeting title,Leadership Dialogue,,,,,,,",
        ",,,,,,,,",
        "2. Participants,,,,,,,,",
        "Name,First Join,Last Leave,In-Meeting Duration,Email,Participant ID (UPN),Role,,",
        "Pat Participant,x,y,1h,pat@example.org,pat@example.org,Attendee,,",
        ",,,,,,,,",
        "3. In-Meeting Activities,,,,,,,,",
        "Name,Join Time,Leave Time,Duration,Email,Role,,,",
        "Late Larry,x,y,1h,larry@example.org,Attendee,,,",
    ]
    report = read_conference_report("\r\n".join(lines).encode("utf-8-sig"))
    assert [(a.name, a.email, a.role) for a in report.attendees] == [("Pat Participant", "pat@example.org", "Attendee")]


def test_a_semicolon_file_keeps_a_name_with_a_comma_whole():
    data = "Nom complet;Action de l'utilisateur;Horodatage\r\n\"LEFEVRE, Élodie\";A rejoint;14/10/2026\r\nPat Participant;A rejoint;14/10/2026\r\n"
    report = read_conference_report(data.encode("utf-8"))
    assert [a.name for a in report.attendees] == ["LEFEVRE, Élodie", "Pat Participant"]


def test_an_xlsx_bomb_is_refused_as_a_report_too():
    with pytest.raises(TableError, match="the XLSX file unpacks to more than 5 MB; a video-conference report holds at most 5 MB"):
        read_conference_report(xlsx_bomb(390 * MIB))


def test_a_picture_is_not_text():
    with pytest.raises(TableError, match="the file is not text"):
        read_conference_report(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" * 50)


# -- an unknown layout or language -------------------------------------------------------------


def test_an_unknown_layout_names_the_columns_expected_in_the_readers_language_and_the_header_found():
    data = "Teilnehmer;Ankunft;Abgang\nPat Participant;10:00;11:00\n".replace("Teilnehmer", "Deltager").encode("utf-8")
    with translation.override("fr"), pytest.raises(TableError) as caught:
        read_conference_report(data)
    problem = caught.value.problem
    assert problem.row == 1 and problem.column == "file"
    # Teams' words as a French organizer's report has them, and the row the file has instead
    assert "Nom, Adresse e-mail, ID du participant (UPN), Rôle" in problem.message
    assert "Nom complet, Action de l'utilisateur, Horodatage" in problem.message
    assert "Deltager, Ankunft, Abgang" in problem.message  # quoted as French quotes it
    with translation.override("en"), pytest.raises(TableError, match="Name, Email, Participant ID \\(UPN\\), Role"):
        read_conference_report(data)


def test_an_unknown_layout_is_explained_on_the_page_in_french(client, people, session):
    login(client, people["lena"])
    client.cookies.load({"django_language": "fr"})
    url = reverse("dialogues:attendance_conference", args=[session.pk])
    response = client.post(url, {"file": SimpleUploadedFile("report.csv", b"Foo\tBar\tBaz\r\na\tb\tc\r\n")}, HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 200 and 'lang="fr"' in page
    assert "Nom complet, Action de l&#x27;utilisateur, Horodatage" in page and "Foo, Bar, Baz" in page
    assert not Attendance.objects.exists() and not UnmatchedParticipant.objects.exists()


# -- matching ----------------------------------------------------------------------------------


@pytest.fixture
def people(db):
    people = make_people()
    people.update({f"native-{code}": p for code, p in make_native_people(people["lena"]).items()})
    return people


@pytest.fixture
def session(people):
    return make_session(people["lena"], mode="video")


def plan(people, session, data, who="lena", picks=None):
    return attendance_conference_plan(session=session, data=data, scope=scope_for(people[who].user), picks=picks)


@pytest.mark.parametrize("code", LANGUAGE_CODES)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_layout_and_language_is_matched(people, session, layout, code):
    report = plan(people, session, build(layout, code, "utf16le-bom-tab" if layout != "live" else "utf8-semicolon"))
    assert sorted(p.index_number for p in report.people) == ["T101", NATIVE_NUMBERS[code]]
    assert report.unmatched == [guest_name(code)] and report.ambiguous == []
    assert report.by_name == ({people["pat"].pk, people[f"native-{code}"].pk} if layout == "old" else set())
    assert any(w.message == "Lena Leader leads the session and is not counted as a participant" for w in report.warnings)


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("code", ["fr", "pl", "ru", "ar", "zh-hans", "ja", "tr", "es"])
def test_each_encoding_of_the_older_layout_is_matched_by_name(people, session, code, encoding):
    report = plan(people, session, build("old", code, encoding))
    assert sorted(p.index_number for p in report.people) == ["T101", NATIVE_NUMBERS[code]]
    assert report.unmatched == [guest_name(code)]


@pytest.mark.parametrize(
    "written",
    ["Quinn Report", "REPORT, QUINN", "Report,  Quinn", "quinn report (Guest)", "Quinn Report (External)", "Quinn Report (Invité)",
     "Quinn Report (Invitado)", "Quinn Report (Unverified)", "Quïnn Rêport"],
)
def test_a_name_matches_ignoring_case_accents_order_spaces_and_markers(people, session, written):
    data = f"Full Name,User Action,Timestamp\r\n\"{written}\",Joined,10/14/2020\r\n".encode()
    assert [p.index_number for p in plan(people, session, data).people] == ["T102"]


def test_a_name_is_matched_among_invitees_before_the_leaders_reports(people, session):
    """olga (otto's report) is invited; lena also has a direct report named Olga Invitee."""
    twin = person("T160", "Olga Invitee", manager="T100", entity=people["lena"].entity, login=False)
    invite(session, people["olga"])
    report = plan(people, session, b"Full Name,User Action,Timestamp\r\nOlga Invitee,Joined,10/14/2020\r\n")
    assert report.people == [people["olga"]] and report.ambiguous == []
    assert twin not in report.people


def test_a_name_is_matched_in_the_leaders_chain_after_the_direct_reports(people, session):
    deep = person("T170", "Dora Deep", manager="T101", entity=people["lena"].entity, login=False)
    report = plan(people, session, b"Full Name,User Action,Timestamp\r\nDEEP, Dora,Joined,10/14/2020\r\n".replace(b"DEEP, Dora", b'"DEEP, Dora"'))
    assert report.people == [deep]


def test_a_name_is_never_matched_outside_what_the_uploader_may_record(client, people, session):
    """otto is lena's peer: lena may not record him, so his name is a guest's, and the page
    says nothing of him; Dora, below lena, and Pat, lena's report but not invited, are not
    people the monitor may record."""
    deep = person("T170", "Dora Deep", manager="T101", entity=people["lena"].entity, login=False)
    twin = person("T180", "Pat Participant", manager="T200", entity=people["lena"].entity, login=False)  # in otto's team
    data = b"Full Name,User Action,Timestamp\r\nOtto Other,Joined,1\r\nPat Participant,Joined,1\r\nDora Deep,Joined,1\r\n"
    report = plan(people, session, data)
    assert report.people == [people["pat"], deep] and report.unmatched == ["Otto Other"] and report.ambiguous == []
    session_appoint_monitor(session=session, actor=people["lena"].user, monitor=people["mona"])
    login(client, people["mona"])
    response = client.post(reverse("dialogues:attendance_conference", args=[session.pk]), {"file": SimpleUploadedFile("r.csv", data)})
    page = response.content.decode()
    assert response.status_code == 200 and "Confirm and record" in page
    # The monitor records the session's own people only: Pat, not invited, stays a name.
    assert [p.index_number for p in response.context["report"].people] == []
    assert response.context["report"].unmatched == ["Otto Other", "Pat Participant", "Dora Deep"]
    assert "T170" not in page and "T180" not in page and "T200" not in page
    assert twin.pk not in {p.pk for p in response.context["report"].people}


# -- a name that fits several people -----------------------------------------------------------


@pytest.fixture
def twins(people):
    entity = people["lena"].entity
    return [person("T150", "Sam Same", manager="T100", entity=entity, login=False), person("T151", "Sam Same", manager="T100", entity=entity, login=False)]


SAM = b"Full Name,User Action,Timestamp\r\n\"SAME, Sam\",Joined,1\r\nPat Participant,Joined,1\r\nSam Same,Left,2\r\n"


def test_a_name_that_fits_several_people_is_shown_with_its_candidates(client, people, session, twins):
    login(client, people["lena"])
    response = client.post(reverse("dialogues:attendance_conference", args=[session.pk]), {"file": SimpleUploadedFile("r.csv", SAM)})
    page = response.content.decode()
    assert response.status_code == 200 and "Confirm and record" in page
    report = response.context["report"]
    assert [(a.name, [p.index_number for p in a.candidates]) for a in report.ambiguous] == [("SAME, Sam", ["T150", "T151"])]
    assert report.people == [people["pat"]] and report.unmatched == []
    assert '<select id="pick-1" name="pick-1" required>' in page
    assert f'<option value="{twins[0].pk}">Sam Same — T150</option>' in page and f'<option value="{twins[1].pk}">Sam Same — T151</option>' in page
    assert '<input type="hidden" name="pick-1-name" value="SAME, Sam">' in page
    assert not Attendance.objects.exists()


def confirm(client, session, response, **picks):
    data = {"staged": response.context["staged"], "pick-1-name": "SAME, Sam"} | picks
    return client.post(reverse("dialogues:attendance_conference", args=[session.pk]), data)


def test_the_confirm_step_records_the_person_picked(client, people, session, twins):
    login(client, people["lena"])
    url = reverse("dialogues:attendance_conference", args=[session.pk])
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", SAM)})
    assert confirm(client, session, response, **{"pick-1": str(twins[1].pk)}).status_code == 302
    assert sorted(Attendance.objects.values_list("person__index_number", flat=True)) == ["T101", "T151"]
    assert not UnmatchedParticipant.objects.exists()


def test_none_of_them_keeps_the_name_as_a_guest(client, people, session, twins):
    login(client, people["lena"])
    response = client.post(reverse("dialogues:attendance_conference", args=[session.pk]), {"file": SimpleUploadedFile("r.csv", SAM)})
    assert confirm(client, session, response, **{"pick-1": GUEST_CHOICE}).status_code == 302
    assert list(Attendance.objects.values_list("person__index_number", flat=True)) == ["T101"]
    assert list(UnmatchedParticipant.objects.values_list("name", flat=True)) == ["SAME, Sam"]


@pytest.mark.parametrize("pick", ["", "999999", "pat"])
def test_confirming_without_a_valid_pick_records_nothing_and_asks_again(client, people, session, twins, pick):
    """A missing pick, or an id that is not one of the candidates (someone else, whom the
    leader might not even be allowed to record), is no pick."""
    login(client, people["lena"])
    response = client.post(reverse("dialogues:attendance_conference", args=[session.pk]), {"file": SimpleUploadedFile("r.csv", SAM)})
    value = str(people["pat"].pk) if pick == "pat" else pick
    again = confirm(client, session, response, **{"pick-1": value})
    page = again.content.decode()
    assert again.status_code == 200 and "Choose who each name below is; nothing was recorded yet." in page
    assert not Attendance.objects.exists() and not UnmatchedParticipant.objects.exists()
    # the preview is staged again: the leader picks and confirms
    assert confirm(client, session, again, **{"pick-1": str(twins[0].pk)}).status_code == 302
    assert sorted(Attendance.objects.values_list("person__index_number", flat=True)) == ["T101", "T150"]


# -- the organizer ---------------------------------------------------------------------------------


def report_with(organizer: tuple[str, str], leader_role: str) -> bytes:
    header = "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole"
    rows = [
        "2. Participants",
        header,
        f"{organizer[0]}\tx\ty\t1h\t{organizer[1]}\t{organizer[1]}\tOrganizer",
        f"Lena Leader\tx\ty\t1h\tlena@example.org\tlena@example.org\t{leader_role}",
        "Pat Participant\tx\ty\t1h\tpat@example.org\tpat@example.org\tAttendee",
    ]
    return b"\xff\xfe" + "\r\n".join(rows).encode("utf-16-le")


def test_an_organizer_who_does_not_lead_the_session_is_an_attendee(people, session):
    """mona, lena's assistant, scheduled the meeting; lena presented."""
    report = plan(people, session, report_with(("Mona Monitor", "mona@example.org"), "Presenter"))
    assert [p.index_number for p in report.people] == ["T103", "T101"]
    messages = [w.message for w in report.warnings]
    assert "Mona Monitor organized the meeting but does not lead the session, and is counted as a participant" in messages
    assert "Lena Leader leads the session and is not counted as a participant" in messages


def test_the_organizer_is_the_leader_by_name_when_the_address_says_nobody(people, session):
    report = plan(people, session, report_with(("LEADER, Lena", "lena.private@example.net"), "Presenter"))
    assert [p.index_number for p in report.people] == ["T101"] and report.unmatched == []


def test_name_key_ignores_what_the_issue_lists():
    assert name_key("Łukasz Wójcik") == name_key("WOJCIK,  Lukasz") == name_key("Lukasz Wojcik (Gość)")
    assert name_key("Ayşe Yıldız") == name_key("AYŞE YILDIZ")
    assert name_key("山田 太郎") == name_key("山田太郎")
    assert name_key("Sam Same (DGC)") != name_key("Sam Same") == name_key("Sam Same (DGC)", without_brackets=True)


def test_the_candidates_of_a_name_are_only_people_the_uploader_may_record(client, people, session, twins):
    outsider = person("T190", "Sam Same", manager="T200", entity=people["lena"].entity, login=False)  # in otto's team
    report = plan(people, session, SAM)
    assert [p.index_number for p in report.ambiguous[0].candidates] == ["T150", "T151"]
    login(client, people["lena"])
    page = client.post(reverse("dialogues:attendance_conference", args=[session.pk]), {"file": SimpleUploadedFile("r.csv", SAM)}).content.decode()
    assert "Sam Same — T150" in page and "T190" not in page and f'value="{outsider.pk}"' not in page


def test_an_xlsx_report_in_spanish_is_previewed_and_recorded(client, people, session):
    login(client, people["lena"])
    url = reverse("dialogues:attendance_conference", args=[session.pk])
    response = client.post(url, {"file": SimpleUploadedFile("asistencia.xlsx", build("old", "es", "xlsx"))})
    page = response.content.decode()
    assert response.status_code == 200 and "Confirm and record" in page and "José Peña" in page and "(matched by name)" in page
    assert client.post(url, {"staged": response.context["staged"]}).status_code == 302
    assert sorted(Attendance.objects.values_list("person__index_number", flat=True)) == ["T101", NATIVE_NUMBERS["es"]]
    assert list(UnmatchedParticipant.objects.values_list("name", flat=True)) == ["Nadia Nomad (Invitado)"]
