"""Text that people typed, set among the page's own words, read in its own direction: an English
name or note reads right on an Arabic page and the other way round.

`{{ name|bdi }}` isolates it (also inside {% blocktranslate with name=person.name|bdi %}) and
`dir="{{ text|text_dir }}"` gives a block its direction. Both name the direction outright, from
the text's first strong letter as dir="auto" would: WeasyPrint, which draws the PDFs, follows an
explicit dir but neither dir="auto" nor a bare <bdi>."""

import unicodedata

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def text_dir(value) -> str:
    """"ltr" or "rtl" after the first letter with a strong direction; "auto" without one."""
    for character in str(value):
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "auto"


@register.filter
def bdi(value) -> str:
    if value is None or value == "":
        return ""
    direction = text_dir(value)
    if direction == "auto":  # no letter ("—", a number): nothing to isolate it from
        return format_html("<bdi>{}</bdi>", value)
    return format_html('<bdi dir="{}">{}</bdi>', direction, value)
