"""The one pagination under a long table (templates/includes/pagination.html): the session list,
the sessions not reported and the Ethics Office's question queue all include it."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def test_a_middle_page_links_both_ways_and_keeps_the_filters():
    page = Paginator(range(60), 25).page(2)
    html = render_to_string("includes/pagination.html", {"page": page, "query": "status=new&kind=kit"})
    assert '<a href="?status=new&amp;kind=kit&amp;page=1" rel="prev">Previous</a>' in html
    assert '<a href="?status=new&amp;kind=kit&amp;page=3" rel="next">Next</a>' in html
    assert "Page 2 of 3" in html and '<nav aria-label="Pages">' in html


def test_without_filters_the_links_carry_the_page_only():
    html = render_to_string("includes/pagination.html", {"page": Paginator(range(60), 25).page(1)})
    assert '<a href="?page=2" rel="next">Next</a>' in html and "Previous" not in html and "Page 1 of 3" in html


def test_one_page_needs_no_navigation():
    html = render_to_string("includes/pagination.html", {"page": Paginator(range(3), 25).page(1)})
    assert "<nav" not in html and "Page" not in html


def test_the_three_long_tables_include_it():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for template in ("dialogues/templates/dialogues/session_list.html", "feedback/templates/feedback/entity_not_reported.html", "feedback/templates/feedback/question_queue.html"):
        text = (root / template).read_text(encoding="utf-8")
        assert '{% include "includes/pagination.html" %}' in text and "has_other_pages" not in text
