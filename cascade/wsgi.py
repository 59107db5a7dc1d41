"""WSGI entry point, served by gunicorn in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
application = get_wsgi_application()

# Import every view while the worker starts, not during its first request.
from django.urls import get_resolver  # noqa: E402  (needs the settings above)

get_resolver().url_patterns
