"""The language of the user's profile (the organization file's `language`) comes first; without
one, Django's LocaleMiddleware falls back to the session's choice and then to the browser's."""

from django.conf import settings
from django.utils import translation

# The organization file says `zh`; Django's catalogue for simplified Chinese is `zh-hans`.
PROFILE_TO_DJANGO = {"zh": "zh-hans"}


class ProfileLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Runs before authentication middleware has set request.user, so read the session.
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not chosen and hasattr(request, "session"):
            language = request.session.get("profile_language")
            if language:
                request.META["HTTP_ACCEPT_LANGUAGE"] = PROFILE_TO_DJANGO.get(language, language)
        return self.get_response(request)


def remember_profile_language(request, user) -> None:
    """Called at login: keep the person's language in the session for the middleware."""
    person = getattr(user, "person", None)
    if person and person.language:
        request.session["profile_language"] = person.language
        translation.activate(PROFILE_TO_DJANGO.get(person.language, person.language))
