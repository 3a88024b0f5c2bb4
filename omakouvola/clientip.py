"""The client's address, the same one for allauth's limits, our own limits and logs.

Behind a reverse proxy REMOTE_ADDR is the proxy, so every resident would share one
counter. TRUSTED_PROXY_COUNT (ALLAUTH_TRUSTED_PROXY_COUNT) says how many proxies append to
X-Forwarded-For; allauth picks the entry the nearest trusted proxy wrote, which a client
cannot forge by sending its own header. With no proxy configured the header is ignored.
"""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    from allauth.account.adapter import get_adapter

    return get_adapter(request).get_client_ip(request).strip()
