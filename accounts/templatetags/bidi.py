"""Text that people typed, set inside a sentence of the page's language: `{{ name|bdi }}` isolates
its direction, so that an English name reads right in an Arabic sentence and the other way round
(also inside {% blocktranslate with name=person.name|bdi %})."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value) -> str:
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)
