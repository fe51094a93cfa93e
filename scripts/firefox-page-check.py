#!/usr/bin/env python3
"""Opens a team page in headless Firefox (Debian's firefox-esr) and checks that it joins and draws.

A manual check of the browser seats' page in a second engine (make test runs Chromium's):

    ./build/chokepoint serve tests/scenarios/trio.yaml --human east --bind 127.0.0.1 --port 8080 --no-save &
    scripts/firefox-page-check.py "http://127.0.0.1:8080/?code=CODE" out.png [WIDTH HEIGHT]

It drives Firefox through Marionette (its own remote protocol: length-prefixed JSON over TCP, no
driver to install), waits until the page shows the seat's own card (its treasury), prints what the page shows and
saves a screenshot. Exit 0 when the view was drawn, 1 otherwise.
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


class Marionette:
    def __init__(self, port):
        deadline = time.monotonic() + 30
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.buf = b""
        self.next_id = 1
        self._read()  # the greeting

    def _read(self):
        while b":" not in self.buf:
            self.buf += self._recv()
        size, _, rest = self.buf.partition(b":")
        size = int(size)
        while len(rest) < size:
            rest += self._recv()
        self.buf = rest[size:]
        return json.loads(rest[:size])

    def _recv(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("Firefox closed the connection")
        return data

    def call(self, name, params=None):
        msg = json.dumps([0, self.next_id, name, params or {}]).encode()
        self.next_id += 1
        self.sock.sendall(str(len(msg)).encode() + b":" + msg)
        _, _, error, result = self._read()
        if error:
            raise RuntimeError(f"{name}: {error}")
        return result


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    url, shot = sys.argv[1], sys.argv[2]
    width, height = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (1280, 2200)
    firefox = shutil.which("firefox-esr") or shutil.which("firefox")
    if not firefox:
        print("firefox-esr is not installed (apt-get install firefox-esr)")
        return 2
    profile = tempfile.mkdtemp(prefix="chokepoint-firefox-")
    port = 2828 + os.getpid() % 1000
    with open(os.path.join(profile, "user.js"), "w") as f:
        f.write(f'user_pref("marionette.port", {port});\n')
    env = dict(os.environ, HOME=profile, MOZ_HEADLESS="1")
    proc = subprocess.Popen([firefox, "--headless", "--marionette", "--no-remote", "--profile", profile],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        m = Marionette(port)
        m.call("WebDriver:NewSession", {"capabilities": {}})
        m.call("WebDriver:SetWindowRect", {"width": width, "height": height})
        m.call("WebDriver:Navigate", {"url": url})
        shown = ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            shown = m.call("WebDriver:ExecuteScript", {"script": "return document.body.innerText;", "args": []})["value"]
            if "Treasury" in shown:
                break
            time.sleep(0.25)
        png = m.call("WebDriver:TakeScreenshot", {"full": True})["value"]
        with open(shot, "wb") as f:
            f.write(base64.b64decode(png))
        agent = m.call("WebDriver:ExecuteScript", {"script": "return navigator.userAgent;", "args": []})["value"]
        print(agent)
        print("\n".join(shown.splitlines()[:25]))
        m.call("Marionette:Quit")
        return 0 if "Treasury" in shown else 1
    finally:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
