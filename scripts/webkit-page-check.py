#!/usr/bin/env python3
"""Opens a team page in WebKit (Safari's engine: Debian's WebKitGTK) and checks that it joins and draws.

A manual check of the browser seats' page in a third engine (make test runs Chromium's and Firefox's):

    apt-get install webkit2gtk-driver
    ./build/chokepoint serve tests/scenarios/trio.yaml --human east --bind 127.0.0.1 --port 8080 --no-save &
    xvfb-run -a scripts/webkit-page-check.py "http://127.0.0.1:8080/?code=CODE" out.png [WIDTH HEIGHT]

It starts WebKitWebDriver (W3C WebDriver over HTTP) with WebKitGTK's MiniBrowser, which needs a
display (hence xvfb-run), waits until the page shows the seat's own card (its treasury), prints
what the page shows and saves a screenshot. Exit 0 when the view was drawn, 1 otherwise.
"""
import base64
import glob
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read() or b"{}").get("value")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: {e.code} {e.read()[:300]!r}") from None


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    url, shot = sys.argv[1], sys.argv[2]
    width, height = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (1280, 2200)
    driver = shutil.which("WebKitWebDriver")
    browsers = glob.glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser")
    if not driver or not browsers:
        print("WebKitWebDriver or MiniBrowser is missing (apt-get install webkit2gtk-driver)")
        return 2
    port = 4444 + os.getpid() % 1000
    proc = subprocess.Popen([driver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    session = None
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                call(base, "GET", "/status")
                break
            except (OSError, RuntimeError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        caps = {"capabilities": {"alwaysMatch": {"webkitgtk:browserOptions": {
            "binary": browsers[0], "args": ["--automation"]}}}}
        session = call(base, "POST", "/session", caps)["sessionId"]
        s = f"/session/{session}"
        call(base, "POST", s + "/window/rect", {"width": width, "height": height})
        call(base, "POST", s + "/url", {"url": url})
        shown = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            shown = call(base, "POST", s + "/execute/sync", {"script": "return document.body.innerText;", "args": []})
            if "Treasury" in shown:
                break
            time.sleep(0.25)
        with open(shot, "wb") as f:
            f.write(base64.b64decode(call(base, "GET", s + "/screenshot")))
        agent = call(base, "POST", s + "/execute/sync", {"script": "return navigator.userAgent;", "args": []})
        print(agent)
        print("\n".join(shown.splitlines()[:25]))
        return 0 if "Treasury" in shown else 1
    finally:
        if session:
            try:
                call(base, "DELETE", f"/session/{session}")
            except (OSError, RuntimeError):
                pass
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main())
