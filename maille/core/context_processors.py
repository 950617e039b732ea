"""Values every template may use: the platform's name, the region it serves, what the menu shows the user."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject


def platform(request):
    user = getattr(request, "user", None)

    def is_network_member() -> bool:
        # Evaluated only when a template asks (one query, for signed-in users).
        return bool(user and user.is_authenticated and (user.is_staff or user.memberships.exists()))

    return {
        "platform_name": settings.MAILLE_PLATFORM_NAME,
        "region_code": settings.MAILLE_REGION_CODE,
        "is_network_member": SimpleLazyObject(is_network_member),
    }
