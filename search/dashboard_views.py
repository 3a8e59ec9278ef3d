"""Staff pages of search (ability manage_search): what people ask, what finds nothing,
and the synonym groups both backends apply."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.permissions import Ability, ability_required
from search.models import QueryLog, Synonym
from search.query import forget_synonyms

REPORT_DAYS = 30
REPORT_ROWS = 50


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["terms", "is_active"]

    def clean_terms(self):
        parts = Synonym(terms=self.cleaned_data["terms"]).parts()
        if len(parts) < 2:
            raise forms.ValidationError(_("Give at least two words or phrases, separated by commas."))
        return ", ".join(parts)


def query_report(*, days: int = REPORT_DAYS, rows: int = REPORT_ROWS) -> dict[str, list[dict]]:
    since = clock.now() - timedelta(days=days)
    recent = QueryLog.objects.filter(created__gte=since)
    top = list(recent.values("query").annotate(times=Count("id"), results=Max("results"))
               .order_by("-times", "query")[:rows])
    zero = list(recent.filter(results=0).values("query").annotate(times=Count("id"))
                .order_by("-times", "query")[:rows])
    return {"top": top, "zero": zero}


@ability_required(Ability.MANAGE_SEARCH)
def reports(request: HttpRequest) -> HttpResponse:
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        forget_synonyms()
        messages.success(request, _("The synonyms are saved; searches use them now."))
        return redirect("site_search-dashboard:reports")
    return render(request, "search/dashboard/reports.html", {
        **query_report(), "days": REPORT_DAYS, "form": form, "synonyms": Synonym.objects.all()[:200],
    })


@ability_required(Ability.MANAGE_SEARCH)
@require_POST
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Synonym, pk=pk).delete()
    forget_synonyms()
    messages.success(request, _("The synonym group is deleted."))
    return redirect("site_search-dashboard:reports")
