# ruff: noqa: F811 (the fixtures of test_certification, imported by name, are parameters here)
"""Certification as the Leader's Guide means it: before the focal point submits and before the
head certifies, Appendix E shows its checks as warnings; submitting asks for confirmation; the
head certifies by accepting the cycle's statement, with their name and the date recorded and
printed on the PDF; with warnings, a written reason is required, which the Ethics Office reads.

AAA of test_dashboards on 28 November 2026: 5 of 11 reached, M3 waiting, M2 and N ready, three
sessions held and none reported, 33 days left."""

import datetime
import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from org.models import Entity, Person
from oversight.certification import certification_checks, certification_submit, check_message, live_rollup
from oversight.models import Certification, CertificationStatement, CertificationStatus
from oversight.tests.test_dashboards import build_org

from .test_certification import STEP_FIELDS, aaa, cycle, eve, fiona, hank  # noqa: F401 (fixtures)

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
REASON = "Ops holds its last two sessions in the first week of January."


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def url(name, *args):
    return reverse(f"oversight:{name}", args=["AAA", *args])


def page_of(client, user) -> str:
    client.force_login(user)
    response = client.get(url("certification"))
    assert response.status_code == 200
    return response.content.decode()


def submit(client, fiona, **fields):
    client.force_login(fiona)
    return client.post(url("certification_submit"), fields, follow=True)


def certify(client, hank, **fields):
    client.force_login(hank)
    return client.post(url("certification_certify"), fields, follow=True)


def test_the_checks_name_coverage_managers_sessions_not_reported_and_days_left(cycle, aaa):
    checks = certification_checks(aaa, cycle, live_rollup(cycle, aaa), today=TODAY)
    assert [c.as_dict() for c in checks] == [
        {"code": "coverage", "participants": 5, "personnel": 11},
        {"code": "managers", "waiting": 1, "ready": 2},
        {"code": "not_reported", "sessions": 3},
        {"code": "deadline", "days": 33},
    ]
    assert [c.message for c in checks] == [
        "Coverage is 45 %: 5 of 11 people have taken part.",
        "3 managers have not held a session yet (1 waiting for their own, 2 ready).",
        "3 sessions were held but their leaders have not reported them (Appendix C).",
        "33 days are left before the deadline: there is still time to reach the others.",
    ]


def test_a_complete_entity_has_no_warning_and_no_deadline_nag(db):
    cycle = build_org(
        people=[("H", None, "CCC", "", "national", "field"), ("A", "H", "CCC", "", "national", "field")],
        sessions=[("S1", "H", datetime.date(2026, 11, 27), ["A"])],
    )
    entity = Entity.objects.get(code="CCC")
    assert certification_checks(entity, cycle, live_rollup(cycle, entity), today=TODAY) == []


def test_the_focal_point_sees_the_warnings_before_submitting(client, cycle, fiona):
    page = page_of(client, fiona)
    assert "Checks before you go on" in page
    assert "Coverage is 45 %: 5 of 11 people have taken part." in page
    assert "33 days left to the deadline" in page
    assert 'name="confirm" required' in page and "I have read the warnings above" in page


def test_submitting_without_confirmation_changes_nothing(client, cycle, aaa, fiona):
    page = submit(client, fiona).content.decode()
    assert "Confirm that you have read the checks and want to submit Appendix E." in page
    assert not Certification.objects.filter(entity=aaa, status=CertificationStatus.SUBMITTED).exists()
    with pytest.raises(ValidationError):
        certification_submit(actor=fiona, entity=aaa, cycle=cycle, confirmed=False)


def test_submitting_keeps_the_warnings_with_the_snapshot(client, cycle, aaa, fiona):
    submit(client, fiona, confirm="on")
    certification = Certification.objects.get(entity=aaa, cycle=cycle)
    assert certification.status == CertificationStatus.SUBMITTED
    assert [w["code"] for w in certification.submit_warnings] == ["coverage", "managers", "not_reported", "deadline"]
    assert check_message(certification.submit_warnings[0]) == "Coverage is 45 %: 5 of 11 people have taken part."


def test_certifying_with_warnings_needs_the_statement_and_a_reason(client, cycle, aaa, fiona, hank):
    submit(client, fiona, confirm="on")
    page = page_of(client, hank)
    assert "Certification statement" in page and "to the best of my knowledge" in page
    assert 'name="certify_reason" required' in page

    refused = certify(client, hank, accept="on").content.decode()
    assert "Some checks warn: say why you certify Appendix E all the same." in refused
    refused = certify(client, hank, certify_reason=REASON).content.decode()
    assert "Accept the certification statement to certify." in refused
    assert Certification.objects.get(entity=aaa).status == CertificationStatus.SUBMITTED

    certify(client, hank, accept="on", certify_reason=REASON)
    certification = Certification.objects.get(entity=aaa)
    assert certification.status == CertificationStatus.CERTIFIED
    assert certification.certified_name == Person.objects.get(index_number="H").name
    assert certification.certify_reason == REASON and "to the best of my knowledge" in certification.statement
    assert certification.statement_language == "en" and certification.certified_at.date() == TODAY


def test_the_ethics_office_reads_the_reason_and_the_warnings(client, cycle, fiona, hank, eve):
    submit(client, fiona, confirm="on")
    certify(client, hank, accept="on", certify_reason=REASON)
    page = page_of(client, eve)
    assert "Reason for certifying with warnings" in page and REASON in page
    assert "Warnings when certified" in page and "5 of 11 people have taken part" in page
    assert "Person H Named" not in page  # the Ethics Office sees roles, not names


def test_the_pdf_prints_the_statement_the_name_and_the_date(client, cycle, fiona, hank):
    submit(client, fiona, confirm="on")
    certify(client, hank, accept="on", certify_reason=REASON)
    client.force_login(fiona)
    response = client.get(url("certification_export", "pdf"))
    assert response.status_code == 200
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout.decode().split())
    assert "Certification statement" in text and "to the best of my knowledge" in text
    assert "Certified by Person H Named, Nov. 28, 2026" in text
    assert REASON in text


def test_the_ethics_office_sets_the_statement_and_a_french_head_reads_hers(client, cycle, aaa, fiona, hank, eve):
    client.force_login(eve)
    statement_url = reverse("oversight:certification_statement")
    assert client.get(statement_url).status_code == 200
    client.post(statement_url, {"text_en": "I certify these figures.", "text_fr": "Je certifie ces chiffres."})
    assert dict(CertificationStatement.objects.filter(cycle=cycle).values_list("language", "text")) == {
        "en": "I certify these figures.",
        "fr": "Je certifie ces chiffres.",
    }
    submit(client, fiona, confirm="on")
    client.force_login(hank)
    page = client.get(url("certification"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Je certifie ces chiffres." in page
    client.post(url("certification_certify"), STEP_FIELDS, HTTP_ACCEPT_LANGUAGE="fr")
    certification = Certification.objects.get(entity=aaa)
    assert (certification.statement, certification.statement_language) == ("Je certifie ces chiffres.", "fr")


@pytest.mark.parametrize("who", ["fiona", "hank"])
def test_only_the_ethics_office_opens_the_statement_page(client, cycle, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("oversight:certification_statement")).status_code == 404
    assert client.post(reverse("oversight:certification_statement"), {"text_en": "Mine"}).status_code == 404
    assert not CertificationStatement.objects.exists()
