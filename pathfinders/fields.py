"""The list field now lives with what every area shares; kept here for the migrations that
name it by this path."""

from alliance87.fields import ChoiceListField

__all__ = ["ChoiceListField"]
