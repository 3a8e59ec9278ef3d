"""persian_digits_in_html skips what cannot change inside one regex scan (issue 16); it must
answer exactly what the tag-by-tag implementation it replaced answered, for every input.

`reference` below is that implementation, copied as it was (with its own regexes; the
text converter it called is unchanged and imported), and the tests compare the two on
hand-written edge cases and on a few thousand seeded random strings built from the pieces
that matter.
"""

from __future__ import annotations

import random
import re

import pytest

# The text converter did not change: the reference passes its runs of text to the same one.
from core.middleware import _TextConverter, persian_digits_in_html

# ---- the reference: persian_digits_in_html before issue 16's scan, unchanged ----

_TOKEN = re.compile(
    r"(?P<raw><(?P<raw_name>script|style|textarea|pre|code)\b.*?</(?P=raw_name)\s*>)"
    r"|(?P<tag><(?P<closing>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)\b[^>]*>|<[^>]*>)"
    r"|(?P<entity>&#?[0-9A-Za-z]+;)",
    re.S | re.I,
)
_DIR_LTR = re.compile(r"""\sdir\s*=\s*(["']?)ltr\1(?=[\s/>])""", re.I)
_VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_MAY_CHANGE = re.compile("[0-9\u06f0-\u06f9\u2066\u2069]")


def reference(html: str) -> str:
    out: list[str] = []
    copied = 0
    text_start = 0
    kept_element = ""
    kept_depth = 0
    convert = _TextConverter()
    may_change = _MAY_CHANGE.search
    dir_ltr = _DIR_LTR.search
    for token in _TOKEN.finditer(html):
        start, end = token.span()
        if not kept_depth:
            if start > text_start and may_change(html, text_start, start):
                out.append(html[copied:text_start])
                out.append(convert(html[text_start:start]))
                copied = start
            if token.lastgroup == "tag" and html[start + 1] != "/" and dir_ltr(html, start, end):
                name = (token.group("name") or "").lower()
                if name and name not in _VOID_ELEMENTS and not html.startswith("/>", end - 2):
                    kept_element, kept_depth = name, 1
        elif token.lastgroup == "tag":
            name = (token.group("name") or "").lower()
            if name == kept_element and name not in _VOID_ELEMENTS and not html.startswith("/>", end - 2):
                kept_depth += -1 if token.group("closing") else 1
        text_start = end
    if not kept_depth and may_change(html, text_start):
        out.append(html[copied:text_start])
        out.append(convert(html[text_start:]))
        copied = len(html)
    out.append(html[copied:])
    return "".join(out)


# ---- hand-written edge cases ----

EDGE_CASES = [
    "",
    "12",
    "1.5",
    "a 1.5 b 2.25.7 c 3. .4 ۱.۲ 1.۲ ٣.٤",
    "٣٤ only Arabic digits",
    "٣٤ and 5",
    "12 before <b>3</b> after 45",
    "<p>€ 12.50</p><a href='/v1.2/'>v 1.2</a>",
    "1.<b>5</b> 2<i>.</i>3",
    '<a href="/p/12/" data-x="3">Item 12 &#x27;x&#39;</a><script>var a = 5;</script><input value="1"> 45',
    "&#39;1&amp;2&#x27;3&#12;4&12;&12 5&;6&x7 &ſ;8 &#;9",
    "1&#46;2 1&period;2",
    # dir="ltr" elements, nested, of the same and different names
    '<div dir="ltr">1<div>2</div>3</div>4',
    '<div dir="ltr">1<div dir="ltr">2</div>3</div>4</div>5',
    '<div dir="ltr">1<span>2</span><div>3<div>4</div></div>5</div>6',
    '<span dir="ltr">1<div>2</span>3</div>4',
    '<bdi dir="ltr">1</bdi>2<bdi dir=ltr>3</bdi>4<bdi dir=\'ltr\'>5</bdi>6',
    '<DIV DIR="LTR">1<div>2</DIV>3</Div>4</div>5',
    '<div dir="ltr">1</div >2</div>3',
    '<div dir="ltr">1<div/>2</div>3',
    '<div dir="ltr">1<div dir="ltr"/>2</div>3',
    '<div dir="ltr"/>1</div>2',
    '<div dir="ltr">never closed 1 <b>2</b>',
    '<td dir=ltr><span>pi_kmnmpoV3VDdy0S</span> <span>x2</span></td><td>5</td>',
    # void elements with dir="ltr"
    '<br dir="ltr">1<br>2</br>3',
    '<input dir="ltr" value="1"> 10',
    '<img dir="ltr" src="1.png">2<img>3',
    '<div dir="ltr"><div>IR12 3456</div><br>8</div>9<input dir="ltr" value="1"> 10',
    # attributes: digits, > -free values, dir spelled oddly
    '<a title=" dir=ltr ">1</a>2',
    '<a data-dir="ltr">1</a>2<a xdir="ltr">3</a>',
    '<a dir = "ltr" >1</a>2<a\ndir="ltr"\n>3</a>4<a\tdir=ltr>5</a>6',
    '<a dir="ltr>1</a>2<a dir=ltr">3</a>4<a dir="ltr\'>5</a>6',
    '<a dir="rtl">1</a><a dir="ltrx">2</a><a dir="ltr"x>3</a>4',
    '<a dir=ltr/>1</a>2',
    '<a- dir=ltr>1</a->2</a>3',
    '<a_b dir=ltr>1</a_b>2',
    '<h1 dir=ltr>1<h1>2</h1>3</h1>4',
    "<ſpan dir=ltr>1</span>2</ſpan>3",
    '<span dır="ltr">1</span>2',
    '<span dİr="ltr">1</span>2',
    '< dir="ltr">1</>2',
    '<html lang="fa" dir="rtl"><body><main dir="rtl">12 <span data-dir="ltr">3</span></main></body></html>',
    # raw blocks
    "<script>1</script>2<style>3</style>4<textarea>5</textarea>6<pre>7</pre>8<code>9</code>10",
    "<SCRIPT>1</script >2<Script type='x'>3</SCRIPT\n>4",
    "<script>if (a </scrip 1) 2</script>3",
    "<script>1</scrip",
    "<script>1 2 3",
    "<script>a</script>b</script>5",
    "<scripts>1</scripts>2<prefix>3</prefix>4<code-x>5</code>6<pre-x>7</pre-x>8",
    "<ſcript>1</script>2</ſcript>3",
    "<script>1</ſcript>2</script>3",
    "<pre dir='ltr'>1</pre>2",
    "<pre dir='ltr'>1<pre>2",
    "<code dir=ltr>1</code>2<code dir=ltr>3",
    '<div dir="ltr"><script>"</div>"</script>1</div>2',
    '<div dir="ltr"><pre></div></pre>1</div>2',
    # comments and "<" that starts no tag
    "<!-- 12 -->3<!-- <b> -->4<!-- <script> -->5</script>6",
    "<!DOCTYPE html>1<?xml 2?>3",
    "a < 5 and b > 3, 6",
    "1 < 2",
    "1 <2 <3",
    "<<1>>2<>3</>4",
    "x > 1 < y",
    "5 &lt; 6 &gt; 7",
    '<a title="<script>">1</a>2</script>3',
    '<a title="<b dir=ltr>">1</a>2</b>3',
    # isolate marks, across tags and runs
    "\u2066J-9D&lt;5\u2069 12",
    "<title>\u2066J-9D<5\u2069 12</title>",
    "\u20661 <b>2</b> 3\u2069 4 <i>5</i>",
    "\u20661<b>2\u2069</b>3",
    "1\u2069 2 \u20663\u2066 4\u2069 5",
    '<span dir="ltr">\u2066</span>1 2',
    '\u2066<span dir="ltr">\u2069</span>1 2\u2069 3',
    "<a title='\u20661'>2</a>3",
    "<script>\u2066</script>1",
    "1.\u20662 3\u2069.4 5.6",
    # text before the first tag and after the last
    "1 <b>x</b> 2",
    "x <b>1</b>",
    "<b>1</b> 2 3.4",
    "\n  12\n",
    "۱۲ ۳.۴",
    "۳.<b>۴</b>",
]


@pytest.mark.parametrize("html", EDGE_CASES)
def test_the_scan_answers_as_the_tag_by_tag_implementation_did(html):
    assert persian_digits_in_html(html) == reference(html)


def test_the_edge_cases_do_change_something():
    # The comparison above would pass for two functions that both did nothing.
    changed = sum(reference(html) != html for html in EDGE_CASES)
    assert changed > len(EDGE_CASES) // 2


# ---- seeded random strings ----

PIECES = [
    # tags
    "<a>", "</a>", "<div>", "</div>", "<DIV>", "</DIV >", "<span>", "</span>", "<b>", "</b>",
    '<div dir="ltr">', "<div dir=ltr>", "<DIV DIR='LTR'>", '<span dir="ltr">', "<bdi dir=ltr>", "</bdi>",
    '<a dir="ltr" href="/p/1/">', "<td dir=ltr>", "</td>", '<div dir="ltr"/>', "<div/>", "<a dir=ltr/>",
    '<br dir="ltr">', "<br>", '<img dir="ltr" src="2.png">', '<input dir=ltr value="3">',
    '<p data-dir="ltr">', '<p title=" dir=ltr ">', '<html dir="rtl">', '<a dir="ltr>', "<a- dir=ltr>",
    "<a_b dir=ltr>", "<ſpan dir=ltr>", "</ſpan>", "<x\ndir\n=\n'ltr'\n>", '<a href="/p/12/">',
    "<!-- 12 -->", "<!-- <b dir=ltr> -->", "<!DOCTYPE html>", "</>", "<>", "< dir=ltr>",
    # raw blocks and their pieces
    "<script>", "</script>", "</scrip", "</SCRIPT >", "<style>", "</style>", "<textarea>", "</textarea>",
    "<pre>", "</pre>", "<code>", "</code>", "<pre dir=ltr>", "<code-x>", "<prefix>", "<scripts>", "<ſcript>",
    # text
    "1", "12", "3.45", ".", "۱", "۱.۲", "٣", "x", "سری", " ", "\n", "<", ">", "/", "/>", "&", ";", "#",
    "&amp;", "&#39;", "&#x27;", "&#12;", "&12", "&ſ;", "\u2066", "\u2069", "dir", " dir=ltr ", "=", '"', "'",
    "ltr", "İ", "ı",
]
CHARS = list("<>/&;#=\"' \nxdirltDIRLT1.2۳٤\u2066\u2069-_sc") + ["script", "pre", "dir", "ltr"]


def random_html(rng: random.Random, pieces: list[str], longest: int) -> str:
    return "".join(rng.choice(pieces) for _ in range(rng.randrange(longest + 1)))


def test_the_scan_answers_as_before_on_random_tag_soup():
    rng = random.Random(16)
    differences = []
    for _ in range(6000):
        html = random_html(rng, PIECES, 40)
        if persian_digits_in_html(html) != reference(html):
            differences.append(html)
    assert differences == []


def test_the_scan_answers_as_before_on_random_characters():
    rng = random.Random(1616)
    differences = []
    for _ in range(6000):
        html = random_html(rng, CHARS, 30)
        if persian_digits_in_html(html) != reference(html):
            differences.append(html)
    assert differences == []


def test_the_digit_table_maps_every_other_character_to_itself():
    # core.text lists the characters of a Persian page in its table, mapped to themselves
    # (translate is faster when it finds them): the answer is the plain table's.
    from core.text import ARABIC_DIGITS, ASCII_DIGITS, PERSIAN_DIGITS, to_persian_digits

    plain = str.maketrans(ASCII_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)
    every_character = "".join(map(chr, range(0x30000)))
    assert to_persian_digits(every_character) == every_character.translate(plain)
