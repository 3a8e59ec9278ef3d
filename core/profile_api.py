"""The signed-in user's own profile."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

User = get_user_model()


class ProfileSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "date_joined", "roles"]
        read_only_fields = ["id", "username", "email", "date_joined", "roles"]

    def get_roles(self, user) -> list[str]:
        roles = sorted(user.groups.values_list("name", flat=True))
        if user.is_staff:
            roles.append("staff")
        if user.is_superuser:
            roles.append("superuser")
        return roles


class ProfileView(generics.RetrieveUpdateAPIView):
    """Read or update your own name. Email and username change through the account pages."""

    serializer_class = ProfileSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user
