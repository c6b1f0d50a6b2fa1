"""The address of the client that sent a request: the one place that reads
``X-Forwarded-For``.

Behind reverse proxies, ``REMOTE_ADDR`` is the nearest proxy's address, the same for every
visitor; each proxy appends the address it received the request from to
``X-Forwarded-For``. Only the entries our own proxies wrote can be believed: anything to
their left was sent by the client and may be forged. Two settings say which entries are
ours (decision 0020):

- ``TREMPLIN_TRUSTED_PROXIES``: the proxies' addresses or networks. Reading from the right
  (``REMOTE_ADDR`` first), every address in the list is a proxy; the first one that is not
  is the client.
- ``TREMPLIN_TRUSTED_PROXY_HOPS``: how many proxies stand in front of the application. The
  client is the address that many places from the right (``REMOTE_ADDR`` counts as one).

With neither (the default), ``X-Forwarded-For`` is ignored and the client is
``REMOTE_ADDR``. The sign-in throttle, and every other limit per address, read the address
here.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # noqa: S104 - never a real client: a request without any address

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> str | None:
    """``text`` as a normalised IP address, or None when it is not one."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The trusted proxies' networks, from addresses (``10.0.0.5``) and networks
    (``10.0.0.0/8``); raises ValueError on an entry that is neither."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def client_address(request: HttpRequest) -> str:
    """The client's address, as far as the trusted proxies vouch for it."""
    peer = _address(str(request.META.get("REMOTE_ADDR") or "")) or UNKNOWN
    networks = trusted_networks(tuple(settings.TREMPLIN_TRUSTED_PROXIES))
    hops: int = settings.TREMPLIN_TRUSTED_PROXY_HOPS
    if not networks and hops <= 0:
        return peer
    forwarded = [
        part for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part
    ]
    # Nearest first: the proxy that connected to us, then the addresses each proxy saw.
    chain = [peer, *(_address(part) for part in reversed(forwarded))]
    if networks:
        for number, address in enumerate(chain):
            if address is None:  # not an address: no proxy of ours wrote it
                return chain[number - 1] or UNKNOWN
            if not any(ipaddress.ip_address(address) in network for network in networks):
                return address
        return chain[-1] or UNKNOWN  # every hop is a proxy of ours
    # Fewer entries than proxies: the request did not come through all of them; the
    # farthest address known is the best guess.
    chosen = chain[min(hops, len(chain) - 1)]
    return chosen or peer
