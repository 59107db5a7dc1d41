"""Certification of Appendix E on the organization of test_dashboards: AAA's focal point
(fiona) submits, its head (hank, person H) certifies, the Ethics Office (eve) reopens with a
reason. BBB's focal point (bob) and a manager of AAA (mia, person M1) get nothing.

AAA's roll-up: Front 1/1, Ops 7 personnel / 4 participants, Ops > Team 3/0; total 11/5."""

import csv
import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from cascade.testing import make_user
from core.models import AuditEntry
from feedback.selectors import entity_is_certified
from org.models import Entity
from oversight.certification import certification_certify, certification_reopen, certification_submit, live_rollup
from oversight.models import Certification, CertificationStatus
from oversight.selectors import rollup, rollup_csv_rows
from oversight.tests.test_dashboards import build_org

LIVE_ROWS = [("Front", 1, 1), ("Ops", 7, 4), ("Ops > Team", 3, 0)]


@pytest.fixture
def cycle(db):
    return build_org()


@pytest.fixture
def aaa(cycle):
    return Entity.objects.get(code="AAA")


@pytest.fixture
def fiona(cycle):
    return make_user("fiona@example.org", None, (Role.FOCAL_POINT, "AAA"))


@pytest.fixture
def hank(cycle):
    """Head of AAA (derived: H has no manager)."""
    return make_user("hank@example.org", "H")


@pytest.fixture
def eve(cycle):
    return make_user("eve@example.org", None, (Role.ETHICS_OFFICE, None))


@pytest.fixture
def bob(cycle):
    return make_user("bob@example.org", None, (Role.FOCAL_POINT, "BBB"))


@pytest.fixture
def mia(cycle):
    """A manager of AAA, neither focal point nor head."""
    return make_user("mia@example.org", "M1")


def url(name, *args):
    return reverse(f"oversight:{name}", args=["AAA", *args])


# What the forms send: the focal point's confirmation, the head's acceptance of the statement,
# and a reason (AAA has warnings: 5 of 11 reached).
STEP_FIELDS = {"confirm": "on", "accept": "on", "certify_reason": "Two units hold their sessions in January."}


def post(client, user, name, data=None):
    client.force_login(user)
    return client.post(url(name), {**STEP_FIELDS, **(data or {})})


def add_team_session(tmp_path, cycle):
    """M3 leads a session for R1 and R2: Ops > Team goes from 0 to 3 participants."""
    path = tmp_path / "attendance.csv"
    path.write_text("session_ref,date,leader_index_number,participant_index_number\nS9,2026-11-25,M3,R1\nS9,2026-11-25,M3,R2\n")
    call_command("import_attendance", str(path), "--cycle", str(cycle.year), stdout=io.StringIO())


def certified(client, fiona, hank):
    post(client, fiona, "certification_submit")
    post(client, hank, "certification_certify")
    return Certification.objects.get(entity__code="AAA")


def test_the_whole_flow_submit_certify_reopen_and_submit_again(client, cycle, aaa, fiona, hank, eve):
    client.force_login(fiona)
    page = client.get(url("certification")).content.decode()
    assert "Not submitted" in page and "Submit Appendix E" in page and "Draft" in page

    response = post(client, fiona, "certification_submit")
    assert response.status_code == 302
    certification = Certification.objects.get(entity=aaa, cycle=cycle)
    assert certification.status == CertificationStatus.SUBMITTED and certification.submitted_by == fiona and certification.submitted_at
    assert certification.snapshot["total"] == {"personnel": 11, "participants": 5}
    assert [(u["unit"], u["personnel"], u["participants"]) for u in certification.snapshot["entities"][0]["units"]] == LIVE_ROWS

    client.force_login(hank)
    page = client.get(url("certification")).content.decode()
    assert "Certify Appendix E" in page and "Submit Appendix E" not in page
    post(client, hank, "certification_certify")
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.CERTIFIED and certification.certified_by == hank and certification.certified_at

    client.force_login(eve)
    page = client.get(url("certification")).content.decode()
    assert "Reopen" in page and "Certify Appendix E" not in page
    post(client, eve, "certification_reopen", {"reason": "Sheets of Ops were missing"})
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.REOPENED and certification.reopened_by == eve
    assert certification.reopen_reason == "Sheets of Ops were missing"

    post(client, fiona, "certification_submit")
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.SUBMITTED and certification.certified_at is None


def test_every_step_is_in_the_audit_log(client, cycle, fiona, hank, eve):
    certified(client, fiona, hank)
    post(client, eve, "certification_reopen", {"reason": "Recount"})
    entries = list(AuditEntry.objects.filter(target="AAA/2026").order_by("at", "pk"))
    assert [(e.action, e.actor) for e in entries] == [("certification.submit", fiona), ("certification.certify", hank), ("certification.reopen", eve)]
    assert entries[0].detail["total"] == {"personnel": 11, "participants": 5}
    assert entries[2].detail["reason"] == "Recount" and entries[2].detail["previous"]["status"] == "certified"


def test_the_history_shows_each_step(client, cycle, fiona, hank):
    certified(client, fiona, hank)
    client.force_login(fiona)
    page = client.get(url("certification")).content.decode()
    assert "fiona@example.org" in page and "Person H Named" in page


def test_the_ethics_office_sees_the_page_without_names(client, cycle, fiona, hank, eve):
    certified(client, fiona, hank)
    client.force_login(eve)
    response = client.get(url("certification"))
    page = response.content.decode()
    assert response.status_code == 200 and "Certified" in page and ">11<" in page
    assert "fiona@example.org" not in page and "Person H Named" not in page and "Person " not in page


@pytest.mark.parametrize("name", ["certification", "certification_submit", "certification_certify", "certification_reopen"])
def test_a_focal_point_of_another_entity_gets_404(client, cycle, bob, name):
    client.force_login(bob)
    response = client.get(url(name)) if name == "certification" else client.post(url(name), {"reason": "x"})
    assert response.status_code == 404
    assert not Certification.objects.exists()


@pytest.mark.parametrize("name", ["certification", "certification_submit", "certification_certify", "certification_reopen"])
def test_a_manager_gets_404(client, cycle, mia, name):
    client.force_login(mia)
    response = client.get(url(name)) if name == "certification" else client.post(url(name), {"reason": "x"})
    assert response.status_code == 404


def test_the_head_cannot_submit(client, cycle, hank):
    assert post(client, hank, "certification_submit").status_code == 403
    assert not Certification.objects.filter(status=CertificationStatus.SUBMITTED).exists()


def test_the_ethics_office_cannot_submit_or_certify(client, cycle, fiona, eve):
    assert post(client, eve, "certification_submit").status_code == 403
    post(client, fiona, "certification_submit")
    assert post(client, eve, "certification_certify").status_code == 403
    assert Certification.objects.get().status == CertificationStatus.SUBMITTED


def test_the_focal_point_cannot_certify(client, cycle, fiona):
    post(client, fiona, "certification_submit")
    assert post(client, fiona, "certification_certify").status_code == 403
    assert Certification.objects.get().status == CertificationStatus.SUBMITTED


def test_the_head_certifies_only_what_was_submitted(client, cycle, aaa, hank):
    response = post(client, hank, "certification_certify")
    assert response.status_code == 302
    assert not Certification.objects.filter(status=CertificationStatus.CERTIFIED).exists()
    assert "must be submitted by a focal point" in client.get(url("certification")).content.decode()
    assert entity_is_certified(aaa, cycle) is False


def test_nobody_but_the_ethics_office_reopens(client, cycle, fiona, hank):
    certified(client, fiona, hank)
    for user in (fiona, hank):
        assert post(client, user, "certification_reopen", {"reason": "Recount"}).status_code == 403
    assert Certification.objects.get().status == CertificationStatus.CERTIFIED


def test_reopening_requires_a_reason(client, cycle, fiona, hank, eve):
    certified(client, fiona, hank)
    post(client, eve, "certification_reopen", {"reason": "   "})
    certification = Certification.objects.get()
    assert certification.status == CertificationStatus.CERTIFIED and certification.reopen_reason == ""
    assert "Give a reason for reopening." in client.get(url("certification")).content.decode()
    assert not AuditEntry.objects.filter(action="certification.reopen").exists()


def test_a_second_click_does_not_certify_twice(client, cycle, aaa, fiona, hank):
    certified(client, fiona, hank)
    with pytest.raises(ValidationError):
        certification_certify(actor=hank, entity=aaa, cycle=cycle, statement_accepted=True, reason="Late units")
    with pytest.raises(ValidationError):
        certification_submit(actor=fiona, entity=aaa, cycle=cycle, confirmed=True)
    assert AuditEntry.objects.filter(action="certification.certify").count() == 1


def test_services_check_the_role_themselves(cycle, aaa, fiona, hank):
    with pytest.raises(PermissionDenied):
        certification_submit(actor=hank, entity=aaa, cycle=cycle, confirmed=True)
    with pytest.raises(PermissionDenied):
        certification_reopen(actor=hank, entity=aaa, cycle=cycle, reason="why")


def test_the_snapshot_stays_while_the_live_rollup_changes(client, cycle, aaa, fiona, hank, tmp_path):
    certification = certified(client, fiona, hank)
    before = dict(certification.snapshot)
    add_team_session(tmp_path, cycle)
    certification.refresh_from_db()
    assert certification.snapshot == before and certification.snapshot["total"] == {"personnel": 11, "participants": 5}
    assert live_rollup(cycle, aaa).participants == 8
    client.force_login(hank)
    page = client.get(url("certification")).content.decode()
    assert '<td class="num total-participants">5</td>' in page


def test_entity_is_certified_turns_true(client, cycle, aaa, fiona, hank, eve):
    assert entity_is_certified(aaa, cycle) is False
    post(client, fiona, "certification_submit")
    assert entity_is_certified(aaa, cycle) is False
    post(client, hank, "certification_certify")
    assert entity_is_certified(aaa, cycle) is True
    post(client, eve, "certification_reopen", {"reason": "Recount"})
    assert entity_is_certified(aaa, cycle) is False


# --- exports ---------------------------------------------------------------------------------


def download(client, user, fmt):
    client.force_login(user)
    response = client.get(url("certification_export", fmt))
    assert response.status_code == 200
    return response


def test_xlsx_has_the_rows_and_the_total(client, cycle, fiona, hank, tmp_path):
    from openpyxl import load_workbook

    certified(client, fiona, hank)
    add_team_session(tmp_path, cycle)  # the export is of the snapshot, not of the live roll-up
    response = download(client, hank, "xlsx")
    assert 'filename="appendix-e-AAA-2026.xlsx"' in response["Content-Disposition"]
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert ["Status", "Certified"] in [r[:2] for r in rows]
    start = [r[:3] for r in rows].index(["Unit", "Personnel", "Participants"])
    assert [tuple(r[:3]) for r in rows[start + 1 :]] == [*LIVE_ROWS, ("Total", 11, 5)]


def test_csv_is_the_contract_rows_of_the_snapshot(client, cycle, aaa, fiona, hank, tmp_path):
    certification = certified(client, fiona, hank)
    expected = rollup_csv_rows(rollup(cycle, entity_codes=["AAA"]))
    add_team_session(tmp_path, cycle)
    response = download(client, fiona, "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [[str(v) for v in row] for row in expected]
    assert rows[-2] == ["AAA", "TOTAL", "11", "5"] and certification.snapshot["total"]["participants"] == 5


def test_exports_before_submission_are_the_live_draft(client, cycle, fiona):
    response = download(client, fiona, "csv")
    assert 'filename="appendix-e-AAA-2026-draft.csv"' in response["Content-Disposition"]
    assert list(csv.reader(io.StringIO(response.content.decode())))[-1] == ["ALL", "TOTAL", "11", "5"]


def test_csv_neutralises_formulas_in_unit_names(client, cycle, fiona):
    from org.models import Unit

    Unit.objects.filter(path="Front").update(path="=HYPERLINK(1)")
    rows = list(csv.reader(io.StringIO(download(client, fiona, "csv").content.decode())))
    assert ["AAA", "'=HYPERLINK(1)", "1", "1"] in rows


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_pdf_holds_the_entity_code_and_the_total(client, cycle, fiona, hank):
    certified(client, fiona, hank)
    response = download(client, hank, "pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "AAA" in text and "Certified" in text and "Total" in text and "11" in text and "Person H Named" in text


def test_draft_pdf_is_marked_draft(client, cycle, eve):
    text = pdf_text(download(client, eve, "pdf").content)
    assert "AAA" in text and "DRAFT" in text.upper()


def test_unknown_export_format_is_404(client, cycle, fiona):
    client.force_login(fiona)
    assert client.get(url("certification_export", "docx")).status_code == 404


# --- dashboards --------------------------------------------------------------------------------


def test_the_dashboards_show_the_status_and_link_the_page(client, cycle, fiona, hank, eve):
    certified(client, fiona, hank)
    client.force_login(fiona)
    page = client.get(reverse("oversight:entity", args=["AAA"])).content.decode()
    assert url("certification") in page and "status-certified" in page
    client.force_login(eve)
    page = client.get(reverse("oversight:ethics_office")).content.decode()
    assert url("certification") in page and page.count("status-certified") == 1 and "Not yet available" not in page


def test_the_ethics_office_dashboard_reads_every_status_in_one_query(client, cycle, eve, django_assert_num_queries):
    from oversight.certification import certification_statuses

    with django_assert_num_queries(1):
        assert certification_statuses(cycle) == {}
