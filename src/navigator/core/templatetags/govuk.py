"""Render Django form fields as GOV.UK Design System components."""

import datetime

from django import forms, template

register = template.Library()


def _kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def _display(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value.day}/{value.month}/{value.year}"
    return value


@register.inclusion_tag("govuk/field.html")
def govuk_field(field, width: str = "", legend_size: str = "m"):
    value = field.value()
    if isinstance(value, list | tuple):
        selected = {str(v) for v in value}
    else:
        selected = {"" if value is None else str(value)}
    return {
        "field": field,
        "kind": _kind(field),
        "width": width,
        "legend_size": legend_size,
        "selected": selected,
        "choices": [(str(k), v) for k, v in getattr(field.field, "choices", [])],
        "display_value": _display(value),
        # A textarea with a limit counts down as the user types (GOV.UK character count), so a long reason is not
        # refused only when sent.
        "max_length": getattr(field.field, "max_length", None) if _kind(field) == "textarea" else None,
    }


@register.filter
def tag_colour(value: str) -> str:
    return {
        "open": "govuk-tag--green", "closed": "govuk-tag--grey", "intensive": "govuk-tag--purple",
        "standard": "govuk-tag--blue", "engaging": "govuk-tag--green", "declined": "govuk-tag--orange",
        "withdrawn": "govuk-tag--red", "considering": "govuk-tag--yellow",
    }.get(value, "govuk-tag--grey")
