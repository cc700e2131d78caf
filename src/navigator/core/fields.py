"""Model fields whose values are encrypted before they reach the database."""

import datetime

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text sealed with AES-GCM; only equality on empty/NULL can be queried (use a blind index)."""

    def __init__(self, *args, sealed_as: str = "", **kwargs):
        # sealed_as: another field of the model whose sealed values this one holds as they are (an earlier version
        # of the same text, copied by the database without decrypting it).
        self.sealed_as = sealed_as
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.sealed_as:
            kwargs["sealed_as"] = self.sealed_as
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.crypto_context = f"{cls._meta.label_lower}.{self.sealed_as or name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.from_plaintext(crypto.decrypt(value, self.crypto_context))

    def from_plaintext(self, text: str):
        return text

    def to_plaintext(self, value) -> str:
        return str(value)

    def get_prep_value(self, value):
        if value is None or value == "":
            return value
        return crypto.encrypt(self.to_plaintext(value), self.crypto_context)


class EncryptedDateField(EncryptedTextField):
    def from_plaintext(self, text: str):
        return datetime.date.fromisoformat(text)

    def to_plaintext(self, value) -> str:
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return value.isoformat()

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(value)

    def formfield(self, **kwargs):
        from django import forms

        return super(models.TextField, self).formfield(**{"form_class": forms.DateField, **kwargs})


def encrypted_field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)}
