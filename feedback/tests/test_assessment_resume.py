"""Appendix F survives an interruption: opening the form does not use the link, only sending
does; an attendee who closed the tab comes back from "Sessions you attended" on the same device
and finishes. The device keeps the token (a cookie scoped to the feedback pages); the database
still holds nothing that ties a person to a token or an answer."""

import pytest
from django.urls import reverse

from accounts.models import User
from cascade.testing import PASSWORD
from feedback.models import AssessmentToken, FacilitatorAssessment, TokenIssue

from .assessments import attendee, ratings

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(d1):
    person = attendee(d1, name="Rita Returning")
    return User.objects.create_user("rita@example.org", PASSWORD, person=person)


def _open_form(client, session) -> str:
    response = client.post(reverse("feedback:assess_issue", args=[session.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/feedback/assess/")
    form = client.get(response["Location"])
    assert form.status_code == 200 and "Send my assessment" in form.content.decode()
    return response["Location"]


def test_opening_the_form_uses_nothing_and_the_same_device_can_resume(client, d1, rita):
    client.force_login(rita)
    form_url = _open_form(client, d1)
    # The tab is closed without sending. Back on "Sessions you attended":
    page = client.get(reverse("feedback:my_sessions")).content.decode()
    assert "Continue your assessment" in page and f'href="{form_url}"' in page
    assert AssessmentToken.objects.count() == 1  # still unused
    # The button, pressed again, takes the attendee back to the same form instead of refusing.
    again = client.post(reverse("feedback:assess_issue", args=[d1.pk]))
    assert again.status_code == 302 and again["Location"] == form_url
    assert TokenIssue.objects.count() == 1 and AssessmentToken.objects.count() == 1
    sent = client.post(form_url, ratings(overall=5))
    assert sent.status_code == 302 and sent["Location"] == reverse("feedback:assess_thanks")
    assert FacilitatorAssessment.objects.count() == 1 and not AssessmentToken.objects.exists()
    # Sent: the device forgets the token and the page offers nothing more to finish.
    assert sent.cookies[f"assess_{d1.pk}"].value == ""
    page = client.get(reverse("feedback:my_sessions")).content.decode()
    assert "Sessions you attended" in page and "Continue your assessment" not in page
    assert "Sent, or opened on another device" in page


def test_another_device_cannot_resume_and_gets_no_second_link(client, d1, rita):
    client.force_login(rita)
    _open_form(client, d1)
    other = client.__class__()
    other.force_login(rita)
    page = other.get(reverse("feedback:my_sessions")).content.decode()
    assert "Sessions you attended" in page and "Continue your assessment" not in page
    refused = other.post(reverse("feedback:assess_issue", args=[d1.pk]), follow=True)
    assert "You already received your assessment link for this session" in refused.content.decode()
    assert AssessmentToken.objects.count() == 1 and TokenIssue.objects.count() == 1


def test_a_resume_cookie_of_another_session_or_a_forged_one_resumes_nothing(client, d1, rita):
    client.force_login(rita)
    form_url = _open_form(client, d1)
    token = form_url.rstrip("/").rsplit("/", 1)[-1]
    client.cookies[f"assess_{d1.pk}"] = "forged-" + token[7:]
    client.cookies[f"assess_{d1.pk}"]["path"] = "/feedback/"
    page = client.get(reverse("feedback:my_sessions")).content.decode()
    assert "Sessions you attended" in page and "Continue your assessment" not in page


def test_the_resume_cookie_holds_the_token_only_and_stays_on_the_feedback_pages(client, d1, rita):
    client.force_login(rita)
    form_url = _open_form(client, d1)
    cookie = client.cookies[f"assess_{d1.pk}"]
    assert cookie.value == form_url.rstrip("/").rsplit("/", 1)[-1]
    assert cookie["path"] == "/feedback/" and cookie["httponly"] and cookie["samesite"] == "Strict"
