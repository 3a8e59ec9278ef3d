"""Oscar's partner edit view, saving the English name with the Persian one."""

from __future__ import annotations

from typing import Any

from oscar.apps.dashboard.partners.views import *  # noqa: F403 (Oscar's get_class looks here for every view)
from oscar.apps.dashboard.partners.views import PartnerManageView as OscarPartnerManageView


class PartnerManageView(OscarPartnerManageView):
    def get_initial(self) -> dict[str, Any]:
        return {**super().get_initial(), "name_en": self.partner.name_en}

    def form_valid(self, form: Any) -> Any:
        self.partner.name_en = form.cleaned_data["name_en"].strip()
        # Oscar's form_valid saves the partner with its name; name_en rides along.
        return super().form_valid(form)
