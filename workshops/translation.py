"""The texts people read about an event in English, French and Spanish (django-modeltranslation):
the Secretariat enters them side by side in the admin; English is the original and the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    AGENDA_ITEM_TEXTS,
    EVENT_TEXTS,
    OBJECTIVE_TEXTS,
    OUTPUT_TEXTS,
    AgendaItem,
    Event,
    EventObjective,
    Output,
)


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = EVENT_TEXTS


@register(EventObjective)
class EventObjectiveTranslationOptions(TranslationOptions):
    fields = OBJECTIVE_TEXTS


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = AGENDA_ITEM_TEXTS


@register(Output)
class OutputTranslationOptions(TranslationOptions):
    fields = OUTPUT_TEXTS
