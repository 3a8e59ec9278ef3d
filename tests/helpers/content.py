"""A small CMS tree for tests that run without the demo: home pages in fa and en with a
product shelf and a service shelf, the help centre with one article, and the terms, built
the way `seed_demo` builds them (cms.demo)."""

from __future__ import annotations

from wagtail.models import Locale, Page, Site

from cms.demo import home_page
from cms.models import HelpArticlePage, HelpIndexPage, HomePage, TermsPage
from core import demo_content as content
from core.management.commands.seed_demo import Command as SeedCommand

translate = SeedCommand.translate


def build_content(*, products=(), services=()) -> dict[str, Page]:
    """The pages by name ("home_fa", "home_en", "article_fa", "article_en", "terms_fa", …)."""
    fa, _ = Locale.objects.get_or_create(language_code="fa")
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:  # a flushed database (transactional tests) lost Wagtail's root: plant it
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=fa, live=True))
    for page in root.get_children():
        if type(page.specific) is Page:
            page.delete()
    root = Page.get_first_root_node()
    pages: dict[str, Page] = {}
    home = home_page("fa", fa, list(products))
    home.body.append(("services", {"heading": "خدمات", "services": list(services)}))
    pages["home_fa"] = root.add_child(instance=home)
    pages["home_fa"].save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost", port=80,
                                                                       is_default_site=True)
    site.root_page = pages["home_fa"]
    site.save()
    home_en = home_page("en", en, list(products))
    home_en.body.append(("services", {"heading": "Services", "services": list(services)}))
    pages["home_en"] = translate(pages["home_fa"], en, home_en)
    help_fa = pages["home_fa"].add_child(instance=HelpIndexPage(title="راهنما", slug="help", locale=fa))
    help_fa.save_revision().publish()
    translate(help_fa, en, HelpIndexPage(title="Help", slug="help"))
    article = content.HELP_ARTICLES[0]
    title, summary, body = article["fa"]
    pages["article_fa"] = help_fa.add_child(instance=HelpArticlePage(
        title=title, slug=article["slug"], summary=summary, body=body, locale=fa))
    pages["article_fa"].save_revision().publish()
    title, summary, body = article["en"]
    pages["article_en"] = translate(pages["article_fa"], en, HelpArticlePage(
        title=title, slug=article["slug"], summary=summary, body=body))
    title, body = content.TERMS["fa"]
    pages["terms_fa"] = pages["home_fa"].add_child(instance=TermsPage(title=title, slug="terms", body=body, locale=fa))
    pages["terms_fa"].save_revision().publish()
    title, body = content.TERMS["en"]
    pages["terms_en"] = translate(pages["terms_fa"], en, TermsPage(title=title, slug="terms", body=body))
    assert HomePage.objects.count() == 2
    return pages
