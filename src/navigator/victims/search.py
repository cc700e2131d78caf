"""Finding victims: by reference, or by exact name or date of birth through the blind indexes."""

import datetime
import re

from django.db import connection

from navigator.core.crypto import blind_index

from .forms import DATE_FORMATS

REFERENCE = re.compile(r"^[A-Za-z]{2,4}-V-\d{1,6}$|^[A-Za-z]{2,4}-V-?$|^\d{1,6}$")


def parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def apply_search(queryset, query: str):
    query = query.strip()
    if not query:
        return queryset
    if REFERENCE.match(query):
        return queryset.filter(reference__icontains=query)
    date = parse_date(query)
    if date is not None:
        return queryset.filter(dob_index=blind_index(date.isoformat(), "dob"))
    return queryset.filter(name_index=blind_index(query, "name"))


def filter_exploitation(queryset, exploitation: str):
    if not exploitation:
        return queryset
    if connection.features.supports_json_field_contains:
        return queryset.filter(exploitation_types__contains=[exploitation])
    return queryset.filter(exploitation_types__icontains=f'"{exploitation}"')
