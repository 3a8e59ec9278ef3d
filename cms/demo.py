"""Demo pages for `manage.py seed_demo`: the home page with a product shelf, the help
centre with its articles, the terms, and the category landing pages, in Persian with
English translations linked to them. Skipped when a home page exists."""

from __future__ import annotations

from django.db import transaction
from oscar.core.loading import get_model
from wagtail.models import Locale, Page, Site

from cms.models import ContactPage, HelpArticlePage, HelpIndexPage, HomePage, LandingPage, TermsPage
from cms.permissions import grant_editors_publish
from core import demo_content as content

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")


def seed(command) -> None:
    with transaction.atomic():
        seed_pages(command)
        seed_contact_page(command)
        # Editors edit and publish the tree (a flushed database lost the grant with its root).
        grant_editors_publish()


def seed_pages(command) -> None:
    if HomePage.objects.exists():
        return
    fa, _ = Locale.objects.get_or_create(language_code="fa")
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        # Wagtail's migrations create the tree's root; a flushed database (a test
        # that truncated every table) has none, so plant it again.
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=fa, live=True))
    # Wagtail's placeholder "Welcome" page goes; our home page takes its place.
    for page in root.get_children().filter(locale=fa):
        if type(page.specific) is Page:
            page.delete()
    root = Page.get_first_root_node()

    products = list(Product.objects.filter(upc__startswith="CHS").order_by("upc")[:8])
    home_fa = root.add_child(instance=home_page("fa", fa, products))
    home_fa.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home_fa
    site.site_name = "Chaarsoo"
    site.save()
    home_en = command.translate(home_fa, en, home_page("en", en, products))

    del home_en  # children are translated one by one below, linked to their sources
    help_fa = home_fa.add_child(
        instance=HelpIndexPage(title=content.HOME["fa"]["help_title"], slug="help",
                               intro=content.HOME["fa"]["help_intro"], locale=fa)
    )
    help_fa.save_revision().publish()
    command.translate(
        help_fa, en, HelpIndexPage(title=content.HOME["en"]["help_title"], slug="help",
                                   intro=content.HOME["en"]["help_intro"])
    )
    for article in content.HELP_ARTICLES:
        title, summary, body = article["fa"]
        page_fa = help_fa.add_child(
            instance=HelpArticlePage(title=title, slug=article["slug"], summary=summary, body=body, locale=fa)
        )
        page_fa.save_revision().publish()
        title, summary, body = article["en"]
        command.translate(page_fa, en, HelpArticlePage(title=title, slug=article["slug"], summary=summary, body=body))

    title, body = content.TERMS["fa"]
    terms_fa = home_fa.add_child(instance=TermsPage(title=title, slug="terms", body=body, locale=fa))
    terms_fa.save_revision().publish()
    title, body = content.TERMS["en"]
    command.translate(terms_fa, en, TermsPage(title=title, slug="terms", body=body))

    for landing in content.LANDING_PAGES:
        category = Category.objects.get(slug=landing["category"])
        shelf_products = list(
            Product.objects.filter(categories=category, upc__startswith="CHS").order_by("upc")[:6]
        )
        pages = {}
        for language in ("fa", "en"):
            title, intro, shelf = landing[language]
            pages[language] = LandingPage(
                title=title,
                slug=landing["slug"],
                intro=intro,
                category=category,
                body=[("products", {"heading": shelf, "products": shelf_products})],
            )
        pages["fa"].locale = fa
        landing_fa = home_fa.add_child(instance=pages["fa"])
        landing_fa.save_revision().publish()
        command.translate(landing_fa, en, pages["en"])

CONTACT = {
    "fa": ("تماس با ما", "<p>پرسش یا مشکلی دارید؟ از راه‌های زیر با پشتیبانی چارسو در تماس باشید. "
           "درخواست را هر ساعتی می‌توانید ثبت کنید؛ همکاران ما در ساعت‌های کاری پاسخ می‌دهند.</p>"),
    "en": ("Contact us", "<p>A question or a problem? Reach Chaarsoo support in any of these ways. "
           "You can file a request at any hour; our people answer during the hours below.</p>"),
}


def seed_contact_page(command) -> None:
    """The contact page (A4) in Persian with its English translation; skipped when one exists."""
    home_fa = HomePage.objects.filter(locale__language_code="fa").first()
    if home_fa is None or ContactPage.objects.exists():
        return
    en, _ = Locale.objects.get_or_create(language_code="en")
    title, intro = CONTACT["fa"]
    contact_fa = home_fa.add_child(instance=ContactPage(
        title=title, slug="contact", intro=intro, phone="021-91000000", email="support@chaarsoo.example",
        locale=home_fa.locale))
    contact_fa.save_revision().publish()
    title, intro = CONTACT["en"]
    command.translate(contact_fa, en, ContactPage(title=title, slug="contact", intro=intro,
                                                  phone="021-91000000", email="support@chaarsoo.example"))


def home_page(language: str, locale, products) -> HomePage:
    text = content.HOME[language]
    return HomePage(
        title=text["title"],
        # Both home pages sit under Wagtail's root, so their slugs must differ.
        slug="home" if language == "fa" else f"home-{language}",
        locale=locale,
        hero_title=text["hero_title"],
        hero_text=text["hero_text"],
        hero_link_text=text["hero_link_text"],
        hero_link_url=f"/{language}/shop/",
        body=[
            ("products", {"heading": text["shelf"], "products": products}),
            (
                "call_to_action",
                {
                    "title": text["cta_title"],
                    "text": text["cta_text"],
                    "link_text": text["cta_link"],
                    "link_url": f"/{language}/help/",
                },
            ),
        ],
    )

