"""The vendor's error codes, their one French message each, and their HTTP status.

One table, read by every module that answers an error, so a message is written once.

>>> MESSAGES[10]
'Clé API incorrecte'
>>> http_status(10)
401
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

__all__ = ["MESSAGES", "VendorError", "http_status", "error_body"]

# Read-only on purpose: a module-level table must not be mutable shared state.
MESSAGES: Mapping[int, str] = MappingProxyType({
    1: "La clé API est requise",
    3: "Le champ parameters est requis",
    4: "Le paramètre op est requis",
    5: "Le paramètre urlNotification n'est pas une URL valide",
    6: "Cette opération n'est pas autorisée",
    7: "Le paramètre sexe est requis",
    8: "Le paramètre sexe doit être uniquement m,h or f",
    9: "Le paramètre minAge est requis",
    10: "Clé API incorrecte",
    11: "Crédit insuffisant",
    12: "Le paramètre minAge doit être supérieur à 17",
    13: "Le paramètre maxAge est requis",
    14: "Le paramètre maxAge doit être inférieur à 99",
    15: "Le paramètre interest doit être supérieur à 0",
    16: "Le paramètre interest ne peut pas être vide",
    17: "Le paramètre subInterest ne doit pas être vide",
    18: "Le paramètre subInterest doit être supérieur à 0",
    19: "Le paramètre interest ou subInterest est requis",
    22: "Le paramètre category ne doit pas être vide",
    23: "Le paramètre category doit être supérieur à 0",
    24: "Le champ Type du volume est requis",
    25: "Le champ Localite du volume est requis",
    26: "Le champ Volume du volume est requis",
    27: "Le volume désiré ne peut pas dépasser le volume disponible",
    28: "Le volume désiré ne peut pas dépasser le volume total",
    31: "Le token de la location est requis",
    32: "Location introuvable",
    33: "Fichier de la location introuvable",
    34: "Le fichier de la location a déjà été utilisé",
    35: "Le fichier de la location est en cours de téléchargement",
    36: "La location du fichier a échoué",
    61: "La requête semble invalide et n'a retourné aucun résultat",
    96: "Adresse IP non autorisée",
})

# README "Transport": 400 by default, auth 401, IP 403, not found 404.
_HTTP_STATUS: Mapping[int, int] = MappingProxyType({1: 401, 10: 401, 96: 403, 32: 404, 33: 404})


class VendorError(Exception):
    """A vendor error: raised by the validation and answered as the error envelope.

    >>> VendorError(8).code
    8
    """

    def __init__(self, code: int) -> None:
        if code not in MESSAGES:  # a typo in a code must fail loudly in tests, not at a client
            raise ValueError(f"unknown vendor code {code}")
        super().__init__(code, MESSAGES[code])
        self.code = code

    @property
    def message(self) -> str:
        return MESSAGES[self.code]


def http_status(code: int, errors_http_200: bool = False) -> int:
    """HTTP status sent with vendor error ``code`` (always 200 in the tolerant mode)."""
    if errors_http_200:
        return 200
    return _HTTP_STATUS.get(code, 400)


def error_body(code: int) -> dict:
    """The error envelope, keys in the vendor's order.

    >>> error_body(1)
    {'success': False, 'code': 1, 'message': 'La clé API est requise'}
    """
    return {"success": False, "code": code, "message": MESSAGES[code]}
