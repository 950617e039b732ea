"""API of referrals for organisations (session authentication): list, accept, decline, close.

Each item says how the organisation was told: `delivery: {channel, recipients}` (resolved once at creation).

Only the referrals a user may see are listed or found (others are 404); answering needs
`perms.can_answer_referral` (403). Bad input is a 400 with a French message per field and nothing written; a referral
someone else answered first is a 409 with the French message of `services.TransitionError`.
"""

from django.urls import re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from maille.api.params import QueryParams

from . import perms, selectors, services
from .enums import DeliveryChannel, Outcome, ReferralStatus


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DeliverySerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=DeliveryChannel.choices,
        source="delivery_channel",
        allow_blank=True,
        help_text="Vide pour une mise en relation dont l'acheminement n'a pas été enregistré.",
    )
    recipients = serializers.ListField(child=serializers.EmailField(), source="delivery_recipients")


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    project = RefSerializer()
    offer = RefSerializer()
    organisation = RefSerializer()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    message = serializers.CharField()
    decline_reason = serializers.CharField()
    outcome = serializers.CharField()
    outcome_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    delivery = DeliverySerializer(source="*")

    def get_expires_at(self, referral) -> str | None:
        if referral.status != ReferralStatus.PENDING:
            return None
        return serializers.DateTimeField().to_representation(
            selectors.due_dates(referral.created_at)["expiry"]
        )

    def get_url(self, referral) -> str:
        return reverse("referrals:detail", args=[referral.pk])


def _required(message: str) -> dict:
    return {"required": message, "blank": message, "null": message}


class DeclineBody(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        error_messages={
            **_required(gettext_lazy("Indiquez le motif du refus : le porteur de projet le recevra.")),
            "invalid": gettext_lazy("Le motif doit être un texte."),
            "max_length": gettext_lazy("Le motif est limité à 2 000 caractères."),
        },
    )


class CloseBody(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        error_messages={
            **_required(
                gettext_lazy("Indiquez l'issue de l'accompagnement : helped, no_help ou unreachable.")
            ),
            "invalid_choice": gettext_lazy(
                "Issue inconnue « {input} » : choisissez parmi helped, no_help ou unreachable."
            ),
        },
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        error_messages={
            "invalid": gettext_lazy("Le commentaire doit être un texte."),
            "max_length": gettext_lazy("Le commentaire est limité à 2 000 caractères."),
        },
    )


@extend_schema(
    tags=["mises en relation"],
    summary="Les mises en relation de mes structures",
    parameters=[OpenApiParameter("status", str, enum=ReferralStatus.values)],
)
class ReferralListView(ListAPIView):
    serializer_class = ReferralSerializer

    def get_queryset(self):
        params = QueryParams(self.request.query_params)
        wanted = params.choice("status", ReferralStatus)
        params.check()
        queryset = selectors.referrals_visible_to(self.request.user)
        if wanted:
            queryset = queryset.filter(status=wanted)
        return selectors.with_related(queryset).order_by("-created_at", "-pk")


class AnswerView(APIView):
    """POST an answer to one referral; subclasses say which body they read and which service they call."""

    body_serializer: type[serializers.Serializer] | None = None
    error_statuses = (409,)

    def get_referral(self, pk: int):
        referral = (
            selectors.with_related(selectors.referrals_visible_to(self.request.user)).filter(pk=pk).first()
        )
        if referral is None:
            raise NotFound(_("Mise en relation introuvable."))
        if not perms.can_answer_referral(self.request.user, referral):
            raise PermissionDenied()
        return referral

    def read_body(self) -> dict:
        data = self.request.data  # a body that is not JSON raises ParseError → 400
        if self.body_serializer is None:
            return {}
        if not hasattr(data, "get"):
            raise ValidationError({"body": [_("Envoyez un objet JSON.")]})
        body = self.body_serializer(data=data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def answer(self, referral, user, body: dict):
        raise NotImplementedError

    def post(self, request, pk: int):
        referral = self.get_referral(pk)
        body = self.read_body()
        try:
            self.answer(referral, request.user, body)
        except services.TransitionError as exc:
            return Response({"detail": exc.message, "status": exc.status}, status=status.HTTP_409_CONFLICT)
        return Response(ReferralSerializer(referral).data)


_answer_responses = {
    200: ReferralSerializer,
    400: OpenApiResponse(description="Corps invalide : un message par champ, rien n'est modifié"),
    403: OpenApiResponse(description="Non authentifié, ou pas membre de la structure sollicitée"),
    404: OpenApiResponse(description="Mise en relation introuvable"),
    409: OpenApiResponse(description="Déjà traitée (par exemple par un autre membre de la structure)"),
}


@extend_schema(tags=["mises en relation"], summary="Accepter", request=None, responses=_answer_responses)
class AcceptView(AnswerView):
    def answer(self, referral, user, body):
        services.accept(referral, user)


@extend_schema(
    tags=["mises en relation"],
    summary="Décliner (motif obligatoire)",
    request=DeclineBody,
    responses=_answer_responses,
)
class DeclineView(AnswerView):
    body_serializer = DeclineBody

    def answer(self, referral, user, body):
        services.decline(referral, user, body["reason"])


@extend_schema(
    tags=["mises en relation"],
    summary="Clôturer avec une issue",
    request=CloseBody,
    responses=_answer_responses,
)
class CloseView(AnswerView):
    body_serializer = CloseBody

    def answer(self, referral, user, body):
        services.close(referral, user, body["outcome"], body.get("note", ""))


urlpatterns = [
    re_path(r"^referrals/?$", ReferralListView.as_view(), name="api-referrals"),
    re_path(r"^referrals/(?P<pk>[0-9]+)/accept/?$", AcceptView.as_view(), name="api-referral-accept"),
    re_path(r"^referrals/(?P<pk>[0-9]+)/decline/?$", DeclineView.as_view(), name="api-referral-decline"),
    re_path(r"^referrals/(?P<pk>[0-9]+)/close/?$", CloseView.as_view(), name="api-referral-close"),
]
