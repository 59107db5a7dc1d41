"""The site header's links: the one to the page being shown says so (aria-current="page")."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, name: str, label: str, *args) -> str:
    """A link to the URL named `name`, marked as the current page when it is the one shown."""
    url = reverse(name, args=args)
    request = context.get("request")
    if request is not None and request.path == url:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)
