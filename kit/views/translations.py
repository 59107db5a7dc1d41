"""The Ethics Office's page to translate the kit: every text of the kit, its original beside a
field for the translation into one language, saved at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from org.models import Language, django_language

from ..forms import KitTranslationForm
from ..selectors import kit_for_cycle
from ..translations import direction, kit_texts, kit_translation_save, kit_translations_of, language_in_sentence, language_name
from .editor import _editor_cycle_or_404


@login_required
@require_http_methods(["GET", "POST"])
def kit_translations(request: HttpRequest, year: int, language: str) -> HttpResponse:
    """Ethics Office: translate the kit's texts into `language` (any official language but the
    kit's own); an empty field leaves the text untranslated."""
    cycle = _editor_cycle_or_404(request, year)
    kit = kit_for_cycle(cycle)
    if kit is None or language not in Language.values or language == kit.language:
        raise Http404
    groups = kit_texts(kit)
    sources = [source for group in groups for source in group.texts]
    lang = django_language(language)
    form = KitTranslationForm(
        request.POST if request.method == "POST" else None,
        groups=groups,
        existing=kit_translations_of(kit, language, sources),
        lang=lang,
        dir=direction(lang),
    )
    if request.method == "POST" and form.is_valid():
        kit_translation_save(actor=request.user, kit=kit, language=language, texts=form.translations(), confirmed=form.confirmed())
        messages.success(request, _("The translation is saved."))
        return redirect("kit:translations", year=cycle.year, language=language)
    original_lang = django_language(kit.language)
    context = {
        "cycle": cycle,
        "kit": kit,
        "form": form,
        "language": language,
        "language_name": language_name(language),
        "original_name": language_in_sentence(kit.language),
        "original_lang": original_lang,
        "original_dir": direction(original_lang),
    }
    return render(request, "kit/translations.html", context)
