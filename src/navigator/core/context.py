"""Who is asking and from where, for the audit trail, set per request by RequestIdMiddleware."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)
