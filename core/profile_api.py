"""The signed-in user's own profile."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

User = get_user_model()


class ProfileSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    # A6: the code that identifies the customer on the phone and on forms; A5: their tier.
    subscription_code = serializers.CharField(source="profile.subscription_code", read_only=True)
    tier = serializers.CharField(source="profile.tier", read_only=True)
    phone = serializers.CharField(source="profile.phone", read_only=True, allow_null=True)
    preferred_language = serializers.CharField(source="profile.preferred_language", read_only=True)

    class Meta:
        model = User
        fields = [
            "id", "username", "email", "first_name", "last_name", "date_joined", "roles",
            "subscription_code", "tier", "phone", "preferred_language",
        ]
        read_only_fields = ["id", "username", "email", "date_joined", "roles"]

    def get_roles(self, user) -> list[str]:
        roles = sorted(user.groups.values_list("name", flat=True))
        if user.is_staff:
            roles.append("staff")
        if user.is_superuser:
            roles.append("superuser")
        return roles


class ProfileView(generics.RetrieveUpdateAPIView):
    """Read your profile (subscription code, tier, phone) or update your own name.

    Email and username change through the account pages; phone and language on /<lang>/account/.
    """

    serializer_class = ProfileSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return User.objects.select_related("profile").get(pk=self.request.user.pk)
