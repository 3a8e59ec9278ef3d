"""Issue 15, "proven by": a bounded crawl over the pages each demo role reaches, fa and en:
no 5xx, the right lang/dir, and on Persian pages no Latin-script UI words outside an
allowlist, no Gregorian dates and identifiers with their own characters.

Bounded for CI on two cores: one page per URL pattern and at most LIMIT pages per role
and language (the patterns, not all 3,500 pages)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.helpers.crawl import LATIN_WORD, crawl, pattern_of, persian_page_problems

pytestmark = pytest.mark.django_db

LIMIT = 45
# English still shown on Persian pages, each a known gap of issue 15 point 7 (codes and
# names stored once in English): the crawl fails on any word not
# here, so nothing new slips in; remove words as they are translated.
KNOWN_ENGLISH: set[str] = {
    "connect", "acct",  # the vendor form's hint: a Stripe Connect account id (acct_…)
    "elasticsearch",  # the search engine's name, on the search dashboard (a name, not a UI word)
}
# Pages whose English is known and being reworked elsewhere: skipped for the Latin and
# identifier checks only (status, lang/dir and links are still checked). Remove them as they land.
KNOWN_PAGES: dict[str, str] = {}
ROLES = {
    "anonymous": ["/{lang}/", "/{lang}/shop/", "/{lang}/services/", "/{lang}/help/", "/{lang}/vendors/apply/"],
    "customer": ["/{lang}/shop/accounts/", "/{lang}/services/jobs/", "/{lang}/account/", "/{lang}/shop/basket/"],
    "vendor": ["/{lang}/dashboard/seller/", "/{lang}/dashboard/"],
    "provider": ["/{lang}/dashboard/services/provider/"],
    "operator": ["/{lang}/dashboard/services/", "/{lang}/dashboard/", "/{lang}/dashboard/seller/vendors/"],
    "finance": ["/{lang}/dashboard/payments/", "/{lang}/dashboard/seller/vendors/"],
    "agent": ["/{lang}/dashboard/support/", "/{lang}/"],
    # The senior agent works the escalated tickets the agents hand over.
    "senior": ["/{lang}/dashboard/support/", "/{lang}/dashboard/support/?team=senior", "/{lang}/"],
    "editor": ["/{lang}/"],
    # The partner-office clerk (Kelardasht) files errands and orders goods at the counter.
    "clerk": ["/{lang}/dashboard/offices/", "/{lang}/"],
    "admin": ["/{lang}/dashboard/", "/{lang}/dashboard/orders/"],
    # The other demo logins seed_demo prints: a second vendor's own login, a partner office
    # in another city, and the referral demo's customers (gift points in every state).
    "vendor-pars-tools": ["/{lang}/dashboard/seller/", "/{lang}/dashboard/"],
    "clerk-tehran": ["/{lang}/dashboard/offices/"],
    "neda": ["/{lang}/account/points/", "/{lang}/shop/accounts/"],
    "kaveh": ["/{lang}/account/points/"],
    "parisa": ["/{lang}/account/points/"],
}


def _run(client, role: str, language: str):
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))
    starts = [start.format(lang=language) for start in ROLES[role]]
    return crawl(client, starts, language, limit=LIMIT)


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_role_reaches_answers_in_its_language(client, role, language):
    result = _run(client, role, language)
    assert len(result.pages) > 1
    errors = [(page.path, page.status) for page in result.pages if page.status >= 500]
    assert errors == []
    # A link the role was shown must not refuse it (point 13: links to 403 are hidden).
    refused = [page.path for page in result.pages if page.status == 403]
    assert refused == []
    # The "skip to content" link has its #main target on every page (point 12).
    assert [page.path for page in result.pages if page.skip_link_broken] == []
    wrong = [
        (page.path, page.lang, page.dir) for page in result.pages
        if page.lang is not None and (page.lang, page.dir) != (language, "rtl" if language == "fa" else "ltr")
    ]
    assert wrong == []


def _data_words() -> set[str]:
    """Names and codes the demo data itself holds (users, vendors, products, vouchers):
    they may be Latin on a Persian page; UI words may not."""
    from oscar.core.loading import get_model

    words: set[str] = set()
    texts: list[str] = []
    for user in get_user_model().objects.all():
        texts += [user.first_name, user.last_name, user.username, user.email]
    # Vendors' names are not here: a Persian page shows a vendor's Persian name (issue 15 point 7).
    texts += [str(code) for code in get_model("partner", "Partner").objects.values_list("code", flat=True)]
    for title, title_en, upc in get_model("catalogue", "Product").objects.values_list("title", "title_en", "upc"):
        texts += [title or "", title_en or "", upc or ""]
    texts += [str(code) for code in get_model("voucher", "Voucher").objects.values_list("code", flat=True)]
    texts += [str(name) for name in get_model("offer", "ConditionalOffer").objects.values_list("name", flat=True)]
    for model in (get_model("order", "ShippingAddress"), get_model("address", "UserAddress")):
        # What customers typed in their addresses (the product page names the visitor's region).
        for address in model.objects.all():
            texts += [address.line1, address.line4, address.state, address.first_name, address.last_name]
    from services_catalog.models import Provider
    from vendors.models import VendorApplication, WarrantyClaim

    texts += list(Provider.objects.values_list("display_name", flat=True))
    for application in VendorApplication.objects.all():
        texts += [application.company_name, application.company_name_en, application.contact_name, application.email]
    texts += list(WarrantyClaim.objects.values_list("description", flat=True))
    from search.models import Synonym

    # Synonym groups tie the words customers type in either language together (fridge, یخچال).
    texts += list(Synonym.objects.values_list("terms", flat=True))
    for text in texts:
        words.update(word.lower() for word in LATIN_WORD.findall(text or ""))
    return words


@pytest.mark.parametrize("role", list(ROLES))
def test_persian_pages_have_no_gregorian_dates_no_broken_identifiers_and_no_new_english(client, role):
    result = _run(client, role, "fa")
    allowed = _data_words() | KNOWN_ENGLISH
    found = {"latin": {}, "gregorian": {}, "mixed": {}}
    for page in result.pages:
        if not page.text or pattern_of(page.path.split("?")[0]) in KNOWN_PAGES:
            continue
        for kind, items in persian_page_problems(page).items():
            for item in items:
                if kind == "latin" and item.lower() in allowed:
                    continue
                found[kind].setdefault(item, page.path)
    assert found == {"latin": {}, "gregorian": {}, "mixed": {}}


def test_the_crawl_covers_every_login_seed_demo_prints():
    """Every role login seed_demo prints, and at least one login of each app demo that adds
    its own (vendors, offices, referrals), is crawled above."""
    import importlib

    from core.management.commands.seed_demo import DEMO_APPS
    from core.management.commands.seed_demo import ROLES as DEMO_ROLES

    crawled = set(ROLES)
    missing = sorted(username for username, _superuser, _where in DEMO_ROLES.values() if username not in crawled)
    for app in DEMO_APPS:
        module = importlib.import_module(f"{app}.demo") if importlib.util.find_spec(f"{app}.demo") else None
        app_logins = [email.split("@")[0] for email, _password, _where in getattr(module, "logins", list)()]
        if app_logins and not crawled & set(app_logins):
            missing.append(f"{app}: one of {app_logins}")
    assert missing == []
