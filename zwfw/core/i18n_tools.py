"""Message-catalog maintenance: extract, merge pending translations, compile, check.

English msgids in the code; ``zwfw/locale/zh_Hans`` carries the Chinese, ``zwfw/locale/en`` the
English catalog (msgstr = msgid). Used by ``scripts/i18n`` and by the completeness test.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "zwfw" / "locale"
PENDING = LOCALE / "_pending"
IGNORE = [".venv/*", "var/*", "bench/*", "tests/*", "*/tests/*", "node_modules/*", "test-artifacts/*"]


def _setup_django() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")
    django.setup()


def extract(target: Path, *, root: Path = ROOT) -> None:
    """Run makemessages for zh_Hans and en over ``root`` into ``target`` (a locale directory)."""
    import os

    from django.core.management import call_command
    from django.test.utils import override_settings

    cwd = os.getcwd()
    os.chdir(root)
    try:
        with override_settings(LOCALE_PATHS=[str(target)]):
            call_command(
                "makemessages",
                locale=["zh_Hans", "en"],
                ignore_patterns=IGNORE,
                no_obsolete=True,
                no_location=True,
                verbosity=0,
            )
    finally:
        os.chdir(cwd)


def pending_translations() -> dict[str, str]:
    """Every msgid -> Chinese pair waiting in ``_pending/*.json``."""
    merged: dict[str, str] = {}
    for path in sorted(PENDING.glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def refresh() -> None:
    """Extract into the real catalogs, merge the pending Chinese, fill English, compile."""
    _setup_django()
    extract(LOCALE)
    pending = pending_translations()
    zh = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = []
    for entry in zh:
        if entry.msgid in pending and (not entry.translated() or "fuzzy" in entry.flags):
            entry.msgstr = pending[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        if entry.msgid_plural:
            continue
        if not entry.msgstr:
            missing.append(entry.msgid)
    zh.metadata["Language"] = "zh_Hans"
    zh.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    zh.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    zh.save()
    en = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    for entry in en:
        if not entry.msgid_plural:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    en.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    en.save()
    from django.core.management import call_command

    call_command("compilemessages", locale=["zh_Hans", "en"], verbosity=0)
    if missing:
        print("msgids without Chinese (add them to zwfw/locale/_pending/*.json):", file=sys.stderr)
        for msgid in missing:
            print(f"  {msgid}", file=sys.stderr)
        raise SystemExit(1)
    print(f"catalogs refreshed: {len(zh)} messages, all translated")


def untranslated() -> list[str]:
    """Msgids the code uses that the committed zh_Hans catalog does not translate."""
    with tempfile.TemporaryDirectory() as tmp:
        # makemessages writes next to the sources (zwfw/locale), so extract from a copy.
        copy = Path(tmp)
        shutil.copytree(
            ROOT / "zwfw",
            copy / "zwfw",
            ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "tests"),
        )
        target = copy / "zwfw" / "locale"
        target.mkdir()
        extract(target, root=copy)
        fresh = {e.msgid for e in polib.pofile(str(target / "zh_Hans" / "LC_MESSAGES" / "django.po"))}
    committed = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    done = {e.msgid for e in committed if e.translated() and "fuzzy" not in e.flags}
    return sorted(fresh - done)


if __name__ == "__main__":
    if sys.argv[1:] == ["refresh"]:
        refresh()
    else:
        print("usage: python -m zwfw.core.i18n_tools refresh", file=sys.stderr)
        raise SystemExit(2)
