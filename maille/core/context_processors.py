"""Values every template may use: the platform's name and the region it serves."""

from django.conf import settings


def platform(request):
    return {"platform_name": settings.MAILLE_PLATFORM_NAME, "region_code": settings.MAILLE_REGION_CODE}
