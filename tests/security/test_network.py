"""The source address recorded for lockouts and the audit trail cannot be forged by a client
behind the proxy."""

from django.test import RequestFactory

from config.client_address import client_address


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_the_peer_address_is_the_client(settings):
    settings.XIANJIE_TRUSTED_PROXIES = 0
    request = _request(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "10.1.1.1"


def test_behind_one_proxy_the_entry_it_appended_counts_not_the_client_s_own(settings):
    settings.XIANJIE_TRUSTED_PROXIES = 1
    forged = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_address(forged) == "203.0.113.9"


def test_missing_header_behind_a_proxy_falls_back_to_the_peer(settings):
    settings.XIANJIE_TRUSTED_PROXIES = 1
    assert client_address(_request(REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
