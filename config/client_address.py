"""The address of the client a request comes from, behind a configured number of proxies.

Behind a reverse proxy REMOTE_ADDR is the proxy's: keyed on it, the /verify/ rate limit let one
client lock out every other. Each proxy appends the address it received the request from to
X-Forwarded-For, so with N trusted proxies in front of the application (XIANJIE_TRUSTED_PROXIES)
the client is the N-th address from the right of `X-Forwarded-For + [REMOTE_ADDR]`. Everything
left of it was written by the client and is ignored: it cannot choose its own key. With 0 (the
demo, served directly) the header is ignored altogether.
"""

from ipaddress import ip_address

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.XIANJIE_TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [hop.strip() for hop in forwarded.split(",") if hop.strip()] + [remote]
    # Fewer hops than proxies: the request skipped a proxy; its leftmost hop is all there is.
    candidate = chain[-(trusted + 1)] if len(chain) > trusted else chain[0]
    try:
        return str(ip_address(candidate))
    except ValueError:  # a proxy that writes something else is misconfigured: fall back
        return remote
