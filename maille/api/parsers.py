"""Request body parsers of the API: JSON that cannot crash the parser.

Python's JSON decoder recurses once per nesting level: a body of a thousand `[` raises `RecursionError`, which DRF
does not catch (a 500). Bodies nested deeper than `MAX_DEPTH` are refused before decoding, and a `RecursionError`
that slips through is a 400 too. Numbers too large for a float (`1e400`, decoded as infinity) and NaN/Infinity
literals are refused as well: they crashed the `int()` of the services (found by the fuzzing).
"""

import json
import math

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 64


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, outside strings, in one pass without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode((parser_context or {}).get("encoding") or "utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(_("Le corps de la requête n'est pas un texte UTF-8.")) from exc
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(
                _("Le corps de la requête est imbriqué trop profondément (%(max)s niveaux au plus).")
                % {"max": MAX_DEPTH}
            )
        try:
            return json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
        except RecursionError as exc:
            raise ParseError(_("Le corps de la requête est imbriqué trop profondément.")) from exc
        except ValueError as exc:
            raise ParseError(_("Le corps de la requête n'est pas un JSON valide.")) from exc


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ParseError(_("Le corps de la requête contient un nombre trop grand."))
    return value


def _no_constant(name: str):
    raise ParseError(
        _("Le corps de la requête contient une valeur %(name)s, qui n'est pas du JSON.") % {"name": name}
    )
