"""The grader sheds secret-looking variables before it runs student code (grader/secret_env.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from grader.secret_env import secret_names

PROBE = """
import ctypes, os
from grader.secret_env import shed_secrets
shed_secrets()
initial = open('/proc/self/environ', 'rb').read()
print(initial.count(b'fake-secret'), 'GITHUB_TOKEN' in os.environ, 'KEEP_ME' in os.environ,
      ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))
"""


def test_secret_looking_names_are_recognised():
    env = {"GITHUB_TOKEN": "", "AWS_SECRET_ACCESS_KEY": "", "ACTIONS_ID_TOKEN_REQUEST_URL": "", "DB_PASSWORD": "",
           "OPENAI_API_KEY": "", "PATH": "", "HOME": "", "GITHUB_ENV": "", "GITHUB_STEP_SUMMARY": "", "LANG": ""}
    assert secret_names(env) == ["ACTIONS_ID_TOKEN_REQUEST_URL", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD",
                                 "GITHUB_TOKEN", "OPENAI_API_KEY"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and calls prctl (Linux)")
def test_the_process_restarts_without_them_and_is_not_dumpable():
    env = {**os.environ, "GITHUB_TOKEN": "fake-secret", "KEEP_ME": "1"}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "False", "True", "0"]
