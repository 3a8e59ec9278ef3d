"""A real IMAP server for the support desk's mail tests: Debian's Dovecot (package
`dovecot-imapd`), started in a temporary directory with its own configuration on a free
port: plain login without TLS, one static password for any user, Maildir storage.

Nothing is installed here: CI installs the package (.ci/run). Without it the tests skip
with the reason, unless CHAARSOO_REQUIRE_DOVECOT is set (CI), where that is a failure."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "support-test-pass"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_uid = {user}
mail_gid = {group}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


@dataclass
class ImapServer:
    host: str
    port: int
    password: str
    root: Path

    def settings(self, user: str) -> dict:
        return {"host": self.host, "port": self.port, "user": user, "password": self.password, "ssl": False}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_dovecot(root: Path) -> tuple[ImapServer, subprocess.Popen]:
    if not os.path.exists(DOVECOT):
        message = "Dovecot is not installed (apt-get install dovecot-imapd)"
        if os.environ.get("CHAARSOO_REQUIRE_DOVECOT"):
            pytest.fail(message)
        pytest.skip(message)
    # Dovecot refuses to run mail processes as root: use the package's own users when we are root.
    if os.getuid() == 0:
        user, group = "dovecot", "dovecot"
    else:
        user = pwd.getpwuid(os.getuid()).pw_name
        group = user
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    for sub in ("mail", "home"):
        os.chmod(root / sub, 0o777)
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port, password=PASSWORD, user=user, group=group))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            pytest.fail(f"Dovecot exited: {output}\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                if conn.recv(100).startswith(b"* OK"):
                    return ImapServer("127.0.0.1", port, PASSWORD, root), process
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("Dovecot did not start listening in 20 s")


def stop_dovecot(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
