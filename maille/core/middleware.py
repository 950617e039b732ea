"""Security headers every response carries (the content security policy; Django sets the others)."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        # The API documentation page (Swagger UI) needs its own inline bootstrap; everything else is strict.
        if policy and not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", policy)
        return response
