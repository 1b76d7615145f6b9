"""The names people read on the GCG and group pages in English, French and Spanish
(django-modeltranslation): the Secretariat enters them side by side in the admin; English is the
original and the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import CONSTITUENCY_TEXTS, GROUP_TEXTS, SEAT_TEXTS, ActionGroup, Constituency, Seat


@register(Constituency)
class ConstituencyTranslationOptions(TranslationOptions):
    fields = CONSTITUENCY_TEXTS


@register(Seat)
class SeatTranslationOptions(TranslationOptions):
    fields = SEAT_TEXTS


@register(ActionGroup)
class ActionGroupTranslationOptions(TranslationOptions):
    fields = GROUP_TEXTS
