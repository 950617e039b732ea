"""Base classes shared by the API views of every app."""

from rest_framework.permissions import AllowAny


class PublicMixin:
    """Public read endpoints: anyone, no session or token needed (so no CSRF either)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
