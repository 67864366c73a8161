"""A `herd serve` on a free loopback port for the browser scripts and benchmarks: start it, log in as root, publish
a clip. Used by p2p_share.py and Benchmarks/web/web_bench.py."""
import json
import os
import socket
import subprocess
import time
import urllib.parse
import urllib.request


class HerdServer:
    def __init__(self, binary, work, password, **settings):
        os.makedirs(work, exist_ok=True)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        self.base = f"http://127.0.0.1:{port}"
        self.password = password
        env = dict(os.environ, HERD_STORAGE_DIR=work + "/storage", HERD_LISTEN_HOSTNAME="127.0.0.1",
                   HERD_LISTEN_PORT=str(port), HERD_WEBSERVER_HOSTNAME="127.0.0.1", HERD_WEBSERVER_PORT=str(port),
                   HERD_ROOT_PASSWORD=password, HERD_P2P_SEEDER_PORT="0", HERD_LOG_LEVEL="warning", **settings)
        self.process = subprocess.Popen([binary, "serve"], env=env, stdout=open(work + "/herd.log", "w"),
                                        stderr=subprocess.STDOUT, cwd=work)
        for _ in range(100):
            try:
                self.call("/api/v1/config")
                break
            except Exception:
                time.sleep(0.1)

    def call(self, path, data=None, token=None):
        request = urllib.request.Request(self.base + path, data=data)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def token(self):
        client = self.call("/api/v1/oauth-clients/local")
        return self.call("/api/v1/users/token", urllib.parse.urlencode({
            "client_id": client["client_id"], "client_secret": client["client_secret"], "grant_type": "password",
            "username": "root", "password": self.password}).encode())["access_token"]

    def publish(self, clip, name, timeout=600):
        """Uploads `clip` to root's channel and waits until it is published; returns its UUID."""
        token = self.token()
        channel = self.call("/api/v1/users/me", token=token)["videoChannels"][0]["id"]
        out = subprocess.run(["curl", "-sf", "-H", "Authorization: Bearer " + token,
                              self.base + "/api/v1/videos/upload", "-F", f"videofile=@{clip}", "-F", f"name={name}",
                              "-F", f"channelId={channel}"], capture_output=True, check=True)
        uuid = json.loads(out.stdout)["video"]["uuid"]
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.call(f"/api/v1/videos/{uuid}", token=token)["state"]["id"] == 1:
                return uuid
            time.sleep(0.2)
        raise TimeoutError(f"{uuid} was not published within {timeout} s")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
