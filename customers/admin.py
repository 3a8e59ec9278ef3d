from django import forms
from django.contrib import admin

from customers.errors import InvalidPhone
from customers.models import CustomerProfile
from customers.services import phone_normalise


class CustomerProfileAdminForm(forms.ModelForm):
    class Meta:
        model = CustomerProfile
        fields = ["phone", "tier", "preferred_language"]

    def clean_phone(self) -> str | None:
        raw = self.cleaned_data.get("phone") or ""
        if not raw.strip():
            return None
        try:
            return phone_normalise(raw)
        except InvalidPhone as exc:
            raise forms.ValidationError(exc.message, code=exc.code)


@admin.register(CustomerProfile)
class CustomerProfileAdmin(admin.ModelAdmin):
    form = CustomerProfileAdminForm
    list_display = ["subscription_code", "user", "phone", "tier", "preferred_language", "created"]
    list_filter = ["tier", "preferred_language"]
    search_fields = ["subscription_code", "phone", "user__email", "user__username", "user__last_name"]
    readonly_fields = ["user", "subscription_code", "created", "updated"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        # Profiles come with their user (post_save), never on their own.
        return False
