"""No secret is committed: private keys, cloud keys, credentials in URLs, key files, secret literals.

The scan reads every file git tracks (the working tree when git is absent), so a key pasted into
a doc, a fixture or a script fails CI. Test passwords of throwaway users are not secrets; a literal
is only flagged when it is assigned to a setting-like name outside tests and benchmarks, and the one public
demo password is declared below.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SKIP_PARTS = {".git", ".venv", "var", "node_modules", "test-artifacts", "__pycache__"}
BINARY_SUFFIXES = {".png", ".jpg", ".jpeg", ".pdf", ".ttf", ".otf", ".woff", ".woff2", ".mo", ".ico", ".gz"}

# Printed by scripts/demo on purpose: every demo account shares it, and the demo refuses to load
# under production settings.
PUBLIC_LITERALS = {"zwfw-demo-2026"}

PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "Django insecure key": re.compile(r"django-insecure-"),
    "credentials in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@\"'`]+:[^/\s@\"'`]+@(?!host\b)"),
    "Fernet key": re.compile(r"[\"'][A-Za-z0-9_-]{43}=[\"']"),
    "secret literal": re.compile(
        r"^(?!.*\bdef\b)\s*[A-Z_]*(SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE_KEY|HASH_KEY|ENCRYPTION_KEY)[A-Z_]*"
        r"\s*[:=]\s*[\"']([^\"'\s$][^\"'\s]{5,})[\"']"  # a literal, not a $(command) or ${VAR}
    ),
}
KEY_FILE_SUFFIXES = {".pem", ".key", ".p12", ".pfx", ".env", ".sqlite3"}


def _tracked_files() -> list[Path]:
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "ls-files", "-z"],  # noqa: S607 - git from PATH
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        return [ROOT / name for name in out.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        return [p for p in ROOT.rglob("*") if p.is_file() and not SKIP_PARTS & set(p.relative_to(ROOT).parts)]


def _scan(path: Path, text: str) -> list[str]:
    found = []
    parts = path.relative_to(ROOT).parts
    # Tests and benchmarks create throwaway accounts in their own databases.
    in_tests = "tests" in parts or parts[0] == "bench"
    for number, line in enumerate(text.splitlines(), 1):
        for name, pattern in PATTERNS.items():
            match = pattern.search(line)
            if not match:
                continue
            if name == "secret literal" and (in_tests or match.group(2) in PUBLIC_LITERALS):
                continue
            found.append(f"{path.relative_to(ROOT)}:{number}: {name}")
    return found


def test_no_secret_is_committed() -> None:
    files = _tracked_files()
    assert len(files) > 100, "the scan found too few files to be meaningful"
    problems = []
    for path in files:
        if path == Path(__file__).resolve() or not path.exists() or path.suffix in BINARY_SUFFIXES:
            continue
        if path.suffix in KEY_FILE_SUFFIXES:
            problems.append(f"{path.relative_to(ROOT)}: key or environment file is tracked")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        problems.extend(_scan(path, text))
    assert not problems, "possible secrets in the repository:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "line",
    [
        "-----BEGIN RSA PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----",
        "aws = 'AKIAIOSFODNN7EXAMPLE'",
        "SECRET_KEY = 'django-insecure-abc'",
        "DATABASE_URL=postgres://zwfw:hunter22@db.example.cn:5432/zwfw",
        "KEY = 'vYx2Tq1Y6f0Yb3c5d7e9g1h3j5k7m9n1p3r5t7v9x1Z='",
        'ZWFW_SECRET_KEY = "a1b2c3d4e5f6g7"',
        "    NATIONAL_PLATFORM_TOKEN: 'tok-123456'",
    ],
)
def test_the_scan_catches_each_kind_of_secret(line: str) -> None:
    assert _scan(ROOT / "zwfw" / "settings.py", line)


@pytest.mark.parametrize(
    "line",
    [
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test",
        "`postgres://user:pass@host:5432/zwfw`",
        'ZWFW_SECRET_KEY = env.str("ZWFW_SECRET_KEY")',
        'DEMO_PASSWORD = "zwfw-demo-2026"',
        "def password_reset(token: str = 'abcdefgh'):",
        'ZWFW_SECRET_KEY="$(secret)" \\',
    ],
)
def test_the_scan_lets_documented_placeholders_through(line: str) -> None:
    assert not _scan(ROOT / "zwfw" / "settings.py", line)
