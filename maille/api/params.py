"""Query-parameter parsing shared by every API list: each bad value gets a French message under its own name."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from maille.core.tabular import choices_text
from maille.territories.selectors import resolve_commune

MAX_QUERY_LENGTH = 100
TRUE_VALUES = {"1", "true", "oui", "yes"}
FALSE_VALUES = {"0", "false", "non", "no"}


def is_number(text: str) -> bool:
    """Only ASCII digits: `str.isdigit()` also accepts « ² » or « ٣ », which `int()` refuses (a 500)."""
    return text.isascii() and text.isdigit()


class QueryParams:
    """Collects the errors of all parameters, then `check()` raises one 400 listing them all."""

    def __init__(self, params):
        self.params = params
        self.errors: dict[str, list[str]] = {}

    def _raw(self, name: str) -> str:
        return self.params.get(name, "").strip()

    def choice(self, name: str, enum) -> str:
        value = self._raw(name)
        if value and value not in enum.values:
            self.errors[name] = [
                _("Valeur inconnue « %(value)s » : choisissez parmi %(values)s.")
                % {"value": value, "values": choices_text(enum)}
            ]
            return ""
        return value

    def text(self, name: str) -> str:
        value = self._raw(name)
        if len(value) > MAX_QUERY_LENGTH:
            self.errors[name] = [_("La recherche est limitée à %(n)d caractères.") % {"n": MAX_QUERY_LENGTH}]
            return ""
        return value

    def boolean(self, name: str) -> bool | None:
        value = self._raw(name).lower()
        if not value:
            return None
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        self.errors[name] = [_("Indiquez true ou false.")]
        return None

    def commune(self, name: str = "commune"):
        code = self._raw(name)
        if not code:
            return None
        commune = resolve_commune(code) if len(code) == 5 else None
        if commune is None:
            self.errors[name] = [_("Aucune commune n'a le code INSEE « %(code)s ».") % {"code": code}]
        return commune

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
