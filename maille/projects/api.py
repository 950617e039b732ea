"""API of projects for the organisations and people allowed to see them (session authentication).

The list is `selectors.projects_visible_to` (the rule of `perms.can_view_project`, as one query) with each project's
status derived from its referrals; it carries no personal data. The detail adds the holder's contact only when
`perms.can_view_holder_contact` allows it. A project one may not see is a 404, as if it did not exist — except for an
organisation whose referrals on it were declined or expired: it knew the project, it gets a 403 saying why.
"""

from django.urls import re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from . import perms, privacy, selectors
from .models import Project


class AccessLost(APIException):
    """403 with its reason (a plain `PermissionDenied` gets the generic message of `maille.api.errors`)."""

    status_code = 403
    default_code = "access_lost"
    default_detail = _lazy(
        "Votre structure n'a plus accès à ce dossier : sa mise en relation a été déclinée ou a expiré."
    )


class CommuneRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField(source="name")


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    stage = serializers.CharField()
    needs = serializers.ListField(child=serializers.CharField())
    legal_form = serializers.CharField()
    commune = CommuneRefSerializer()
    status = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_status(self, project) -> str:
        # The referrals are prefetched: no query per project.
        return selectors.status_from_referral_statuses([r.status for r in project.referrals.all()]).value


class HolderSerializer(serializers.Serializer):
    name = serializers.CharField(source="holder_name")
    email = serializers.EmailField(source="holder_email")
    phone = serializers.CharField(source="holder_phone")


class ProjectDetailSerializer(ProjectSerializer):
    description = serializers.CharField()
    holder = serializers.SerializerMethodField()

    def get_holder(self, project) -> dict | None:
        if not perms.can_view_holder_contact(self.context["request"].user, project):
            return None
        return HolderSerializer(project).data


def _projects(user):
    return selectors.projects_visible_to(user).select_related("commune").prefetch_related("referrals")


@extend_schema(tags=["projets"], summary="Les projets que je peux voir")
class ProjectListView(ListAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return _projects(self.request.user).order_by("-created_at", "-pk")


@extend_schema(tags=["projets"], summary="Un projet (coordonnées du porteur si elles sont partagées)")
class ProjectDetailView(APIView):
    serializer_class = ProjectDetailSerializer

    def get(self, request, pk: int):
        project = (
            Project.objects.select_related("commune").prefetch_related("referrals").filter(pk=pk).first()
        )
        if project is not None and perms.has_lost_access(request.user, project):
            raise AccessLost()
        if project is None or not perms.can_view_project(request.user, project):
            raise NotFound(_("Projet introuvable."))
        data = ProjectDetailSerializer(project, context={"request": request}).data
        if data["holder"] is not None:
            privacy.log_view(request.user, project, "api")
        return Response(data)


urlpatterns = [
    re_path(r"^projects/?$", ProjectListView.as_view(), name="api-projects"),
    re_path(r"^projects/(?P<pk>[0-9]+)/?$", ProjectDetailView.as_view(), name="api-project"),
]
