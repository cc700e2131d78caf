from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset pages of at most MAX_LIMIT rows: a client cannot take a force's records in one response."""

    max_limit = 200
