"""OpenAPI fragments of the vendor endpoints: request body, query parameters, responses.

The endpoints parse the raw request themselves (a pydantic model would answer FastAPI's
own 422), so these schemas exist only for the document (and for schemathesis).

>>> sorted(VENDOR_RESPONSES)
[200, 400, 401, 403, 404]
"""

from __future__ import annotations

from typing import Any

from smsp_analytics.sandbox.messages import ACCOUNT_MESSAGES, MESSAGES

__all__ = [
    "ERROR_SCHEMA",
    "OPTIN_BODY",
    "VENDOR_RESPONSES",
    "DOWNLOAD_RESPONSES",
    "LOOKUP_BODY",
    "COST_RESUME_PARAMS",
    "account_responses",
    "query_params",
]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["success", "code", "message"],
    "properties": {
        "success": {"type": "boolean", "enum": [False]},
        "code": {"type": "integer", "enum": sorted(MESSAGES)},
        "message": {"type": "string"},
    },
}
_SUCCESS_SCHEMA = {
    "type": "object",
    "required": ["success"],
    "properties": {"success": {"type": "boolean"}},
}
_XML = {"schema": {"type": "string"}}
_INT_OR_STRING = {"anyOf": [{"type": "integer"}, {"type": "string"}]}

OPTIN_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["apiKey", "op", "parameters"],
                "properties": {
                    "apiKey": {"type": "string"},
                    "op": {"type": "string", "enum": ["calcul", "price", "rent"]},
                    "_format": {"type": "string", "enum": ["json", "xml"]},
                    "urlNotification": {"type": "string"},
                    "parameters": {
                        "type": "object",
                        "required": ["sexe", "minAge", "maxAge"],
                        "properties": {
                            "sexe": {"type": "string", "enum": ["m", "h", "f"]},
                            "minAge": _INT_OR_STRING,
                            "maxAge": _INT_OR_STRING,
                            "interest": _INT_OR_STRING,
                            "subInterest": _INT_OR_STRING,
                            "category": _INT_OR_STRING,
                            "department": {"type": "string", "description": "e.g. 02,60"},
                            "zipcode": {"type": "string", "description": "e.g. 02200,60200"},
                        },
                    },
                    "volumes": {
                        "anyOf": [
                            {"type": "object", "additionalProperties": _INT_OR_STRING},
                            {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "Type": {"type": "string"},
                                        "Localite": {"type": "string"},
                                        "Volume": _INT_OR_STRING,
                                    },
                                },
                            },
                        ]
                    },
                },
            }
        }
    },
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ERROR_SCHEMA}, "application/xml": _XML},
    }


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("Vendor error (any code but 1, 10, 32, 33, 96); also a malformed JSON body"),
    401: _error("Vendor error 1 (API key required) or 10 (invalid API key)"),
    403: _error("Vendor error 96 (IP not authorised)"),
    404: _error("Vendor error 32 (rental not found) or 33 (rental file not found)"),
}
VENDOR_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Success",
        "content": {"application/json": {"schema": _SUCCESS_SCHEMA}, "application/xml": _XML},
    },
    **_ERRORS,
}
DOWNLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The rented numbers: CSV with a header line phone_number",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    },
    **_ERRORS,
}


def query_params(*, token: bool = False, key_required: bool = True) -> list[dict[str, Any]]:
    """The documented query parameters of a GET endpoint (or the optin's optional ones)."""
    params = [
        {"name": "apiKey", "in": "query", "required": key_required, "schema": {"type": "string"}},
        {
            "name": "_format",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": ["json", "xml"]},
        },
    ]
    if token:
        params.append(
            {"name": "token", "in": "query", "required": True, "schema": {"type": "string"}}
        )
    return params


# ----------------------------------------------------------------- the account endpoints
_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
LOOKUP_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["apiKey", "phoneNumbers"],
                "properties": {
                    "apiKey": _STRING,
                    "phoneNumbers": {
                        "type": "string",
                        "description": "up to 500 numbers in international format, "
                        "comma-separated, e.g. +33612345678,+33698765432",
                    },
                    "_format": {"type": "string", "enum": ["json", "xml"]},
                },
            }
        }
    },
}
COST_RESUME_PARAMS: list[dict[str, Any]] = [
    {
        "name": "interval",
        "in": "query",
        "required": True,
        "schema": {"type": "string", "enum": ["last_month", "last_twelve_months", "custom"]},
    },
    {
        "name": "from",
        "in": "query",
        "required": False,
        "description": "first day of a custom interval, DD-MM-YYYY (e.g. 21-10-2022)",
        "schema": _STRING,
    },
    {
        "name": "to",
        "in": "query",
        "required": False,
        "description": "last day of a custom interval, DD-MM-YYYY",
        "schema": _STRING,
    },
]
_STOP_LIST = {
    "type": "object",
    "required": ["success", "code", "nbData", "data"],
    "properties": {
        "success": {"type": "boolean"},
        "code": {"type": "integer"},
        "nbData": {"type": "integer"},
        "data": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "phoneNumber", "createdAt"],
                "properties": {
                    "id": {"type": "integer"},
                    "phoneNumber": _STRING,
                    "createdAt": {"type": "string", "description": "YYYY-MM-DD HH:MM:SS, Paris"},
                },
            },
        },
    },
}
_FORMATS = {
    "type": "object",
    "properties": {k: _NULLABLE_STRING for k in ("e164", "international", "national", "rfc3966")},
}
_LOOKUP = {
    "type": "object",
    "required": ["success", "code", "lookup"],
    "properties": {
        "success": {"type": "boolean"},
        "code": {"type": "integer"},
        "lookup": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["request", "success", "type", "format"],
                "properties": {
                    "request": _STRING,
                    "success": {"type": "boolean"},
                    "countryCode": _NULLABLE_STRING,
                    "prefixCode": {"type": ["integer", "null"]},
                    "phoneNumber": _NULLABLE_STRING,
                    "type": _NULLABLE_STRING,
                    "network": _STRING,
                    "format": _FORMATS,
                },
            },
        },
    },
}
_COST_RESUME = {
    "type": "object",
    "required": ["success", "datas"],
    "properties": {
        "success": {"type": "boolean"},
        "datas": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "month": _STRING,
                    "year": _STRING,
                    "m": _STRING,
                    "date": {"type": "integer"},
                    "type": _STRING,
                    "cost": _STRING,
                    "nb_send": _STRING,
                },
            },
        },
    },
}
_ACCOUNT_ERROR = dict(
    ERROR_SCHEMA,
    properties=dict(
        ERROR_SCHEMA["properties"], code={"type": "integer", "enum": sorted(ACCOUNT_MESSAGES)}
    ),
)
_TOO_MANY = {
    "description": "Beyond the documented rate limit: Retry-After gives the seconds to wait",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    "content": {"text/plain": {"schema": _STRING}},
}


def account_responses(path: str) -> dict[int | str, dict[str, Any]]:
    """The documented answers of an account endpoint (``path``: ``stop-sms/list``,
    ``lookup`` or ``statistics/cost-resume``)."""
    success = {
        "stop-sms/list": _STOP_LIST,
        "lookup": _LOOKUP,
        "statistics/cost-resume": _COST_RESUME,
    }[path]

    def error(description: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {"application/json": {"schema": _ACCOUNT_ERROR}, "application/xml": _XML},
        }

    out: dict[int | str, dict[str, Any]] = {
        200: {
            "description": "Success",
            "content": {"application/json": {"schema": success}, "application/xml": _XML},
        },
        400: error("Vendor error: a parameter is missing or invalid"),
        401: error("Vendor error 1 (API key required) or 10 (invalid API key)"),
        403: error("Vendor error 96 (IP not authorised)"),
    }
    if path != "stop-sms/list":
        out[429] = _TOO_MANY
    return out
