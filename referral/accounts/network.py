"""Where a request comes from, as the lockout and the audit trail record it."""

from django.conf import settings


def client_address(request) -> str:
    """The client's IP address. Behind `XIANJIE_TRUSTED_PROXY_COUNT` proxies that each append
    to X-Forwarded-For it is the entry that many places from the right: entries further left
    were written by the client and prove nothing."""
    proxies = settings.XIANJIE_TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
