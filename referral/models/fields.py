"""Text fields that apply `referral.text` at the one point every write passes.

A value is cleaned when the model is validated (`full_clean`, model forms), when it is saved
(`pre_save`, which also puts the cleaned value back on the instance, so what the service writes
to the audit trail afterwards is what was stored) and when it goes into a query (`update()`,
lookups). Identifiers refuse hidden characters at validation instead (see `referral.text`); a
write that skipped validation still stores them stripped.

They migrate as Django's own CharField and TextField: the cleaning changes no column.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..text import clean_text, invisible_characters


def refuse_invisible_characters(value: str) -> None:
    found = invisible_characters(value)
    if found:
        raise ValidationError(
            _("Remove the invisible characters (%(chars)s) and type the number again."),
            code="invisible_characters",
            params={"chars": ", ".join(found)},
        )


class _CleanTextMixin:
    multiline = True

    def _clean(self, value):
        return clean_text(value, multiline=self.multiline) if isinstance(value, str) else value

    def to_python(self, value):
        return self._clean(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = self._clean(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return self._clean(super().get_prep_value(value))

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, f"django.db.models.{self.__class__.__mro__[2].__name__}", args, kwargs


class LineField(_CleanTextMixin, models.CharField):
    """One line of text that reaches documents: titles, names, addresses, item names."""

    multiline = False


class ProseField(_CleanTextMixin, models.TextField):
    """Multi-line text that reaches documents: facts, reasons, opinions, notes."""


class IdentifierField(_CleanTextMixin, models.CharField):
    """A number another agency compares: ID numbers, credit codes, document numbers, phones."""

    multiline = False
    default_validators = [refuse_invisible_characters]

    def to_python(self, value):
        # Validation sees the value as typed, so the validator can refuse what it hides.
        return models.CharField.to_python(self, value)
