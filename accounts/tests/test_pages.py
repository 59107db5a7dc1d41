"""What every page shares, as its HTML says it: the header marks the page shown, forms open with
an error summary that links to each field, an empty list says what to do, and text people typed
keeps its own direction on a page of the other direction."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from accounts.templatetags.bidi import bdi, text_dir
from accounts.tests.personas import two_entities
from cascade.testing import make_user
from org.models import Cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    people = two_entities()
    Cycle.objects.create(year=2026, topic="Gifts and favours", opens=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 12, 31))
    return people


@pytest.fixture
def leo(client, people):
    """A manager (rita reports to him) with no session yet."""
    user = make_user("leo@example.org", "D100002")
    client.force_login(user)
    return user


def test_the_header_marks_the_link_of_the_page_shown(client, leo):
    home = client.get(reverse("home")).content.decode()
    assert '<a href="/" aria-current="page">Home</a>' in home
    assert f'<a href="{reverse("dialogues:schedule")}">Schedule a session</a>' in home
    assert home.count('aria-current="page"') == 1
    schedule = client.get(reverse("dialogues:schedule")).content.decode()
    assert f'<a href="{reverse("dialogues:schedule")}" aria-current="page">Schedule a session</a>' in schedule
    assert '<a href="/">Home</a>' in schedule and schedule.count('aria-current="page"') == 1


def test_the_header_folds_into_a_menu(client, leo):
    page = client.get(reverse("home")).content.decode()
    assert '<details class="site-menu">' in page and "<summary>Menu</summary>" in page
    menu = page[page.index('<details class="site-menu">') : page.index("</details>")]
    assert 'aria-label="Main"' in menu and "Log out" in menu and 'id="language-select"' in menu


def test_a_schedule_form_sent_without_date_opens_with_a_summary_linking_to_the_fields(client, leo, people):
    response = client.post(reverse("dialogues:schedule"), {"time_zone": "UTC", "duration_minutes": "90", "mode": "in_person", "invitees": [people["rita"].pk]})
    page = response.content.decode()
    assert response.status_code in (200, 400) and "<h1>Schedule a session</h1>" in page
    summary = page[page.index('class="error-summary"') : page.index("</div>", page.index('class="error-summary"'))]
    assert '<div class="error-summary" id="form-error-summary" role="alert" tabindex="-1"' in page
    assert "There is a problem" in summary
    assert '<a href="#id_date">Date: This field is required.</a>' in summary
    assert '<a href="#id_start_time">Start time: This field is required.</a>' in summary
    assert summary.index("There is a problem") < summary.index("#id_date")
    # The summary comes before the form, which the browser does not validate in its place.
    assert page.index('class="error-summary"') < page.index('<form method="post" class="stacked" novalidate>')


def test_a_login_with_a_wrong_password_says_so_at_the_top(client, people):
    make_user("leo@example.org", "D100002")
    response = client.post(reverse("login"), {"username": "leo@example.org", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Please enter a correct e-mail and password." in page
    empty = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">E-mail: This field is required.</a>' in empty
    assert '<a href="#id_password">Password: This field is required.</a>' in empty
    assert 'id="id_username" autocomplete="email" required autofocus value="" aria-invalid="true"' in empty


def test_a_bound_form_without_errors_has_no_summary(client, leo):
    response = client.post(reverse("preferences"), {"mute_reminders": "on"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" not in page and 'class="error-summary"' not in page
    assert "<h1>" in page and "Your preferences are saved." in page


def test_a_manager_without_sessions_is_told_to_schedule_one(client, leo):
    page = client.get(reverse("dialogues:session_list")).content.decode()
    assert "<h1>Sessions</h1>" in page and "<thead>" not in page
    assert f'No session yet: schedule one from <a href="{reverse("dialogues:schedule")}">Schedule a session</a>.' in page


def test_names_keep_their_direction_on_an_arabic_page(client, leo, people):
    people["rita"].name = "Rita <b>Riverbank</b> (UK)"
    people["rita"].save()
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("home")).content.decode()
    assert 'dir="rtl"' in page
    assert '<bdi dir="ltr">Leo Lanternfish</bdi>' in page  # in the welcome
    assert '<td><bdi>Rita &lt;b&gt;Riverbank&lt;/b&gt; (UK)</bdi></td>' in page  # the direct reports
    assert "<b>Riverbank" not in page


def test_text_dir_follows_the_first_strong_letter():
    assert text_dir("What is a gift?") == "ltr"
    assert text_dir("ما هي الهدية؟") == "rtl"
    assert text_dir("2026: هدية from a supplier") == "rtl"
    assert text_dir("(42) — Hello") == "ltr"
    assert text_dir("שלום") == "rtl"
    assert text_dir("— 42 ?") == "auto"
    assert text_dir("") == "auto"


def test_bdi_escapes_and_names_the_direction():
    assert bdi("<script>x</script>") == '<bdi dir="ltr">&lt;script&gt;x&lt;/script&gt;</bdi>'
    assert bdi("نور") == '<bdi dir="rtl">نور</bdi>'
    assert bdi("") == "" and bdi(None) == ""
    with translation.override("ar"):
        rendered = Template('{% load i18n bidi %}{% blocktranslate with name=name|bdi %}Welcome, {{ name }}{% endblocktranslate %}').render(
            Context({"name": "Tom & <Jerry>?"})
        )
    assert '<bdi dir="ltr">Tom &amp; &lt;Jerry&gt;?</bdi>' in rendered


def test_the_pdfs_name_the_direction_of_typed_text_outright():
    """WeasyPrint follows dir="ltr" but not dir="auto": the annual report's themes and the
    sign-in sheet's names carry the direction of their own text."""
    from django.template.loader import render_to_string

    with translation.override("ar"):
        themes = render_to_string(
            "oversight/report_themes.html",
            {"found": {"themes": [{"label": "What is a gift?", "count": 3, "examples": ["Can I accept a lunch?", "هل أقبل هدية؟"]}]}, "caption": "c", "count_heading": "n"},
        )
        sheet = render_to_string("dialogues/running/_sheet.html", {"sheet": {"leader": "Lena Leader", "lines": [(1, "Zoë Ångström"), (2, "نور")]}})
    assert '<th scope="row" translate="no"><bdi dir="ltr">What is a gift?</bdi></th>' in themes
    assert '<li><bdi dir="ltr">Can I accept a lunch?</bdi></li>' in themes and '<li><bdi dir="rtl">هل أقبل هدية؟</bdi></li>' in themes
    assert '<bdi dir="ltr">Lena Leader</bdi>' in sheet
    assert '<td><bdi dir="ltr">Zoë Ångström</bdi></td>' in sheet and '<td><bdi dir="rtl">نور</bdi></td>' in sheet
    assert 'dir="auto"' not in themes + sheet
