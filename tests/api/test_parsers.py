"""JSON bodies that would crash the parser are a French 400 on every JSON endpoint, even anonymously."""

import pytest

from maille.api.parsers import MAX_DEPTH, nesting_depth

DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/orientation",
        "/api/v1/orientation/",
        "/api/v1/referrals/1/decline",
        "/api/v1/strategy/actions",
    ],
)
def test_a_deeply_nested_body_is_a_400_not_a_500(client, path, db):
    response = client.post(path, DEEP, content_type="application/json")
    assert response.status_code in (400, 403)  # 403: an endpoint that needs an account refuses before parsing
    if response.status_code == 400:
        body = response.json()
        assert "imbriqué trop profondément" in body["errors"]["body"][0]


def test_the_orientation_endpoint_refuses_a_deep_body_with_a_french_message(client, db):
    response = client.post("/api/v1/orientation", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["body"] == [
        "Le corps de la requête est imbriqué trop profondément (64 niveaux au plus)."
    ]


def test_nesting_depth_ignores_brackets_inside_strings():
    assert nesting_depth('{"a": "[[[[[["}') == 1
    assert nesting_depth('[{"a": [1, {"b": "\\"[["}]}]') == 4
    assert nesting_depth("[" * (MAX_DEPTH + 1)) == MAX_DEPTH + 1


def test_a_body_that_is_not_utf8_is_a_400(client, db):
    response = client.post("/api/v1/orientation", b"\xff\xfe{}", content_type="application/json")
    assert response.status_code == 400
