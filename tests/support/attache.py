"""Runs the attache binary for the Python tests.

A Server starts the binary on a free port of 127.0.0.1 with --access-log=false
and any further flags given (args), without the caller's ATTACHE_* variables
(so the defaults are what a test sees), and waits until it answers /healthz.
stop() sends SIGTERM and returns the exit status.

    sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
    from attache import Server
"""
import hashlib
import os
import shutil
import socket
import subprocess
import time
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def clean_env():
    """The environment without ATTACHE_* settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith("ATTACHE_")}


def writes_files(work, token, name, data=None):
    """A copy of the data (default: the shipped dataset) and a tokens file for token,
    named name, in the directory work: returns their paths, for --data and --tokens."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(work, "data.json")
    tokens = os.path.join(work, "tokens")
    shutil.copy(data or os.path.join(root, "data", "vilnius-2023.json"), path)
    with open(tokens, "w") as f:
        f.write("%s %s\n" % (name, hashlib.sha256(token.encode()).hexdigest()))
    return path, tokens


class Server:
    def __init__(self, binary, cwd=None, timeout=10, args=(), env=None):
        """args: more flags; env: variables added to the clean environment."""
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        environ = clean_env()
        environ.update(env or {})
        self.proc = subprocess.Popen([binary, "--port", str(self.port), "--access-log=false"] + list(args),
                                     cwd=cwd, env=environ, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.time() + timeout
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    self.proc.kill()
                    raise RuntimeError("the server did not start: %s" % self.stderr())
                time.sleep(0.05)

    def stderr(self):
        return self.proc.stderr.read().decode(errors="replace")

    def kill(self):
        """SIGKILL, as a crash would."""
        self.proc.kill()
        self.proc.wait()

    def stop(self, timeout=15):
        """SIGTERM; the exit status, or "killed after N s" if it did not stop."""
        self.proc.terminate()
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return "killed after %d s" % timeout
