"""The Secretariat's functions in English, French and Spanish (django-modeltranslation): the
Secretariat enters them side by side in the admin; English is the original and the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import SECRETARIAT_FUNCTION_TEXTS, SecretariatFunction


@register(SecretariatFunction)
class SecretariatFunctionTranslationOptions(TranslationOptions):
    fields = SECRETARIAT_FUNCTION_TEXTS
