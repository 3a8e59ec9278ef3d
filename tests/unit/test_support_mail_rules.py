"""The mail rules known to break other desks: auto-replies and bounces recognised, the
quoted thread cut from a reply, references read from both headers."""

from __future__ import annotations

import pytest

from support.services.mail_in import parse, strip_quoted


def raw(headers: str, body: str = "Hello") -> bytes:
    return (headers.strip() + "\r\n\r\n" + body).encode()


BASE = "From: Sara <sara@example.com>\r\nTo: support@chaarsoo.example\r\nSubject: Help\r\nMessage-ID: <1@example.com>"


@pytest.mark.parametrize("extra", [
    "Auto-Submitted: auto-replied", "Auto-Submitted: auto-generated", "X-Autoreply: yes", "Precedence: bulk",
    "Precedence: auto_reply", "Precedence: junk", "X-Auto-Response-Suppress: OOF",
])
def test_auto_replies_are_recognised(extra):
    assert parse(raw(f"{BASE}\r\n{extra}")).automatic == "auto-reply"


def test_an_out_of_office_subject_is_an_auto_reply():
    headers = BASE.replace("Subject: Help", "Subject: Out of Office: back Monday")
    assert parse(raw(headers)).automatic == "auto-reply"


@pytest.mark.parametrize("headers", [
    BASE.replace("Sara <sara@example.com>", "MAILER-DAEMON@mx.example.com"),
    BASE.replace("Sara <sara@example.com>", "postmaster@example.com"),
    BASE + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x",
    BASE + "\r\nReturn-Path: <>",
])
def test_bounces_are_recognised(headers):
    assert parse(raw(headers, "--x\r\n\r\nfailed\r\n--x--")).automatic == "bounce"


def test_a_person_writing_is_not_automatic():
    assert parse(raw(BASE + "\r\nAuto-Submitted: no")).automatic == ""


def test_references_come_from_both_headers():
    inbound = parse(raw(BASE + "\r\nIn-Reply-To: <a@x>\r\nReferences: <b@x> <a@x>"))
    assert inbound.references[:1] == ["<a@x>"] and "<b@x>" in inbound.references


def test_the_quoted_thread_and_signature_are_cut():
    text = "Yes please.\r\n\r\nOn Mon, 1 Dec 2026, Chaarsoo wrote:\r\n> old text\r\n"
    assert strip_quoted(text) == "Yes please."
    assert strip_quoted("Fine\n-- \nSara") == "Fine"
    assert strip_quoted("ok\n> quoted\nmore") == "ok\nmore"
