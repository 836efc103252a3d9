"""Benchmark: the server's peak memory when a 400 MB upload is posted to the case page's upload
address (issue 10: read whole into memory, +360 MB resident, even for a user without the right).

Run as `.venv/bin/python bench/upload_memory.py [--mb 400]`. It builds a throwaway SQLite demo
(migrate, seed_demo) in a temporary directory, starts `manage.py runserver --noreload` on a free
loopback port, and posts twice, streaming the body from a generator (the client holds 1 MB):

- as a police user who can see a transferred referral but may not change its record: refused
  before the body is parsed;
- as the case officer of a referral still open for changes: the file is read up to
  XIANJIE_MAX_UPLOAD_BYTES (50 MB) and stopped there.

It prints the server's peak resident memory (VmHWM from /proc) after warm-up and after each
post, and the ratio after/before. Bounded: every socket waits at most 120 s, and the server
(the only process it starts) is stopped on exit, SIGTERM included."""

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# XIANJIE_BENCH_ROOT: another checkout to measure (e.g. one before the fix), same interpreter.
ROOT = Path(os.environ.get("XIANJIE_BENCH_ROOT") or Path(__file__).resolve().parent.parent)
PYTHON = sys.executable
CHUNK = 1024 * 1024
TIMEOUT = 120

SETUP = """
import json
from django.test import Client
from django.urls import reverse
from referral import access, lifecycle
from referral.models import Referral, User
from referral.permissions import may_edit_case_record

def login(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

def may_change(user, referral):  # the rule of referral/services/base.py's lock_for_edit
    return may_edit_case_record(user, referral) and referral.status in lifecycle.EDITABLE_STATES

def visible(user, referral):
    return access.may_view(user, referral)

out = {}
for referral in Referral.objects.order_by("pk"):
    for user in User.objects.filter(is_active=True).exclude(agency=None).order_by("pk"):
        if "denied" not in out and visible(user, referral) and not may_change(user, referral):
            out["denied"] = (user.username, referral.pk, login(user))
        if "officer" not in out and may_change(user, referral):
            out["officer"] = (user.username, referral.pk, login(user))
out = {k: (name, reverse("xianjie:referral_upload", args=[pk]), cookie)
       for k, (name, pk, cookie) in out.items()}
print("BENCH" + json.dumps(out))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    ).stdout


def wait_until_up(port: int, server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/verify/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer within 60 s")


def post_upload(port: int, path: str, cookie: str, size: int) -> str:
    """Streams a multipart body with a `size`-byte PDF; the answer's status, or how it ended."""
    boundary = "xianjie-bench-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nevidence\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + size + len(tail)

    def body():
        yield head
        left = size
        block = b"0" * CHUNK
        while left > 0:
            yield block[: min(CHUNK, left)]
            left -= CHUNK
        yield tail

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(length))
    connection.putheader("Cookie", f"sessionid={cookie}")
    connection.endheaders()
    try:
        for part in body():
            connection.send(part)
    except (BrokenPipeError, ConnectionResetError) as exc:
        return f"connection closed while sending ({type(exc).__name__})"
    response = connection.getresponse()
    response.read()
    connection.close()
    return f"{response.status} {response.reason} -> {response.getheader('Location', '')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=400, help="size of the posted file in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xianjie-upload-bench-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "DJANGO_MEDIA_ROOT": f"{tmp}/media",
            "XIANJIE_AUDIT_CHECKPOINT_DIR": f"{tmp}/checkpoints",
            "TMPDIR": tmp,
        }
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed_demo")
        out = manage(env, "shell", "-c", SETUP, capture=True)
        subjects = json.loads(out[out.index("BENCH") + 5 :])
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        try:
            wait_until_up(port, server)
            before = peak_rss_mb(server.pid)
            print(f"server peak RSS after warm-up: {before:.0f} MB; posting {args.mb} MB")
            for key, label in (("denied", "no upload right"), ("officer", "past the limit")):
                name, path, cookie = subjects[key]
                started = time.perf_counter()
                outcome = post_upload(port, path, cookie, args.mb * 1024 * 1024)
                seconds = time.perf_counter() - started
                after = peak_rss_mb(server.pid)
                print(
                    f"{label:16} ({name}, {path}): {outcome}; {seconds:.1f} s; peak RSS "
                    f"{after:.0f} MB, ratio after/before {after / before:.2f}"
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
