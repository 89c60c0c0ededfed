"""Shapes of the account part of the API: tokens and the session (for the OpenAPI document)."""

from fieldapp.schemas import ApiSchema, Items, Mapping, Object, Text, UserOut, When


class TokenRequest(ApiSchema):
    username = Text(required=True)
    password = Text(required=True, metadata={"format": "password"})
    device_name = Text(required=True, metadata={"description": "e.g. “Điện thoại Redmi của Lan”"})


class TokenOut(ApiSchema):
    id = Text(required=True)
    device_name = Text(required=True)
    created_at = When(required=True)
    last_used_at = When(allow_none=True, required=True)
    revoked_at = When(allow_none=True, required=True)


class TokenCreated(TokenOut):
    token = Text(required=True, metadata={
        "description": "Shown once. Send it as `Authorization: Bearer <token>`, never in a URL."})


class TokenList(ApiSchema):
    tokens = Items(Object(TokenOut), required=True)
    next = Text(allow_none=True, required=True,
                metadata={"description": "The `cursor` of the next page; null on the last."})


class SessionOut(ApiSchema):
    user = Object(UserOut, required=True)
    csrf_token = Text(allow_none=True, required=True, metadata={
        "description": "For a browser session: send it as X-CSRFToken on writes. Null with a "
                       "bearer token."})
    at = When(required=True, metadata={"description": "The server's clock, to spot a phone's "
                                                      "wrong one."})


class Problem(ApiSchema):
    title = Text(required=True)
    detail = Text(required=True)
    errors = Mapping(keys=Text(), values=Items(Text()), required=True,
                     metadata={"description": "Field path → Vietnamese messages"})
    code = Text(metadata={"description": "A stable reason where a client must act on it: "
                                         "inactive, password, role, csrf (403), decided (409)"})
    error_id = Text(metadata={"description": "An unexpected error's id (500), as in the log"})
