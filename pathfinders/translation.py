"""The framework's texts in English, French and Spanish (django-modeltranslation): the
Secretariat enters them side by side in the admin; English is the original and the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import INDICATOR_TEXTS, Indicator


@register(Indicator)
class IndicatorTranslationOptions(TranslationOptions):
    fields = INDICATOR_TEXTS
