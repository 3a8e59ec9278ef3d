"""Issue 15 point 9: our Persian catalogues against the glossary (docs/fa-glossary.md).

One word for one thing: no msgstr of ours uses a variant the glossary rules out, and the
translation in effect for each of Oscar's own messages does not either; every msgstr keeps
its msgid's placeholders; no English is left in a msgstr outside names and codes; plural
entries have Persian's two forms; and one msgid reads the same in every catalogue (Django
merges them, so only one of two translations would ever reach a page)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    path for path in ROOT.glob("**/locale*/fa/LC_MESSAGES/django.po") if ".venv" not in path.parts
)
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdirf]|%[sdirf]|\{[a-z_]*\}")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
# Latin a msgstr may keep: names, formats and codes the Persian text quotes as they are.
LATIN_ALLOWED = {
    "stripe", "connect", "acct_", "signature", "stripe_webhook_secret", "pdf", "jpeg", "jpg", "png", "webp", "gif",
    "iban", "ir", "sku", "upc", "api", "qr", "iso", "elasticsearch", "mailto", "tel", "attributeoption",
    "fridge", "refrigerator",  # the synonym example: the words customers type in English
    "nv", "fg",  # the example Stripe account id acct_1Nv0FG…
    "json",  # a format, like pdf
}
# HTTP headers and API fields an API error names: the client must send them spelt exactly so.
HTTP_HEADER = re.compile(r"\b(?:Content-Length|Idempotency-Key|file_index|document_files|page_size|page)\b")
# Oscar's strings a role sees are read against the glossary too; these msgids are Oscar's and
# are ruled by the glossary's "(ours)" marks only where they are our own.


def _glossary() -> tuple[dict[str, str], dict[str, str]]:
    """(variant -> term) for every catalogue, and for our catalogues only (`(ours)`)."""
    everywhere: dict[str, str] = {}
    ours_only: dict[str, str] = {}
    table = (ROOT / "docs/fa-glossary.md").read_text(encoding="utf-8")
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("Term", "") or set(cells[0]) <= {"-"}:
            continue
        for variant in filter(None, (part.strip() for part in cells[2].split(";"))):
            if variant.endswith("(ours)"):
                ours_only[variant.removesuffix("(ours)").strip()] = cells[0]
            else:
                everywhere[variant] = cells[0]
    return everywhere, ours_only


def _entries():
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                yield path.relative_to(ROOT).as_posix(), entry


def _texts(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_the_glossary_is_read():
    everywhere, _ours_only = _glossary()
    assert "چهارسو" in everywhere and "ثبات" in everywhere and "محصول" in everywhere


def test_no_msgstr_of_ours_uses_a_variant_the_glossary_rules_out():
    everywhere, ours_only = _glossary()
    forbidden = everywhere | ours_only
    found = [
        (path, entry.msgid[:60], variant, forbidden[variant])
        for path, entry in _entries()
        for text in _texts(entry)
        for variant in forbidden
        if variant in text
    ]
    assert found == []


def test_the_persian_in_effect_for_oscars_messages_uses_the_glossary_terms():
    """Oscar's own catalogue said «ثبات» (stability) for Register and «داشبورد»; what
    reaches the page is Oscar's, or ours in locale_oscar/ where we override it."""
    import oscar
    from django.utils import translation
    from django.utils.translation import gettext, ngettext, pgettext

    everywhere, _ours_only = _glossary()
    shipped = polib.pofile(str(Path(oscar.__file__).parent / "locale/fa/LC_MESSAGES/django.po"))
    found = []
    with translation.override("fa"):
        for entry in shipped:
            if entry.obsolete:
                continue
            if entry.msgid_plural:
                text = ngettext(entry.msgid, entry.msgid_plural, 2)
            elif entry.msgctxt:
                text = pgettext(entry.msgctxt, entry.msgid)
            else:
                text = gettext(entry.msgid)
            found += [(entry.msgid[:60], variant) for variant in everywhere if variant in text]
    assert found == []


def test_every_msgstr_keeps_the_placeholders_of_its_msgid():
    broken = []
    for path, entry in _entries():
        wanted = sorted(set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or ""))))
        for text in _texts(entry):
            if text and sorted(set(PLACEHOLDER.findall(text))) != wanted:
                broken.append((path, entry.msgid[:60], wanted, PLACEHOLDER.findall(text)))
    assert broken == []


def test_no_english_is_left_in_a_msgstr_and_none_is_empty():
    problems = []
    for path, entry in _entries():
        for text in _texts(entry):
            if not text.strip() and entry.msgid.strip():
                problems.append((path, entry.msgid[:60], "empty"))
            quoted = r"<[^>]+>|https?://\S+|" + HTTP_HEADER.pattern + "|" + PLACEHOLDER.pattern
            words = LATIN_WORD.findall(re.sub(quoted, " ", text))
            left = sorted({word for word in words if word.lower() not in LATIN_ALLOWED})
            if left:
                problems.append((path, entry.msgid[:60], left))
        if "fuzzy" in entry.flags:
            problems.append((path, entry.msgid[:60], "fuzzy"))
    assert problems == []


def test_every_catalogue_declares_persian_and_its_two_plural_forms():
    problems = []
    for path in CATALOGUES:
        catalogue = polib.pofile(str(path))
        header = (catalogue.metadata.get("Language"), catalogue.metadata.get("Plural-Forms"))
        if header != ("fa", "nplurals=2; plural=(n > 1);"):
            problems.append((path.relative_to(ROOT).as_posix(), header))
        for entry in catalogue:
            if entry.msgid_plural and (sorted(entry.msgstr_plural) != [0, 1] or not all(entry.msgstr_plural.values())):
                problems.append((path.relative_to(ROOT).as_posix(), entry.msgid[:60], dict(entry.msgstr_plural)))
    assert problems == []


def test_one_msgid_reads_the_same_in_every_catalogue():
    senses: dict[tuple, dict[str, str]] = defaultdict(dict)
    for path, entry in _entries():
        if not entry.msgid_plural:
            senses[(entry.msgctxt, entry.msgid)][path] = entry.msgstr
    # One English word with two senses gets a context (pgettext, `{% translate ... context %}`).
    differing = {
        key: translations for key, translations in senses.items() if len(set(translations.values())) > 1
    }
    assert differing == {}
