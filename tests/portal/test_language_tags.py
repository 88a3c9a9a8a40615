"""Marking texts shown in another language than the reader's."""

from __future__ import annotations

from django.utils import translation

from portal.templatetags.language_tags import with_lang


def test_a_plain_text_in_a_known_other_language_is_marked():
    with translation.override("de"):
        assert with_lang("Online", "en") == '<span lang="en">Online</span>'


def test_a_plain_text_of_unknown_language_is_left_unmarked():
    # An imported credential's value such as "blended" is not a language code.
    with translation.override("en"):
        assert with_lang("blended") == "blended"
        assert with_lang("blended", "") == "blended"
