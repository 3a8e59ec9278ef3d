"""The content API (issue 17 point 4): Wagtail's page API at /api/v1/cms/pages/, in the
reader's language, with absolute addresses, answers `{code, detail}` on refusals, a
route by slug, and described in the OpenAPI schema.

Why Wagtail's API, described, rather than DRF content endpoints of our own: the page
representation has one source, the page models' `api_fields` and each block's
`get_api_representation` (cms.blocks). Wagtail's viewset is itself a DRF view, so this
module subclasses it, adds what apps need and documents it with `extend_schema`; nothing
serialises a page a second way. The schema describes the common shape (id, meta, title)
and every page type's fields as optional members of one `ContentPage` object.

Language: `?locale=fa|en` when given, else the request's language (Accept-Language),
for the listing and the slug route; a page's id is one language's page, and `?locale=`
on the detail route answers its translation in that language.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Locale, Page

from cms.api_blocks import PageBodyField
from cms.api_representations import absolute
from core.staff_api import error_responses
from services_catalog.api.catalogue import ServiceSerializer


class SiteHtmlUrlField(PageHtmlUrlField):
    """The page's address on the public site, built on SITE_URL (not the Site record's
    host, which is whatever an editor typed)."""

    def to_representation(self, page: Page) -> str | None:
        url = page.get_url(request=None, current_site=None)
        if url is None:
            return None
        # A relative path (one site) or an absolute URL (several): our public site either way.
        return absolute(url) if url.startswith("/") else url


class ContentPageSerializer(PageSerializer):
    html_url = SiteHtmlUrlField(read_only=True)


# ------------------------------------------------------------------ the schema's description
class ContentPageMetaSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="The page type, e.g. cms.HomePage, cms.HelpArticlePage")
    detail_url = serializers.CharField(help_text="This page in the API (absolute)")
    html_url = serializers.CharField(allow_null=True, help_text="This page on the site (absolute, on SITE_URL)")
    slug = serializers.CharField()
    first_published_at = serializers.DateTimeField(allow_null=True)
    locale = serializers.CharField(help_text="fa or en")
    show_in_menus = serializers.BooleanField(required=False)
    seo_title = serializers.CharField(required=False, allow_blank=True)
    search_description = serializers.CharField(required=False, allow_blank=True)
    parent = serializers.JSONField(required=False, allow_null=True, help_text="The parent page (id, meta, title)")
    alias_of = serializers.JSONField(required=False, allow_null=True)


class CategorySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField()
    api_url = serializers.CharField()


class ContentPageDocSerializer(serializers.Serializer):
    """One page. Listings carry id, meta and title unless `fields` asks for more; the
    detail carries every field of the page's type."""

    id = serializers.IntegerField()
    meta = ContentPageMetaSerializer()
    title = serializers.CharField()
    hero_title = serializers.CharField(required=False)
    hero_text = serializers.CharField(required=False, allow_blank=True)
    hero_link_text = serializers.CharField(required=False, allow_blank=True)
    hero_link_url = serializers.CharField(required=False, allow_blank=True)
    intro = serializers.CharField(required=False, allow_blank=True, help_text="Text or HTML, by page type")
    summary = serializers.CharField(required=False)
    body = PageBodyField(required=False)
    category = CategorySummarySerializer(required=False, allow_null=True)
    service = ServiceSerializer(required=False, allow_null=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        ref_name = "ContentPage"


CONTENT_PAGE_LIST = inline_serializer("ContentPageList", {
    "meta": inline_serializer("ContentPageListMeta", {"total_count": serializers.IntegerField()}),
    "items": ContentPageDocSerializer(many=True),
})
LOCALE = OpenApiParameter("locale", str, enum=["fa", "en"],
                          description="The language; default: the request's (Accept-Language)")
FIELDS = OpenApiParameter("fields", str, description="Extra fields, e.g. * (all of the type's fields), or -title")
TYPE = OpenApiParameter("type", str, description="Only pages of this type, e.g. cms.HelpArticlePage")


# ------------------------------------------------------------------ the endpoint
class ContentPagesAPIViewSet(PagesAPIViewSet):
    base_serializer_class = ContentPageSerializer

    @classmethod
    def get_urlpatterns(cls):
        return [
            *super().get_urlpatterns(),
            path("slug/<str:slug>/", cls.as_view({"get": "slug_view"}), name="by-slug"),
        ]

    def get_queryset(self):
        queryset = super().get_queryset()
        explicit = "locale" in self.request.GET or "translation_of" in self.request.GET
        if self.action in ("listing_view", "slug_view") and not explicit:
            # The reader's language when they did not name one.
            queryset = queryset.filter(locale__language_code=get_language())
        return queryset

    def handle_exception(self, exc):
        # Our API's error shape (core.api), not Wagtail's {"message"}.
        if isinstance(exc, Http404):
            return Response({"code": "not_found", "detail": _("No such page.")}, status=status.HTTP_404_NOT_FOUND)
        if isinstance(exc, BadRequestError):
            return Response({"code": "invalid", "detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="cms_pages_list", tags=["cms"],
        parameters=[
            LOCALE, TYPE, FIELDS,
            OpenApiParameter("slug", str, description="Only the page(s) with this slug"),
            OpenApiParameter("child_of", int, description="Only the children of this page"),
            OpenApiParameter("descendant_of", int, description="Only pages under this page"),
            OpenApiParameter("search", str, description="Words to search for"),
            OpenApiParameter("order", str, description="A field to order by, e.g. title or -first_published_at"),
            OpenApiParameter("limit", int, description="At most this many (default 20)"),
            OpenApiParameter("offset", int),
        ],
        responses={200: CONTENT_PAGE_LIST, **error_responses(400, 404)},
    )
    def listing_view(self, request: Request) -> Response:
        """Published pages in the reader's language."""
        return super().listing_view(request)

    @extend_schema(
        operation_id="cms_pages_retrieve", tags=["cms"],
        parameters=[
            OpenApiParameter("locale", str, enum=["fa", "en"],
                             description="Answer this page's translation in that language"),
            FIELDS,
        ],
        responses={200: ContentPageDocSerializer, **error_responses(400, 404)},
    )
    def detail_view(self, request: Request, pk: int) -> Response:
        """One page with every field of its type, blocks resolved."""
        code = request.GET.get("locale")
        if code:
            page = Page.objects.filter(pk=pk).first()
            locale = Locale.objects.filter(language_code=code).first()
            translation = page.get_translation_or_none(locale) if page is not None and locale is not None else None
            if translation is None:
                raise Http404
            pk = translation.pk
            self.kwargs["pk"] = pk
        return super().detail_view(request, pk)

    @extend_schema(
        operation_id="cms_pages_by_slug", tags=["cms"], parameters=[LOCALE, TYPE, FIELDS],
        responses={200: ContentPageDocSerializer, **error_responses(400, 404)},
    )
    def slug_view(self, request: Request, slug: str) -> Response:
        """The page with this slug in the reader's language (help articles, terms, landing
        pages), with every field of its type; `type` narrows it when slugs repeat."""
        queryset = self.filter_queryset(self.get_queryset()).filter(slug=slug).order_by("path")
        page = queryset.first()
        if page is None:
            raise Http404
        self._cached_object = page.specific
        return Response(self.get_serializer(self._cached_object).data)
