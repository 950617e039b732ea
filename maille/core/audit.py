"""Writing the audit log (services call `record` inside their transaction)."""

from .models import AuditEntry


def record(actor, action: str, target, **data) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data,
    )
