"""Issue 10: the /verify/ rate limit behind a proxy. It was keyed on REMOTE_ADDR (the proxy's,
so one client locked everyone out) and counted per worker process."""

import shutil
import subprocess
import time

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.client_address import client_address
from referral.documents import views

PROXY = "10.0.0.2"
UNKNOWN_CODE = "ABCDEFGHJK"  # stands for nothing: 404, and counted all the same


def _request(remote=PROXY, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_served_directly_the_header_is_ignored(settings):
    settings.XIANJIE_TRUSTED_PROXIES = 0
    assert client_address(_request("192.0.2.7", forwarded="198.51.100.1")) == "192.0.2.7"


def test_behind_one_proxy_the_client_is_the_address_the_proxy_received_from(settings):
    settings.XIANJIE_TRUSTED_PROXIES = 1
    assert client_address(_request(forwarded="198.51.100.1")) == "198.51.100.1"
    # What the client wrote itself (left of what the proxy appended) is ignored.
    assert client_address(_request(forwarded="1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    assert client_address(_request(forwarded="2001:db8::1")) == "2001:db8::1"


def test_behind_two_proxies(settings):
    settings.XIANJIE_TRUSTED_PROXIES = 2
    chain = "1.2.3.4, 198.51.100.1, 10.0.0.1"  # spoofed, client, first proxy
    assert client_address(_request(forwarded=chain)) == "198.51.100.1"


def test_a_malformed_hop_falls_back_to_the_peer(settings):
    settings.XIANJIE_TRUSTED_PROXIES = 1
    assert client_address(_request(forwarded="not-an-address")) == PROXY
    assert client_address(_request(forwarded="")) == PROXY


def _lookups(client, n, forwarded):
    url = reverse("referral:verify", args=[UNKNOWN_CODE])
    return [
        client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code
        for _ in range(n)
    ]


@pytest.fixture
def behind_a_proxy(settings, monkeypatch, db):
    settings.XIANJIE_TRUSTED_PROXIES = 1
    monkeypatch.setitem(views.RATE_LIMITS, "code", 2)


def test_one_client_behind_the_proxy_no_longer_locks_out_the_others(client, behind_a_proxy):
    from django.core.cache import cache

    cache.clear()
    assert _lookups(client, 3, "198.51.100.1") == [404, 404, 429]
    assert _lookups(client, 1, "198.51.100.2") == [404]  # another client, same proxy
    # Changing the header it sends does not give the first client a new count.
    assert _lookups(client, 1, "9.9.9.9, 198.51.100.1") == [429]


@pytest.fixture
def redis_cache(settings, tmp_path):
    """A throwaway Redis (as in production: DJANGO_CACHE_URL) as the default cache."""
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (Debian: redis-server, bin/setup.sh installs it)"
    socket = tmp_path / "redis.sock"
    process = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", str(socket), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.05)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"unix://{socket}",
            }
        }
        yield socket
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_count_lives_in_the_shared_cache_every_worker_reads(
    client, behind_a_proxy, redis_cache
):
    assert _lookups(client, 3, "198.51.100.1") == [404, 404, 429]
    # Another process (a second worker, another server) sees the same count in Redis.
    keys = subprocess.run(
        ["redis-cli", "-s", str(redis_cache), "--scan", "--pattern", "*xianjie:verify:code:*"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert len(keys) == 1 and keys[0].endswith("xianjie:verify:code:198.51.100.1")
    count = subprocess.run(
        ["redis-cli", "-s", str(redis_cache), "GET", keys[0]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert count == "3"
