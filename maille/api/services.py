"""Issuing and revoking partner tokens (`ApiToken`): the clear key exists only in the return value of `issue_token`."""

import uuid

from django.db import transaction
from django.utils import timezone

from maille.accounts.models import Membership, User
from maille.core.audit import record
from maille.core.tokens import new_token, token_hash

from .models import ApiToken

KEY_PREFIX = "maille_"
TECHNICAL_DOMAIN = "jetons.maille.invalid"


def hash_key(key: str) -> str:
    """What is stored of a key."""
    return token_hash(key)


@transaction.atomic
def issue_token(organisation, role: str, name: str, created_by=None, expires_at=None) -> tuple[ApiToken, str]:
    """A new token for `organisation` with the rights of a member with `role`; returns it and its clear key."""
    key = KEY_PREFIX + new_token()
    user = User.objects.create_user(
        email=f"jeton-{uuid.uuid4().hex}@{TECHNICAL_DOMAIN}",
        password=None,
        first_name="Jeton API",
        last_name=name[:150],
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    token = ApiToken.objects.create(
        organisation=organisation,
        role=role,
        name=name,
        prefix=key[len(KEY_PREFIX) : len(KEY_PREFIX) + 8],
        key_hash=hash_key(key),
        user=user,
        created_by=created_by,
        expires_at=expires_at,
    )
    record(created_by, "api_token.issued", token, organisation=organisation.pk, role=role)
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, by=None) -> ApiToken:
    """The token stops working at once; its technical account is deactivated. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        User.objects.filter(pk=token.user_id).update(is_active=False)
        record(by, "api_token.revoked", token, organisation=token.organisation_id)
    return token


def find_token(key: str) -> ApiToken | None:
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    return ApiToken.objects.select_related("user", "organisation").filter(key_hash=hash_key(key)).first()
