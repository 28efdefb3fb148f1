"""Every message a citizen or clerk reads has its Chinese translation, and English is complete."""

from __future__ import annotations

import polib

from zwfw.core import i18n_tools


def test_every_msgid_in_the_code_has_a_chinese_translation():
    missing = i18n_tools.untranslated()
    assert missing == [], "run scripts/i18n after adding the Chinese to zwfw/locale/_pending/*.json"


def test_english_catalog_is_complete():
    en = polib.pofile(str(i18n_tools.LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    zh = polib.pofile(str(i18n_tools.LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert {e.msgid for e in zh} <= {e.msgid for e in en if e.translated() or e.msgid_plural}


def test_pages_speak_chinese_by_default_and_english_on_request(client):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Please log in first.") != "Please log in first."
    with translation.override("en"):
        assert translation.gettext("Please log in first.") == "Please log in first."
